/**
 * The system tests empty the five service schemas before they start: never on a server that may
 * hold someone's data.
 */
import { mayEmpty } from './support/system-setup';

describe('which database the system tests may empty', () => {
  it("empties the tests' own embedded stack and throw-away containers", () => {
    expect(mayEmpty('embedded', 'postgres://postgres:x@127.0.0.1:54339/ipfin', {}, '/repo/.data/test')).toBe(true);
    expect(mayEmpty('testcontainers', 'postgres://test:test@127.0.0.1:32768/ipfin', {})).toBe(true);
  });

  it("never empties npm start's embedded stack, unless told to", () => {
    expect(mayEmpty('embedded', 'postgres://postgres:x@127.0.0.1:54329/ipfin', {}, '/repo/.data')).toBe(false);
    expect(mayEmpty('embedded', 'postgres://postgres:x@127.0.0.1:54349/ipfin', {}, '/repo/.data/b')).toBe(false);
    expect(mayEmpty('embedded', 'postgres://postgres:x@127.0.0.1:54329/ipfin', { IPFIN_TEST_DROP_SCHEMAS: 'true' }, '/repo/.data')).toBe(true);
  });

  it('empties an external database only when its name says it is for tests, or when told to', () => {
    expect(mayEmpty('external', 'postgres://postgres:secret@db.example:5432/ipfin', {})).toBe(false);
    expect(mayEmpty('external', 'postgres://postgres:secret@db.example:5432/ipfin_test', {})).toBe(true);
    expect(mayEmpty('external', 'postgres://postgres:secret@db.example:5432/ipfin', { IPFIN_TEST_DROP_SCHEMAS: 'true' })).toBe(true);
  });
});
