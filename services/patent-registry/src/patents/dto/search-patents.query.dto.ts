import { IsNotBlank } from '@ipfin/http';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import {
  PATENT_GRADES,
  PATENT_KINDS,
  planSearchQuery,
  searchQueryProblem,
  type PatentGrade,
  type PatentKind,
  type SearchPlan,
} from '../domain';
import { IPC_PATTERN, normalizeIpc } from './list-patents.dto';

export const SEARCH_LIMIT_MAX = 500;
export const SEARCH_LIMIT_DEFAULT = 50;

/** `GET /v1/patents?q=&kind=&ipc=&owner=&grade=&openLicence=true&available=true&limit=&cursor=`. */
export class SearchPatentsQueryDto {
  @ApiPropertyOptional({
    description: 'Free text over title, abstract and keywords (Chinese or English): at most 8 distinct terms of at most 64 characters, every term must match (400 on q otherwise)',
    example: '光伏 组件',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ValidateBy({
    name: 'searchableQuery',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || searchQueryProblem(value) === null,
      defaultMessage: (args) => searchQueryProblem(String(args?.value)) ?? 'q cannot be searched',
    },
  })
  q?: string;

  @ApiPropertyOptional({ enum: PATENT_KINDS })
  @IsOptional()
  @IsIn(PATENT_KINDS)
  kind?: PatentKind;

  @ApiPropertyOptional({ description: 'IPC prefix: section, class, subclass or group', example: 'H01L' })
  @IsOptional()
  @Transform(({ obj }) => normalizeIpc((obj as Record<string, unknown>).ipc))
  @IsString()
  @Matches(IPC_PATTERN, { message: '$property must be an IPC prefix such as "H", "H01", "H01L" or "H01L31/048"' })
  ipc?: string;

  @ApiPropertyOptional({ description: "Owner's `sub` or USCC (not blank)", example: 'univ-minnan-normal' })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(100)
  owner?: string;

  @ApiPropertyOptional({ enum: PATENT_GRADES })
  @IsOptional()
  @IsIn(PATENT_GRADES)
  grade?: PatentGrade;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only patents with an open licence in force today' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  openLicence?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only valid, unpledged patents without an exclusive or sole licence in force today',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: '$property must be true or false' })
  available?: string;

  @ApiPropertyOptional({ description: `1…${SEARCH_LIMIT_MAX}, default ${SEARCH_LIMIT_DEFAULT}` })
  @IsOptional()
  @Matches(/^(?:[1-9]\d?|[1-4]\d\d|500)$/, {
    message: `$property must be a whole number from 1 to ${SEARCH_LIMIT_MAX}`,
  })
  limit?: string;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface SearchCriteria {
  readonly plan: SearchPlan;
  readonly kind?: PatentKind;
  readonly ipcPrefix?: string;
  readonly owner?: string;
  readonly grade?: PatentGrade;
  readonly openLicence?: boolean;
  readonly available?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

/** The validated query as typed criteria for the repository. */
export function toSearchCriteria(dto: SearchPatentsQueryDto): SearchCriteria {
  return {
    plan: planSearchQuery(dto.q ?? ''),
    limit: dto.limit === undefined ? SEARCH_LIMIT_DEFAULT : Number(dto.limit),
    ...(dto.kind !== undefined && { kind: dto.kind }),
    ...(dto.ipc !== undefined && { ipcPrefix: dto.ipc }),
    ...(dto.owner !== undefined && { owner: dto.owner.trim() }),
    ...(dto.grade !== undefined && { grade: dto.grade }),
    ...(dto.openLicence !== undefined && { openLicence: dto.openLicence === 'true' }),
    ...(dto.available !== undefined && { available: dto.available === 'true' }),
    ...(dto.cursor !== undefined && { cursor: dto.cursor }),
  };
}
