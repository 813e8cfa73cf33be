import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class OidcTicketDto {
  @ApiProperty({ example: 'q3L0Yk2u1V…', description: 'the one-time ticket from the URL fragment after single sign-on (#ticket=…)' })
  @IsString()
  @Length(20, 128)
  @Matches(/^[A-Za-z0-9_-]+$/)
  ticket: string;
}
