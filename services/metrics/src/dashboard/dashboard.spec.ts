import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureApp, PinoLoggerService, ServiceExpressAdapter } from '@ipfin/http';
import { DASHBOARD_STATIC_DIR } from './dashboard.controller';
import { DashboardModule } from './dashboard.module';

interface Helpers {
  parseFen(v: unknown): bigint | null;
  formatYuan(v: unknown): string;
  formatMoneyShort(v: unknown, lang: string): string;
  wanNumber(v: unknown): number;
  formatPercent(v: unknown): string;
  percentWidth(v: unknown): number;
  formatCount(v: unknown): string;
  rankBanks<T>(rows: T[]): T[];
  decodeClaims(token: string): Record<string, unknown> | null;
  periodKeys(year: number, unit: string, today?: string): string[];
  fillPeriods(rows: object[], keys: string[], opening: string): { key: string; outstanding: string; contracted: string }[];
  translate(lang: string, key: string, vars?: object): string;
  I18N: Record<'zh' | 'en', Record<string, string>>;
}

/** The page script's pure helpers, run as the browser would but without a DOM. */
function loadHelpers(): Helpers {
  const sandbox: Record<string, unknown> = { atob, TextDecoder, Intl, URL };
  vm.createContext(sandbox);
  vm.runInContext(readFileSync(path.join(DASHBOARD_STATIC_DIR, 'app.js'), 'utf8'), sandbox, { filename: 'app.js' });
  return sandbox.IpfinDashboard as Helpers;
}

