import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import type { MediaKind } from '@tongfa/media';
import { PageQueryDto } from '../common/dto';

export class ListMediaQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '发布会', description: '在说明、替代文本和文件名中查找' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['image', 'video'] })
  @IsOptional()
  @IsIn(['image', 'video'])
  kind?: MediaKind;

  @ApiPropertyOptional({ description: '只看这个单位的素材' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class UpdateMediaDto {
  @ApiPropertyOptional({ example: '甲市一县新闻发布会现场', nullable: true, maxLength: 200 })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(200)
  caption?: string | null;

  @ApiPropertyOptional({
    example: '发言人在发布台前答记者问',
    nullable: true,
    maxLength: 200,
    description: '替代文本：看不见图片的读者听到的描述',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(200)
  alt?: string | null;
}
