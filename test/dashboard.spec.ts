/**
 * The regulator dashboard at `/` in a real browser (Debian chromium through playwright-core):
 * two banks report loans in two Zhangzhou counties, the regulator pastes a token and sees the
 * figures the metrics API computed, charted and tabled, in Chinese and then in English.
 *
 * This file owns Zhangzhou's year 2023 (no other system test reports loans in 2023), so the
 * page's totals are exactly this scenario's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { api, baseUrl, eventually, token } from './support/client';
import { launchBrowser, type TestBrowser } from './support/browser';
import { borrower, event, LONGWEN, patent, registration, XIANGCHENG, ZHANGZHOU } from './fixtures';

const YEAR = '2023';
const CIB = 'bank-cib-zz';
const XMB = 'bank-xmbank-zz';
const cib = token('bank', CIB, ZHANGZHOU);
const xmb = token('bank', XMB, ZHANGZHOU);
const regulator = token('regulator', 'zz-ip-office', ZHANGZHOU);
const ARTIFACTS = path.resolve(__dirname, '..', 'test-artifacts');

const financing = async (query: string) => (await api('GET', `/v1/metrics/financing?region=${ZHANGZHOU}&year=${YEAR}&${query}`, { token: regulator })).body;

/** The `raw` strings the page keeps beside each plotted point, per series id, and the categories. */
async function chartData(page: Page, id: string): Promise<{ categories: string[]; series: Record<string, unknown[]> }> {
  return page.evaluate((elementId) => {
    const w = globalThis as any;
    const option = w.echarts.getInstanceByDom(w.document.getElementById(elementId)).getOption();
    const axes = [...(option.xAxis ?? []), ...(option.yAxis ?? [])];
    const categoryAxis = axes.find((a: any) => a.type === 'category');
    const series: Record<string, unknown[]> = {};
    for (const s of option.series) series[s.id] = s.data.map((d: any) => d.raw);
    return { categories: categoryAxis.data, series };
  }, id);
}

