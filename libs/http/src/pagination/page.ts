import { ValidationFailed } from '@ipfin/kernel';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_PAGE_LIMIT = 500;
export const DEFAULT_PAGE_LIMIT = 100;

/** `?limit=&cursor=` of every list endpoint; a service's query DTO extends it with its filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;

  @ApiPropertyOptional({ description: 'Opaque: the nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

/** `{ items, nextCursor }`: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An opaque cursor from a keyset position (e.g. `{ createdAt, id }` of the last row). */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position inside a cursor; a tampered or foreign cursor is a 400 on field `cursor`. */
export function decodeCursor<T>(cursor: string, isPosition: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isPosition(value)) throw new ValidationFailed([{ field: 'cursor', message: 'cursor is not one this endpoint issued' }]);
  return value;
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only says that more exist.
 * `positionOf` gives the keyset position of the last returned row.
 */
export function pageOf<Row, Item = Row>(rows: readonly Row[], limit: number, positionOf: (last: Row) => unknown, toItem?: (row: Row) => Item): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const items = pageRows.map((row) => (toItem === undefined ? (row as unknown as Item) : toItem(row)));
  const last = pageRows[pageRows.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
