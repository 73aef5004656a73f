/**
 * The public search on real PostgreSQL, through HTTP: Chinese terms of two and of three or more
 * characters found inside titles, abstracts and keywords (gram index + strpos, never a scan of the
 * whole table), Latin words through pg_trgm, exact title first, every filter, keyset pagination.
 */
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import { rankKey } from '../src/patents/patent-search';
import {
  energyParty, feed, invention, listing, loanRegistered, minnan, opticsParty, servicesOn, startHttp, testClock, utilityModel,
  vocational, type Services, type TestHttp,
} from './support';

let db: TestSchema;
let http: TestHttp;
let services: Services;
const clock = testClock();

// Serials make the numbers; titles are what the search is about.
const PV_EXACT = invention(1001);
const PV_MODULE_METHOD = invention(1002);
const PV_INVERTER = invention(1003);
const PV_ROBOT = utilityModel(1004);
const OPTICAL_LENS = invention(1005);
const VOLTMETER = invention(1006);
const SOLAR_CELL = invention(1007);
const GRAPHENE_FILM = invention(1008);
const GRAPHITE = invention(1009);
const GRAPHENE_OXIDE = invention(1010);
const SEPARATOR = invention(1011);
const ANTENNA = invention(1012);
const PV_LAPSED = invention(1013);
const TEA = (i: number) => invention(2000 + i, 2021);

const numbers = (res: { body: { items: { number: string }[] } }): string[] => res.body.items.map((i) => i.number);
const search = async (query: string): Promise<{ status: number; body: any }> => http.request('GET', `/v1/patents?${query}`);
const q = (text: string, more = ''): Promise<{ status: number; body: any }> => search(`q=${encodeURIComponent(text)}${more}`);

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'patents_search');
  services = servicesOn(db.dataSource, db.schema, clock);
  http = await startHttp(db.schema, clock);
  const minnanListings = [
    listing(PV_EXACT, '光伏组件', { grade: 'A', ipc: 'H01L31/048', category: '新能源', keywords: ['光伏', '组件'] }),
    listing(PV_MODULE_METHOD, '一种光伏组件及其制备方法', { grade: 'B', ipc: 'H01L31/18', abstract: '本发明公开了一种光伏组件，包括玻璃盖板、EVA胶膜和电池片。' }),
    listing(OPTICAL_LENS, '一种光学镜头', { grade: 'A', ipc: 'G02B13/00', abstract: '一种用于手机摄像的光学镜头。' }),
    listing(VOLTMETER, '伏特计', { grade: 'C', ipc: 'G01R15/00' }),
    listing(SOLAR_CELL, '一种太阳能电池片', { grade: 'A', ipc: 'H01L31/0224', abstract: '用于光伏发电的太阳能电池片，提高转换效率。' }),
    listing(GRAPHENE_FILM, '石墨烯导热膜及其制备方法', { grade: 'A', ipc: 'C01B32/184', keywords: ['石墨烯', '导热'], abstract: 'A graphene film with high thermal conductivity.' }),
    listing(GRAPHITE, '一种石墨材料', { grade: 'B', ipc: 'C01B32/20' }),
    listing(GRAPHENE_OXIDE, '氧化石墨烯的制备方法', { grade: 'B', ipc: 'C01B32/198' }),
    listing(SEPARATOR, '锂离子电池隔膜', { grade: 'A', ipc: 'H01M50/40', abstract: '一种聚乙烯隔膜，用于锂离子电池。' }),
    listing(ANTENNA, '5G基站天线', { grade: 'B', ipc: 'H01Q1/24' }),
    listing(PV_LAPSED, '光伏支架', { grade: 'C', ipc: 'H02S20/10', status: 'lapsed' }),
    ...Array.from({ length: 12 }, (_, i) => listing(TEA(i), `一种茶叶烘干装置${i + 1}`, { grade: 'C', ipc: 'A23F3/06' })),
  ];
  const listed = await services.listings.post(minnan, minnanListings);
  expect(listed.results.every((r) => r.status === 'listed')).toBe(true);
  await services.listings.post(vocational, [
    listing(PV_INVERTER, '一种光伏逆变器的控制方法', { grade: 'A', ipc: 'H02M7/5387' }),
    listing(PV_ROBOT, '光伏组件清洗机器人', { grade: 'B', ipc: 'H02S40/10' }),
  ]);
});

