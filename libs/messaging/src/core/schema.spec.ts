import { assertSchemaName, messagingTablesSql, outboxChannel } from './schema';

describe('messaging tables', () => {
  it('lives in the service schema and notifies on its channel', () => {
    const sql = messagingTablesSql('pledge_loans').join(';\n');
    expect(sql).toContain('"pledge_loans".outbox');
    expect(sql).toContain('"pledge_loans".inbox');
    expect(sql).toContain("pg_notify('pledge_loans_outbox', '')");
    expect(sql).toMatch(/AFTER INSERT ON "pledge_loans".outbox FOR EACH STATEMENT/);
    expect(sql).toMatch(/WHERE published_at IS NULL/);
    expect(outboxChannel('pledge_loans')).toBe('pledge_loans_outbox');
  });

  it.each(['Pledge', 'a-b', 'x"; drop table y; --', '', 'a'.repeat(57)])('refuses schema name %p', (name) => {
    expect(() => assertSchemaName(name)).toThrow(/invalid schema name/);
  });
});
