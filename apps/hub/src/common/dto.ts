import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

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

  @ApiPropertyOptional({
    description:
      'the `next` cursor of the previous page (users, units, accounts and the audit log, in their default order): the following page at any depth, without counting past the rows before it; `page` is then ignored',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  after?: string;
}

/** The `next` of a list that pages by cursor (`?after=`), documented once for every such list. */
export const ApiNextCursor = (): PropertyDecorator =>
  ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'WyIvMDFhMi8iLCIwMWEyIl0',
    description: 'cursor of the next page in the default order (`?after=`); null on the last page; absent when sorted',
  });