afterAll(async () => {
  await http?.close();
  await db?.drop();
});

describe('Chinese free text', () => {
  it('finds a two-character term inside titles, abstracts and keywords, and nothing that only shares a character', async () => {
    const res = await q('光伏');
    expect(res.status).toBe(200);
    // Titles containing 光伏 (newest first: year, serial), then the abstract-only match.
    expect(numbers(res)).toEqual([PV_LAPSED, PV_INVERTER, PV_MODULE_METHOD, PV_EXACT, PV_ROBOT, SOLAR_CELL]);
    expect(numbers(res)).not.toContain(OPTICAL_LENS);
    expect(numbers(res)).not.toContain(VOLTMETER);
    expect(res.body.nextCursor).toBeNull();
  });

  it('ranks the exact title first', async () => {
    const res = await q('光伏组件');
    expect(numbers(res)).toEqual([PV_EXACT, PV_MODULE_METHOD, PV_ROBOT]);
    expect(res.body.items[0]).toMatchObject({ number: PV_EXACT, title: '光伏组件', kind: 'invention', grade: 'A', owner: { sub: minnan.sub, region: '350600' } });
  });

  it('ranks an exact title first although shorter titles also contain the query', async () => {
    const res = await q('一种光伏组件及其制备方法');
    expect(numbers(res)[0]).toBe(PV_MODULE_METHOD);
  });

  it('matches a three-character term as a substring (石墨烯 is not 石墨)', async () => {
    expect(numbers(await q('石墨烯'))).toEqual([GRAPHENE_OXIDE, GRAPHENE_FILM]);
    expect(numbers(await q('石墨')).sort()).toEqual([GRAPHENE_FILM, GRAPHITE, GRAPHENE_OXIDE].sort());
    expect(numbers(await q('锂离子电池'))).toEqual([SEPARATOR]);
    expect(numbers(await q('离子电池隔'))).toEqual([SEPARATOR]);
    expect(numbers(await q('电池隔离'))).toEqual([]);
  });

  it('requires every term (AND) and searches keywords and abstracts', async () => {
    expect(numbers(await q('石墨烯 导热'))).toEqual([GRAPHENE_FILM]);
    // 电池片 is in the solar cell's title and the module's abstract; 光伏 the other way round.
    expect(numbers(await q('光伏，电池片'))).toEqual([SOLAR_CELL, PV_MODULE_METHOD]);
    expect(numbers(await q('聚乙烯'))).toEqual([SEPARATOR]);
  });

  it('finds Latin words (trigram index for 3+ letters, grams for short ones) in any width or case', async () => {
    expect(numbers(await q('film graphene'))).toEqual([GRAPHENE_FILM]);
    expect(numbers(await q('graphene'))).toEqual([GRAPHENE_FILM]);
    expect(numbers(await q('ＧＲＡＰＨＥＮＥ film'))).toEqual([GRAPHENE_FILM]);
    expect(numbers(await q('5G'))).toEqual([ANTENNA]);
    expect(numbers(await q('eva'))).toEqual([PV_MODULE_METHOD]);
  });

  it('splits on punctuation (so LIKE wildcards never reach SQL) and ignores a query without terms', async () => {
    expect(numbers(await q('gra_hene'))).toEqual([GRAPHENE_FILM]);
    expect(numbers(await q('%_，。'))).toHaveLength(25);
  });

  it('has installed pg_trgm and the GIN indexes, and keeps rows narrow', async () => {
    const indexes: { indexname: string }[] = await db.dataSource.query('select indexname from pg_indexes where schemaname = $1', [db.schema]);
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining(['patents_search_grams_idx', 'patents_title_grams_idx', 'patents_search_text_trgm_idx', 'patents_search_title_trgm_idx']),
    );
    const options: { reloptions: string[] }[] = await db.dataSource.query("select reloptions from pg_class where oid = 'patents'::regclass");
    expect(options[0].reloptions).toContain('toast_tuple_target=256');
  });

  it('answers a title search from the title index', async () => {
    // Force index use on this small table; the plan shows which index can serve the query.
    const plan = await db.dataSource.transaction(async (m) => {
      await m.query('set local enable_seqscan = off');
      await m.query('set local enable_indexscan = off');
      return m.query("explain select number from patents p where p.title_grams @> '{光伏}'::text[] order by number desc limit 51");
    });
    expect(JSON.stringify(plan)).toContain('patents_title_grams_idx');
  });
});

