import { DomainError } from '@ipfin/kernel';
import { validateDto } from '../validation/validation.pipe';
import { PageQueryDto, decodeCursor, encodeCursor, pageOf } from './page';

const isPosition = (value: unknown): value is { id: number } => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number';

describe('pagination', () => {
  it('validates limit (≤ 500) and cursor from the query string', () => {
    expect(validateDto(PageQueryDto, { limit: '500', cursor: 'abc' })).toEqual([]);
    expect(validateDto(PageQueryDto, {})).toEqual([]);
    expect(validateDto(PageQueryDto, { limit: '501' }).map((e) => e.field)).toEqual(['limit']);
    expect(new Set(validateDto(PageQueryDto, { limit: 'ten' }).map((e) => e.field))).toEqual(new Set(['limit']));
  });

  it('builds pages from limit + 1 rows, with an opaque cursor that round-trips', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const page = pageOf(rows, 2, (last) => ({ id: last.id }));
    expect(page.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(page.nextCursor!, isPosition)).toEqual({ id: 2 });
    expect(pageOf(rows, 3, (last) => ({ id: last.id })).nextCursor).toBeNull();
  });

  it('refuses a tampered cursor as a validation error on field cursor', () => {
    expect(() => decodeCursor('not-a-cursor', isPosition)).toThrow(DomainError);
    expect(() => decodeCursor(encodeCursor({ id: 'x' }), isPosition)).toThrow(expect.objectContaining({ kind: 'validation', errors: [expect.objectContaining({ field: 'cursor' })] }));
  });
});