describe('dashboard page script helpers', () => {
  const h = loadHelpers();

  it('formats money from the decimal string, exactly', () => {
    expect(h.formatYuan('5000000.5')).toBe('¥5,000,000.50');
    expect(h.formatYuan('0.10')).toBe('¥0.10');
    expect(h.formatYuan('-1234.05')).toBe('-¥1,234.05');
    expect(h.formatYuan('123456789012345678.99')).toBe('¥123,456,789,012,345,678.99');
    expect(h.formatYuan('0.1 ')).toBe('¥0.10');
    expect(h.formatYuan('abc')).toBe('—');
    expect(h.formatYuan(undefined)).toBe('—');
    // 0.1 + 0.2 style errors cannot happen: 0.29 ¥ would be 0.28999… as a float × 100.
    expect(h.parseFen('0.29')).toBe(29n);
  });

  it('shortens money to 万元 / 亿元 in Chinese and k / m in English, rounding half-up', () => {
    expect(h.formatMoneyShort('5000000.50', 'zh')).toBe('500.00 万元');
    expect(h.formatMoneyShort('800000.50', 'zh')).toBe('80.00 万元');
    expect(h.formatMoneyShort('12345.00', 'zh')).toBe('1.23 万元');
    expect(h.formatMoneyShort('12350.00', 'zh')).toBe('1.24 万元');
    expect(h.formatMoneyShort('9999.99', 'zh')).toBe('¥9,999.99');
    expect(h.formatMoneyShort('1500000000.00', 'zh')).toBe('15.00 亿元');
    expect(h.formatMoneyShort('123456789012.00', 'zh')).toBe('1,234.57 亿元');
    expect(h.formatMoneyShort('5000000.50', 'en')).toBe('¥5.00 m');
    expect(h.formatMoneyShort('30000.00', 'en')).toBe('¥30.00 k');
    expect(h.formatMoneyShort('-2500000.00', 'en')).toBe('-¥2.50 m');
    expect(h.wanNumber('1200000.00')).toBe(120);
  });

  it('formats ratios and counts', () => {
    expect(h.formatPercent('0.4567')).toBe('45.67%');
    expect(h.formatPercent('1.2500')).toBe('125.00%');
    expect(h.formatPercent('0.00005')).toBe('0.01%');
    expect(h.formatPercent(null)).toBe('—');
    expect(h.percentWidth('1.2500')).toBe(100);
    expect(h.percentWidth('0.3300')).toBe(33);
    expect(h.formatCount(1234567)).toBe('1,234,567');
    expect(h.formatCount('1234.5')).toBe('1,234.5');
  });

  it('ranks banks by SMEs served, then contracted (compared exactly)', () => {
    const rows = [
      { bank: 'b', smesServed: 1, contracted: '9000000.00' },
      { bank: 'a', smesServed: 2, contracted: '100.01' },
      { bank: 'c', smesServed: 2, contracted: '100.02' },
    ];
    expect(h.rankBanks(rows).map((r) => r.bank)).toEqual(['c', 'a', 'b']);
  });

  it('reads the claims of a token, including Chinese text, and refuses what is not a JWT', () => {
    const payload = Buffer.from(JSON.stringify({ sub: '漳州市知识产权局', role: 'regulator', region: '350600' })).toString('base64url');
    expect(h.decodeClaims(`x.${payload}.y`)).toEqual({ sub: '漳州市知识产权局', role: 'regulator', region: '350600' });
    expect(h.decodeClaims('not-a-token')).toBeNull();
    expect(h.decodeClaims('a.b.c')).toBeNull();
  });

  it('lists the periods of a year up to today and carries the outstanding balance over quiet periods', () => {
    expect(h.periodKeys(2024, 'quarter')).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    expect(h.periodKeys(2026, 'quarter', '2026-05-20')).toEqual(['2026-Q1', '2026-Q2']);
    expect(h.periodKeys(2026, 'month', '2026-03-01')).toEqual(['2026-01', '2026-02', '2026-03']);
    const filled = h.fillPeriods([{ key: '2024-Q2', contracted: '10.00', outstanding: '15.00' }], h.periodKeys(2024, 'quarter'), '5.00');
    expect(filled.map((r) => [r.key, r.contracted, r.outstanding])).toEqual([
      ['2024-Q1', '0.00', '5.00'], ['2024-Q2', '10.00', '15.00'], ['2024-Q3', '0.00', '15.00'], ['2024-Q4', '0.00', '15.00'],
    ]);
  });

  it('has every label in both languages', () => {
    expect(Object.keys(h.I18N.en).sort()).toEqual(Object.keys(h.I18N.zh).sort());
    expect(h.translate('zh', 'title')).toBe('知识产权金融监管看板');
    expect(h.translate('en', 'cardMeta', { asOf: 'now', lag: 0 })).toBe('As of now · 0 events pending');
  });

  it('labels every data-i18n key of the page', () => {
    const html = readFileSync(path.join(DASHBOARD_STATIC_DIR, 'index.html'), 'utf8');
    const keys = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) {
      expect(h.I18N.zh).toHaveProperty([key]);
      expect(h.I18N.en).toHaveProperty([key]);
    }
  });
});

describe('dashboard routes', () => {
  let app: NestExpressApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(DashboardModule, new ServiceExpressAdapter(), { logger: false });
    configureApp(app, {
      serviceName: 'metrics-dashboard-test',
      logger: new PinoLoggerService({ service: 'metrics-dashboard-test', level: 'silent' }),
      auth: { secret: 'test-secret-at-least-16-chars' },
      openApi: { title: 'metrics' },
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  it('serves the page without a token, with a strict content policy', async () => {
    const res = await fetch(`${baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('知识产权金融监管看板');
  });

  it.each([
    ['/dashboard/app.js', 'text/javascript; charset=utf-8', 'IpfinDashboard'],
    ['/dashboard/app.css', 'text/css; charset=utf-8', '.kpi-list'],
    ['/dashboard/echarts.min.js', 'text/javascript; charset=utf-8', 'getInstanceByDom'],
  ])('serves %s', async (url, type, marker) => {
    const res = await fetch(`${baseUrl}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain(marker);
  });

  it('answers other paths under /dashboard with a 404 problem', async () => {
    const res = await fetch(`${baseUrl}/dashboard/../../package.json`);
    expect(res.status).toBe(404);
    const other = await fetch(`${baseUrl}/dashboard/secrets.js`);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps the dashboard out of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/dashboard'))).toEqual([]);
  });
});
