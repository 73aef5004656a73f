import { BODY_FIELD, IsNotBlank } from '@ipfin/http';
import { BusinessDate, type FieldError } from '@ipfin/kernel';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  validateSync,
} from 'class-validator';
import {
  PATENT_GRADES,
  PATENT_KINDS,
  PATENT_STATUSES,
  readPatentNumber,
  type ListingInput,
  type PatentGrade,
  type PatentKind,
  type PatentStatus,
} from '../domain';
import { IsCalendarDate, IsPatentNumberText, KindMatchesNumber, fieldErrors } from './field-validators';

/** `POST /v1/patents` takes 1…1000 listings. */
export const LISTING_BATCH_MAX = 1000;

/**
 * IPC symbol, whole or truncated: section `H`, class `H01`, subclass `H01L`, group `H01L31/048`
 * (a space after the subclass is accepted and dropped; letters upper-cased).
 */
export const IPC_PATTERN = /^[A-H](?:\d{2}(?:[A-Z](?:\d{1,4}(?:\/\d{1,6})?)?)?)?$/;

export function normalizeIpc(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : value;
}

/**
 * Request body limit of the registry (megabytes). The largest valid `POST /v1/patents` — 1000
 * listings with every text at its maximum length in 3-byte UTF-8 characters — is ≈ 20 MB, so the
 * 5 MB default of the other services would refuse valid batches with long Chinese abstracts.
 */
export const LISTING_BODY_LIMIT_MB = 24;

/** One listing of `POST /v1/patents`, owned by the caller. Re-listing a number you own updates it. */
export class ListPatentItemDto {
  @ApiProperty({
    description:
      'Application number with its check character; `ZL`/`CN` prefix and spaces accepted, stored as YYYYTNNNNNNN.C',
    example: '202310123456.6',
  })
  @IsPatentNumberText()
  number!: string;

  @ApiProperty({ description: 'Not blank; stored trimmed', example: '一种光伏组件的封装方法' })
  @IsNotBlank()
  @MaxLength(500)
  title!: string;

  @ApiProperty({
    enum: PATENT_KINDS,
    description: "Must agree with the number's type digit (1/8 invention, 2/9 utility model, 3 design)",
  })
  @IsIn(PATENT_KINDS)
  @KindMatchesNumber()
  kind!: PatentKind;

  @ApiPropertyOptional({ description: 'Main IPC classification, whole or truncated', example: 'H01L31/048' })
  @IsOptional()
  @Transform(({ obj }) => normalizeIpc((obj as Record<string, unknown>).ipc))
  @IsString()
  @Matches(IPC_PATTERN, { message: '$property must be an IPC symbol such as "H01L", "H01L31" or "H01L31/048"' })
  ipc?: string;

  @ApiPropertyOptional({ example: '2024-05-17' })
  @IsOptional()
  @IsCalendarDate()
  grantedOn?: string;

  @ApiProperty({ enum: PATENT_STATUSES })
  @IsIn(PATENT_STATUSES)
  status!: PatentStatus;

  @ApiPropertyOptional({ enum: PATENT_GRADES, description: 'Grade in the stock-patent pool (分级), A best' })
  @IsOptional()
  @IsIn(PATENT_GRADES)
  grade?: PatentGrade;

  @ApiPropertyOptional({ description: 'Category in the stock-patent pool (分类); not blank, stored trimmed', example: '新能源' })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(100)
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  abstract?: string;

  @ApiPropertyOptional({ type: [String], example: ['光伏', '封装'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  keywords?: string[];
}

export function toListingInput(dto: ListPatentItemDto): ListingInput {
  const input: ListingInput = {
    number: readPatentNumber(dto.number).normalized,
    title: dto.title,
    kind: dto.kind,
    status: dto.status,
    ...(dto.ipc !== undefined && { ipc: String(normalizeIpc(dto.ipc)) }),
    ...(dto.grantedOn !== undefined && { grantedOn: BusinessDate.parse(dto.grantedOn) }),
    ...(dto.grade !== undefined && { grade: dto.grade }),
    ...(dto.category !== undefined && { category: dto.category.trim() }),
    ...(dto.abstract !== undefined && { abstract: dto.abstract }),
    ...(dto.keywords !== undefined && { keywords: dto.keywords }),
  };
  return input;
}

export type ListingItemValidation =
  | { readonly index: number; readonly ok: true; readonly value: ListPatentItemDto }
  | { readonly index: number; readonly ok: false; readonly errors: readonly FieldError[] };

export type ListingBatchValidation =
  | { readonly ok: true; readonly items: readonly ListingItemValidation[] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Validates a listing batch item by item, as the global pipe would (unknown fields refused), for a
 * per-item batch response: one bad item does not sink the others. Field paths are relative to the
 * item (`number`, `keywords.2`). The body itself must be an array of 1…1000 objects.
 */
export function validateListingBatch(body: unknown): ListingBatchValidation {
  if (!Array.isArray(body))
    return { ok: false, errors: [{ field: BODY_FIELD, message: 'The body must be a JSON array of listings.' }] };
  if (body.length === 0 || body.length > LISTING_BATCH_MAX) {
    return {
      ok: false,
      errors: [{ field: BODY_FIELD, message: `A batch holds 1 to ${LISTING_BATCH_MAX} listings, got ${body.length}.` }],
    };
  }
  const items = body.map((item: unknown, index): ListingItemValidation => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { index, ok: false, errors: [{ field: '', message: 'A listing must be a JSON object.' }] };
    }
    const value = plainToInstance(ListPatentItemDto, item);
    const errors = fieldErrors(
      validateSync(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
    );
    return errors.length === 0 ? { index, ok: true, value } : { index, ok: false, errors };
  });
  return { ok: true, items };
}