describe('filters', () => {
  it('filters by kind, grade and owner (sub or USCC)', async () => {
    expect(numbers(await q('光伏', '&kind=utility_model'))).toEqual([PV_ROBOT]);
    expect(numbers(await q('光伏', '&grade=A'))).toEqual([PV_INVERTER, PV_EXACT, SOLAR_CELL]);
    expect(numbers(await q('光伏', `&owner=${vocational.sub}`))).toEqual([PV_INVERTER, PV_ROBOT]);
    expect(numbers(await q('光伏', `&owner=${minnan.uscc!.toLowerCase()}`))).toEqual([PV_LAPSED, PV_MODULE_METHOD, PV_EXACT, SOLAR_CELL]);
  });

  it('filters by IPC prefix: subclass, main group (not a longer group number), group', async () => {
    expect(numbers(await search('ipc=H01L')).sort()).toEqual([PV_EXACT, PV_MODULE_METHOD, SOLAR_CELL].sort());
    expect(numbers(await search('ipc=h01l%2031')).sort()).toEqual([PV_EXACT, PV_MODULE_METHOD, SOLAR_CELL].sort());
    expect(numbers(await search('ipc=H01L3'))).toEqual([]);
    expect(numbers(await search('ipc=H01L31/048'))).toEqual([PV_EXACT]);
    expect(numbers(await q('石墨烯', '&ipc=C01B32'))).toEqual([GRAPHENE_OXIDE, GRAPHENE_FILM]);
    expect(numbers(await q('石墨烯', '&ipc=H'))).toEqual([]);
  });

  it('filters open licences in force and available patents (valid, unpledged, no exclusive licence today: api.md)', async () => {
    await services.commands.declareOpenLicence(minnan, PV_EXACT, { royalty: { kind: 'lump_sum', amount: '20000.00' }, termYears: 3, declaredOn: '2024-09-01' } as any);
    await services.commands.recordLicence(minnan, PV_MODULE_METHOD, {
      licensee: opticsParty, kind: 'exclusive', royalty: '100000.00', contractDate: '2024-08-01', startsOn: '2024-08-15', endsOn: '2027-08-14',
    } as any);
    await services.commands.recordLicence(vocational, PV_INVERTER, {
      licensee: energyParty, kind: 'ordinary', royalty: '0.00', contractDate: '2024-08-01', startsOn: '2024-08-15', endsOn: '2027-08-14',
    } as any);
    await services.commands.recordLicence(vocational, PV_ROBOT, {
      licensee: energyParty, kind: 'sole', royalty: '50000.00', contractDate: '2024-08-01', startsOn: '2024-08-15', endsOn: '2027-08-14',
    } as any);
    await feed(db.dataSource, services.consumer, loanRegistered('bank-icbc-zz', 'ZZ-SEARCH-1', [`ZL${SOLAR_CELL}`]));

    expect(numbers(await q('光伏', '&openLicence=true'))).toEqual([PV_EXACT]);
    expect(numbers(await search('openLicence=true'))).toEqual([PV_EXACT]);
    expect(numbers(await q('光伏', '&openLicence=false'))).not.toContain(PV_EXACT);
    // Lapsed, exclusively licensed and pledged ones are out; an ordinary or a sole licence does not matter.
    expect(numbers(await q('光伏', '&available=true'))).toEqual([PV_INVERTER, PV_EXACT, PV_ROBOT]);
    expect((await q('光伏组件清洗机器人')).body.items[0]).toMatchObject({ number: PV_ROBOT, available: true });
    expect(numbers(await q('光伏', '&available=false'))).toEqual([PV_LAPSED, PV_MODULE_METHOD, SOLAR_CELL]);
    const solar = (await q('太阳能电池片')).body.items[0];
    expect(solar).toMatchObject({ number: SOLAR_CELL, pledged: true, available: false, openLicence: null });
    const declared = (await q('光伏组件')).body.items[0];
    expect(declared.openLicence).toMatchObject({ declaredOn: '2024-09-01', expiresOn: '2027-08-31', inForce: true, royalty: { kind: 'lump_sum', amount: '20000.00' } });
    // The exclusive licence ends: available again the day after (by the service clock).
    clock.set('2027-08-15T02:00:00Z');
    try {
      expect(numbers(await q('光伏组件', '&available=true'))).toContain(PV_MODULE_METHOD);
    } finally {
      clock.set('2024-10-01T02:00:00Z');
    }
  });

  it('refuses malformed filters with 400 naming the field', async () => {
    for (const [query, field] of [['kind=patent', 'kind'], ['ipc=X99', 'ipc'], ['grade=D', 'grade'], ['limit=501', 'limit'], ['available=yes', 'available'], ['colour=red', 'colour']]) {
      const res = await search(query);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('pagination', () => {
  const walk = async (query: string, limit: number): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res: { status: number; body: any } = await search(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...numbers(res));
      cursor = res.body.nextCursor;
      if (cursor === null) return seen;
    }
    throw new Error('pagination did not end');
  };

  it('walks a ranked text search page by page across tiers, in the one-shot order', async () => {
    const all = numbers(await q('光伏'));
    for (const limit of [1, 2, 3]) expect(await walk(`q=${encodeURIComponent('光伏')}`, limit)).toEqual(all);
    const exactFirst = numbers(await q('光伏组件'));
    expect(await walk(`q=${encodeURIComponent('光伏组件')}`, 1)).toEqual(exactFirst);
  });

  it('browses without a query, newest first (year, serial, type digit)', async () => {
    const all = numbers(await search('limit=500'));
    expect(all).toEqual([...all].sort((a, b) => rankKey(b).localeCompare(rankKey(a))));
    expect(all).toHaveLength(25);
    expect(await walk('kind=invention', 4)).toEqual(all.filter((n) => n !== PV_ROBOT));
  });

  it('finds the same pages whether the probe down the key fills them or the GIN bitmap step does', async () => {
    const queries = ['光伏', '光伏组件', '石墨烯', '石墨', '光伏，电池片', 'graphene', '5g', 'eva', '聚乙烯', '一种', '%'];
    const filters = ['', '&available=true', '&grade=A&kind=invention', '&ipc=H01L', '&ipc=H01L31/04', `&owner=${minnan.sub}`, `&owner=${vocational.uscc}`];
    const pages = async (): Promise<string[][]> => {
      const all: string[][] = [];
      for (const text of queries) for (const f of filters) all.push(await walk(`q=${encodeURIComponent(text)}${f}`, 2));
      return all;
    };
    await db.dataSource.query('analyze patents');
    const byDefault = await pages();
    try {
      for (const window of [1, 3, 7, 1000]) {
        http.repository.probeWindowOverride = window;
        expect(await pages()).toEqual(byDefault);
      }
    } finally {
      http.repository.probeWindowOverride = undefined;
    }
    expect(byDefault.flat().length).toBeGreaterThan(40);
  });

  it('refuses a tampered cursor, or one issued for another search', async () => {
    const first = await q('光伏', '&limit=1');
    expect((await search(`q=x&cursor=not-a-cursor`)).status).toBe(400);
    const other = await q('石墨', `&limit=1&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.errors[0].field).toBe('cursor');
  });
});
