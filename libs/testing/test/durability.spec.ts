/**
 * `npm start` makes the embedded PostgreSQL durable; tests run it without. Against the real
 * server of this run: durability turns on and off again at runtime and a new session sees it —
 * or, on a container whose command line fixes the settings (its data is on tmpfs), the change is
 * refused with a clear error and nothing changes.
 */
import { Client } from 'pg';
import { durability, setDurability } from '../src';

const url = process.env.DATABASE_URL!;

async function fixedOnCommandLine(): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query("select count(*)::int as n from pg_settings where name = 'fsync' and source = 'command line'");
    return (res.rows[0] as { n: number }).n > 0;
  } finally {
    await client.end();
  }
}

it('turns fsync, full_page_writes and synchronous_commit on and off for new sessions', async () => {
  const before = await durability(url);
  expect(Object.keys(before).sort()).toEqual(['fsync', 'full_page_writes', 'synchronous_commit']);
  const original = before.fsync === 'on';
  if (await fixedOnCommandLine()) {
    await expect(setDurability(url, !original)).rejects.toThrow(/command line/);
    expect(await durability(url)).toEqual(before);
    return;
  }
  try {
    await setDurability(url, !original);
    const flipped = !original ? 'on' : 'off';
    expect(await durability(url)).toEqual({ fsync: flipped, full_page_writes: flipped, synchronous_commit: flipped });
  } finally {
    await setDurability(url, original);
  }
  const back = original ? 'on' : 'off';
  expect(await durability(url)).toEqual({ fsync: back, full_page_writes: back, synchronous_commit: back });
});
