import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsRegionCodeField, PageQueryDto } from '@ipfin/http';

export class TargetsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "Region (its counties included); defaults to the caller's", example: '350500' })
  @IsOptional() @IsRegionCodeField()
  region?: string;

  @ApiPropertyOptional({ example: 'pledge-financing-annual' })
  @IsOptional() @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'indicator must be kebab-case' })
  indicator?: string;
}
