import { commandConnection } from './index';

describe("an operator command's connection", () => {
  it('takes DATABASE_URL and KAFKA_BROKERS as they are when both are set, and has nothing to release', async () => {
    const lines: string[] = [];
    const conn = await commandConnection((l) => lines.push(l), {
      DATABASE_URL: 'postgres://ipfin_metrics:pw@db.example:5432/ipfin',
      KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
    });
    expect(conn.databaseUrl).toBe('postgres://ipfin_metrics:pw@db.example:5432/ipfin');
    expect(conn.kafkaBrokers).toBe('kafka-1:9092,kafka-2:9092');
    await expect(conn.release()).resolves.toBeUndefined();
    expect(lines).toEqual([]); // no local stack was looked for
  });
});
