import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiNextCursor } from '../common/dto';
import { UnitLevel } from '@tongfa/identity';

const ID = '01930f6e-7b1c-7a2e-9c1d-3f5e2a1b0c9d';
const PARENT = '01930f6e-6a0b-7c3d-8e4f-5a6b7c8d9e0f';

/** A unit as the API returns it. */
export class UnitResponseDto {
  @ApiProperty({ example: ID })
  id: string;
  @ApiProperty({ example: '天河区人民政府办公室' })
  name: string;
  @ApiProperty({ enum: UnitLevel, example: UnitLevel.County })
  level: UnitLevel;
  @ApiPropertyOptional({ example: PARENT, nullable: true, type: String, description: 'null for the province root' })
  parentId: string | null;
  @ApiProperty({ example: `/${PARENT}/${ID}/`, description: 'materialized path of ids from the root' })
  path: string;
  @ApiProperty({ example: 1, description: '0 for the root' })
  depth: number;
  @ApiProperty({ example: '91350100M000100Y43' })
  creditCode: string;
  @ApiProperty({ example: '440106' })
  regionCode: string;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' })
  createdAt: Date;
  @ApiProperty({ example: '2026-11-23T08:00:00.000Z' })
  updatedAt: Date;
}

export class UnitPageDto {
  @ApiProperty({ type: [UnitResponseDto] })
  items: UnitResponseDto[];
  @ApiProperty({ example: 42 })
  total: number;
  @ApiNextCursor()
  next?: string | null;
}

export class UnitTreeNodeDto {
  @ApiProperty({ example: ID })
  id: string;
  @ApiProperty({ example: '天河区人民政府办公室' })
  name: string;
  @ApiProperty({ enum: UnitLevel, example: UnitLevel.County })
  level: UnitLevel;
  @ApiProperty({ type: () => [UnitTreeNodeDto], example: [] })
  children: UnitTreeNodeDto[];
}
