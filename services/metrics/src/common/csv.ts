/**
 * Flattens a report's rows (nested objects become `parent.child` columns) into RFC 4180 CSV.
 * `columns` fixes the header (so an empty list still has one); by default it is every key seen.
 */
export function toCsv(rows: readonly object[], columns?: readonly string[]): string {
  const flat = rows.map((r) => flatten(r as Record<string, unknown>));
  columns ??= [...new Set(flat.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => {
    const s = typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...flat.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}

function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = Array.isArray(v) ? v.join(' ') : v;
  }
  return out;
}

export const wantsCsv = (accept: string | undefined): boolean => (accept ?? '').toLowerCase().includes('text/csv');
