import type { DataSource } from 'typeorm';
import type { CommandConnection } from '../infra';
import { positiveIntegerEnv, withStoreCommand } from './store-command';

/** What the command touches, in order: the connection, the data source, the work. */
function fakes(opts: { initializeFails?: boolean } = {}) {
  const calls: string[] = [];
  const connect = async (): Promise<CommandConnection> => {
    calls.push('connect');
    return { databaseUrl: 'postgres://u:p@db.example/ipfin', kafkaBrokers: 'kafka.example:9092', release: async () => { calls.push('release'); } };
  };
  const dataSource = (url: string): DataSource => {
    calls.push(`dataSource ${url}`);
    return {
      initialize: async () => {
        calls.push('initialize');
        if (opts.initializeFails) throw new Error('password authentication failed');
      },
      destroy: async () => { calls.push('destroy'); },
    } as unknown as DataSource;
  };
  return { calls, connect, dataSource };
}

describe('an operator command against the stores', () => {
  it('opens the data source on the connection, runs the work and closes both in reverse order', async () => {
    const f = fakes();
    const lines: string[] = [];
    const result = await withStoreCommand({ clientId: 'test', connect: f.connect, dataSource: f.dataSource, log: (l) => lines.push(l) }, async ({ bus, log }) => {
      f.calls.push('work');
      log('working');
      expect(typeof bus.admin).toBe('function');
      return 42;
    });
    expect(result).toBe(42);
    expect(f.calls).toEqual(['connect', 'dataSource postgres://u:p@db.example/ipfin', 'initialize', 'work', 'destroy', 'release']);
    expect(lines).toEqual(['working']);
  });

  it('closes everything when the work fails, and passes the failure on', async () => {
    const f = fakes();
    await expect(withStoreCommand({ clientId: 'test', connect: f.connect, dataSource: f.dataSource }, async () => {
      f.calls.push('work');
      throw new Error('service still running');
    })).rejects.toThrow('service still running');
    expect(f.calls).toEqual(['connect', 'dataSource postgres://u:p@db.example/ipfin', 'initialize', 'work', 'destroy', 'release']);
  });

  it('releases the connection when the data source cannot be opened, without running the work', async () => {
    const f = fakes({ initializeFails: true });
    await expect(withStoreCommand({ clientId: 'test', connect: f.connect, dataSource: f.dataSource }, async () => {
      f.calls.push('work');
    })).rejects.toThrow('password authentication failed');
    expect(f.calls).toEqual(['connect', 'dataSource postgres://u:p@db.example/ipfin', 'initialize', 'release']);
  });
});

describe('positiveIntegerEnv', () => {
  it('reads a positive integer, falls back when unset or empty, and refuses anything else naming the variable', () => {
    expect(positiveIntegerEnv('X_CONCURRENCY', 1, { X_CONCURRENCY: '6' })).toBe(6);
    expect(positiveIntegerEnv('X_CONCURRENCY', 1, {})).toBe(1);
    expect(positiveIntegerEnv('X_CONCURRENCY', 3, { X_CONCURRENCY: '' })).toBe(3);
    for (const bad of ['0', '-2', '1.5', 'six', '1e400']) {
      expect(() => positiveIntegerEnv('X_CONCURRENCY', 1, { X_CONCURRENCY: bad })).toThrow(`X_CONCURRENCY must be a positive integer (got "${bad}")`);
    }
  });
});