/** A rendered table as rows of cell texts (read through textContent: closed <details> too). */
async function tableRows(page: Page, containerId: string): Promise<string[][]> {
  return page.$$eval(`#${containerId} tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));
}

describe('regulator dashboard', () => {
  let b: TestBrowser | undefined;

  beforeAll(async () => {
    const posted = await Promise.all([
      api('POST', '/v1/loan-events', {
        token: cib,
        body: [
          registration('cib-2023-1', 'CIB-2023-001', '2023-02-10', { borrower: borrower(701, 'small', XIANGCHENG), principal: '1200000.00', patents: [patent(701701, 2020)] }),
          event('cib-2023-2', 'LoanDisbursed', 'CIB-2023-001', '2023-02-15', { amount: '1200000.00' }),
          registration('cib-2023-3', 'CIB-2023-002', '2023-05-06', { borrower: borrower(702, 'micro', LONGWEN), principal: '800000.50', patents: [patent(702702, 2020)] }),
          event('cib-2023-4', 'LoanDisbursed', 'CIB-2023-002', '2023-05-10', { amount: '500000.25' }),
        ],
      }),
      api('POST', '/v1/loan-events', {
        token: xmb,
        body: [
          registration('xmb-2023-1', 'XMB-2023-001', '2023-08-01', { borrower: borrower(703, 'medium', LONGWEN), principal: '3000000.00', patents: [patent(703703, 2020)] }),
          event('xmb-2023-2', 'LoanDisbursed', 'XMB-2023-001', '2023-08-03', { amount: '3000000.00' }),
          event('xmb-2023-3', 'RepaymentReceived', 'XMB-2023-001', '2023-11-20', { principal: '1000000.00', interest: '9625.00' }),
        ],
      }),
    ]);
    for (const res of posted) {
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(res.body.results.map(() => 'accepted'));
    }
    const report = await eventually(() => financing('groupBy=bank'), (r) => r.totals?.loans === 3 && r.totals?.outstanding === '3700000.25');
    expect(report.totals).toMatchObject({ loans: 3, contracted: '5000000.50', disbursed: '4700000.25', outstanding: '3700000.25', smesServed: 3 });

    b = await launchBrowser();
  });

  afterAll(async () => {
    await b?.close();
  });

  it('asks for a token, then charts the scenario exactly, and switches to English', async () => {
    const { page, pageErrors } = b!;
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    const response = await page.goto(`${baseUrl()}/`);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('知识产权金融监管看板');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('知识产权金融监管看板');

    // Not a JWT: refused in the page, nothing stored.
    await page.getByLabel('访问令牌').fill('not-a-token');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.textContent('#login-error')).resolves.toContain('令牌格式不正确');

    await page.getByLabel('访问令牌').fill(regulator);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForSelector('#dashboard:not([hidden])');
    expect(await page.inputValue('#region-input')).toBe(ZHANGZHOU); // from the token's region claim
    expect(await page.textContent('#region-name')).toBe('漳州市');
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('ipfin.dashboard.token'))).toBe(regulator);

    await page.selectOption('#year-select', YEAR);
    await page.waitForSelector(`body[data-year="${YEAR}"][data-load-state="settled"]`);

    // Financing by period: every quarter of 2023, numbers exactly as the API computed them.
    expect(await page.getAttribute('[data-card="financing-period"]', 'data-state')).toBe('ready');
    const period = await chartData(page, 'chart-financing-period');
    expect(period.categories).toEqual(['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4']);
    expect(period.series.contracted).toEqual(['1200000.00', '800000.50', '3000000.00', '0.00']);
    expect(period.series.disbursed).toEqual(['1200000.00', '500000.25', '3000000.00', '0.00']);
    expect(period.series.outstanding).toEqual(['1200000.00', '1700000.25', '4700000.25', '3700000.25']);
    expect(await tableRows(page, 'table-financing-period')).toEqual([
      ['2023-Q1', '1', '¥1,200,000.00', '¥1,200,000.00', '¥1,200,000.00', '1'],
      ['2023-Q2', '1', '¥800,000.50', '¥500,000.25', '¥1,700,000.25', '1'],
      ['2023-Q3', '1', '¥3,000,000.00', '¥3,000,000.00', '¥4,700,000.25', '1'],
      ['2023-Q4', '0', '¥0.00', '¥0.00', '¥3,700,000.25', '0'],
    ]);
    expect(await page.textContent('[data-kpi="contracted"] .kpi-value')).toBe('500.00 万元');
    expect(await page.textContent('[data-kpi="contracted"] .kpi-exact')).toBe('¥5,000,000.50');
    expect(await page.textContent('[data-kpi="outstanding"] .kpi-exact')).toBe('¥3,700,000.25');
    expect(await page.textContent('[data-kpi="smesServed"] .kpi-value')).toBe('3');

    // Data freshness of the figures shown.
    expect(await page.getAttribute('#status-asof', 'datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await page.textContent('#status-lag')).toBe('0');

    // Financing by region: the two counties, by name.
    const byRegion = await chartData(page, 'chart-financing-region');
    expect(byRegion.categories).toEqual(['芗城区', '龙文区']);
    expect(byRegion.series.contracted).toEqual(['1200000.00', '3800000.50']);

    // Bank ranking: SMEs served first (CIB 2 > XMB 1) although XMB contracted more.
    expect(await page.getAttribute('[data-card="banks"]', 'data-state')).toBe('ready');
    const banks = await chartData(page, 'chart-banks');
    expect(banks.categories.filter((bank) => bank === CIB || bank === XMB)).toEqual([CIB, XMB]);
    const bankRows = (await tableRows(page, 'table-banks')).filter((row) => row[1] === CIB || row[1] === XMB);
    expect(bankRows.map((row) => row.slice(1, 4))).toEqual([[CIB, '2', '¥2,000,000.50'], [XMB, '1', '¥3,000,000.00']]);

    // Every other card rendered or says, in its place, that its figures are not available.
    const states = await page.$$eval('[data-card]', (cards) => cards.map((c) => [c.getAttribute('data-card'), c.getAttribute('data-state'), c.querySelector('.card-note')?.textContent ?? '']));
    for (const [name, cardState, note] of states) {
      expect([name, cardState]).toEqual([name, expect.stringMatching(/^(ready|unavailable)$/)]);
      if (cardState === 'unavailable') expect(note).toMatch(/^暂不可用/);
    }
    expect(pageErrors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);

    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // English, persisted across a reload (the token stays for the tab's session).
    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await page.textContent('h1')).toBe('IP Finance Regulatory Dashboard');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#card-banks-title')).toBe('Bank ranking');
    expect(await page.textContent('[data-kpi="contracted"] .kpi-value')).toBe('¥5.00 m');
    const english = await chartData(page, 'chart-financing-region');
    expect(english.categories).toEqual(['Xiangcheng', 'Longwen']);

    await page.reload();
    await page.waitForSelector('#dashboard:not([hidden])');
    expect(await page.textContent('h1')).toBe('IP Finance Regulatory Dashboard');
    await page.selectOption('#year-select', YEAR);
    await page.waitForSelector(`body[data-year="${YEAR}"][data-load-state="settled"]`);
    expect(await page.textContent('#card-financing-period-title')).toBe('Financing by period');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });

    // Signing out forgets the token.
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('ipfin.dashboard.token'))).toBeNull();
    expect(await page.isVisible('#login')).toBe(true);
  });
});
