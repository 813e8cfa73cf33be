import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `?page=&pageSize=` of every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ example: 1, minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page: number = 1;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 20;

  @ApiPropertyOptional({ example: '-createdAt', description: 'sort by a field of the list, ascending, or descending with a leading "-"' })
  @IsOptional()
  @Matches(/^-?[A-Za-z]{1,32}$/, { message: 'sort must be a field name, optionally prefixed with "-"' })
  sort?: string;
}
