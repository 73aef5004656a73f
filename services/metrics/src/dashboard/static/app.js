/*
 * ipfin regulator dashboard (served at `/`). Plain ES2020, no build step, no dependencies but the
 * global `echarts`. It reads only the public metrics API (/v1/metrics/*, /v1/targets) with the
 * token the regulator pastes (kept in sessionStorage).
 *
 * Money arrives as decimal strings; every amount shown is formatted from the string through
 * BigInt fen (never float arithmetic). Charts get Numbers for plotting only, and keep the exact
 * string beside each point (`raw`) for tooltips and tests.
 *
 * The helpers at the top are pure and run without a DOM (dashboard.spec.ts loads this file in a
 * node:vm context and calls them through `IpfinDashboard`).
 */
(function (root) {
  'use strict';

  // ---------------------------------------------------------------- pure helpers

  const MONEY_RE = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;
  const RATIO_RE = /^(-)?(\d+)(?:\.(\d+))?$/;

  /** "1250000.5" → 125000050n (fen); null when not a money string. */
  function parseFen(value) {
    if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value) * 100n;
    const m = MONEY_RE.exec(String(value == null ? '' : value).trim());
    if (!m) return null;
    const fen = BigInt(m[2]) * 100n + BigInt((m[3] || '').padEnd(2, '0'));
    return m[1] ? -fen : fen;
  }

  /** "1234567" → "1,234,567" (digits only). */
  function groupDigits(digits) {
    return String(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  /** a ÷ b rounded half-up, for non-negative BigInts. */
  function divRound(a, b) {
    return (a + b / 2n) / b;
  }

  const pad2 = (n) => String(n).padStart(2, '0');

  /** "5000000.5" → "¥5,000,000.50"; "—" when missing. */
  function formatYuan(value) {
    const fen = parseFen(value);
    if (fen === null) return '—';
    const abs = fen < 0n ? -fen : fen;
    return `${fen < 0n ? '-' : ''}¥${groupDigits((abs / 100n).toString())}.${pad2(abs % 100n)}`;
  }

  /** `abs` fen in units of `unitFen`, two decimals, half-up: "1,234.57". */
  function scaled(abs, unitFen) {
    const hundredths = divRound(abs * 100n, unitFen);
    return `${groupDigits((hundredths / 100n).toString())}.${pad2(hundredths % 100n)}`;
  }

  /**
   * Short money for tiles and chart labels. Chinese: 万元 / 亿元; English: ¥ k / m.
   * "5000000.50" → "500.00 万元" (zh) / "¥5.00 m" (en).
   */
  function formatMoneyShort(value, lang) {
    const fen = parseFen(value);
    if (fen === null) return '—';
    const abs = fen < 0n ? -fen : fen;
    const sign = fen < 0n ? '-' : '';
    if (lang === 'en') {
      if (abs >= 100000000n) return `${sign}¥${scaled(abs, 100000000n)} m`;
      if (abs >= 100000n) return `${sign}¥${scaled(abs, 100000n)} k`;
      return formatYuan(value);
    }
    if (abs >= 10000000000n) return `${sign}${scaled(abs, 10000000000n)} 亿元`;
    if (abs >= 1000000n) return `${sign}${scaled(abs, 1000000n)} 万元`;
    return formatYuan(value);
  }

  /** Money in 万元 as a Number, for plotting only (the label always comes from the string). */
  function wanNumber(value) {
    const fen = parseFen(value);
    return fen === null ? 0 : Number(fen) / 1000000;
  }

  /** Ratio string → BigInt in 1/10000 (four places, half-up beyond); null when not a ratio. */
  function parseRatio(value) {
    const m = RATIO_RE.exec(String(value == null ? '' : value).trim());
    if (!m) return null;
    const decimals = m[3] || '';
    let units = BigInt(m[2]) * 10000n + BigInt(decimals.slice(0, 4).padEnd(4, '0'));
    if (decimals.length > 4 && Number(decimals[4]) >= 5) units += 1n;
    return m[1] ? -units : units;
  }

  /** "0.4567" → "45.67%". */
  function formatPercent(value) {
    const units = parseRatio(value);
    if (units === null) return '—';
    const abs = units < 0n ? -units : units;
    return `${units < 0n ? '-' : ''}${groupDigits((abs / 100n).toString())}.${pad2(abs % 100n)}%`;
  }

  /** Percent as a Number clamped to 0…100, for a bar's width only. */
  function percentWidth(value) {
    const units = parseRatio(value);
    if (units === null) return 0;
    return Math.max(0, Math.min(100, Number(units) / 100));
  }

  /** 12345 → "12,345"; a numeric string keeps its decimals ("1234.5" → "1,234.5"). */
  function formatCount(value) {
    if (value === null || value === undefined || value === '') return '—';
    const m = /^(-)?(\d+)(\.\d+)?$/.exec(String(value));
    if (!m) return String(value);
    return `${m[1] || ''}${groupDigits(m[2])}${m[3] || ''}`;
  }

  /** Compares two money strings exactly (missing counts as 0). */
  function compareMoney(a, b) {
    const x = parseFen(a) || 0n;
    const y = parseFen(b) || 0n;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** The api.md bank order: smesServed, then contracted, both descending; then the bank id. */
  function rankBanks(rows) {
    return rows.slice().sort((a, b) =>
      (b.smesServed || 0) - (a.smesServed || 0) || compareMoney(b.contracted, a.contracted) || String(a.bank).localeCompare(String(b.bank)));
  }

  /** The claims of a JWT (not verified: the API verifies); null when it is not a JWT. */
  function decodeClaims(token) {
    const parts = String(token || '').split('.');
    if (parts.length !== 3 || !parts[1]) return null;
    try {
      const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '=');
      const binary = root.atob(b64);
      const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
      const claims = JSON.parse(new root.TextDecoder('utf-8').decode(bytes));
      return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : null;
    } catch {
      return null;
    }
  }

  /** The period keys of a year as the financing API spells them ("2024-Q1", "2024-03"), up to `today`. */
  function periodKeys(year, unit, today) {
    const y = String(year);
    const last = today && today.slice(0, 4) === y ? Number(today.slice(5, 7)) : 12;
    const keys = [];
    if (unit === 'month') {
      for (let m = 1; m <= last; m++) keys.push(`${y}-${pad2(m)}`);
    } else {
      for (let q = 1; q <= Math.ceil(last / 3); q++) keys.push(`${y}-Q${q}`);
    }
    return keys;
  }

  /**
   * Every period of the year, in order: periods without events show zero flows and carry the
   * outstanding balance forward (from `opening`, the outstanding at the end of the previous year).
   */
  function fillPeriods(rows, keys, opening) {
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const known = keys.concat(rows.map((r) => r.key).filter((k) => !keys.includes(k))).sort();
    let outstanding = opening || '0.00';
    return known.map((key) => {
      const row = byKey.get(key);
      if (row) {
        outstanding = row.outstanding;
        return row;
      }
      return { key, loans: 0, contracted: '0.00', disbursed: '0.00', outstanding, smesServed: 0, defaults: 0, principalLoss: '0.00' };
    });
  }

  /** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
  function shanghaiToday(now) {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now || new Date());
    return parts.slice(0, 10);
  }

  // ---------------------------------------------------------------- i18n

  const I18N = {
    zh: {
      title: '知识产权金融监管看板',
      skipToContent: '跳到主要内容',
      switchLang: 'English',
      switchLangLabel: 'Switch to English',
      logout: '退出',
      loginTitle: '监管部门登录',
      loginHint: '请粘贴本部门的访问令牌（JWT）。令牌只保存在本浏览器标签页的会话中。',
      tokenLabel: '访问令牌',
      login: '登录',
      tokenMalformed: '令牌格式不正确：应为 JWT（三段，以“.”分隔）。',
      tokenExpired: '令牌已过期，请重新获取。',
      tokenRole: '该令牌的角色为“{role}”，本看板仅供监管部门（regulator）使用。',
      tokenRejected: '令牌无效或已过期，请重新登录。',
      signedInAs: '{sub}（{region}）',
      filtersTitle: '筛选条件',
      regionLabel: '地区代码',
      regionInvalid: '地区代码应为 6 位数字。',
      yearLabel: '年度',
      periodLabel: '期间粒度',
      byQuarter: '按季度',
      byMonth: '按月',
      refresh: '刷新',
      asOfLabel: '数据截至',
      lagLabel: '待处理事件',
      noEventsYet: '暂无事件',
      kpiTitle: '年度概览',
      financingByPeriod: '融资按期间',
      financingByRegion: '融资按地区',
      bankRanking: '合作银行排名',
      riskFund: '风险补偿资金',
      transfers: '专利转让与开放许可',
      universityRewards: '高校本地转化奖励',
      products: '专利密集型产品',
      targets: '目标任务进度',
      agencies: '服务机构绩效',
      dataTable: '数据表',
      footer: '数据来源：ipfin 公开指标接口（/v1/metrics、/v1/targets）。金额单位：人民币。',
      notAvailable: '暂不可用：该指标接口尚未提供。',
      loadFailed: '暂不可用：数据加载失败（{status}）。',
      forbidden: '无权查看该地区的数据。',
      forbiddenRegion: '无权查看地区 {region} 的数据（仅限本辖区）。',
      noData: '本期暂无数据。',
      noTargets: '本地区暂无目标任务。',
      derivedFromFinancing: '排名由融资数据（按银行）推算。',
      cardMeta: '截至 {asOf} · 待处理事件 {lag}',
      cardMetaEmpty: '尚无事件 · 待处理事件 {lag}',
      unitWan: '万元',
      loans: '登记笔数',
      contracted: '合同金额',
      disbursed: '放款金额',
      outstanding: '贷款余额',
      smesServed: '服务中小微企业',
      defaults: '违约笔数',
      principalLoss: '本金损失',
      patentPledged: '专利质押金额',
      trademarkPledged: '商标质押金额',
      period: '期间',
      region: '地区',
      bank: '银行',
      rank: '排名',
      inclusiveLoans: '普惠贷款笔数',
      defaultRate: '违约率',
      capital: '资金规模',
      paidOut: '已代偿（资金分担）',
      bankShare: '银行分担',
      recoveredToFund: '追偿返还资金',
      balance: '资金余额',
      coveredLoans: '纳入补偿贷款',
      lossRate: '损失率',
      claims: '补偿申请',
      claimFiled: '已受理',
      claimWaiting: '待拨付',
      claimPaid: '已拨付',
      claimRejected: '已驳回',
      transfersCount: '转让',
      licenceExclusive: '独占许可',
      licenceSole: '排他许可',
      licenceOrdinary: '普通许可',
      recordedContracts: '备案合同',
      openLicencesDeclared: '开放许可声明',
      openLicencesInForce: '有效开放许可',
      openLicencesTaken: '开放许可实施',
      university: '高校',
      localInventionTransfers: '本地发明专利转让',
      reward: '奖励金额',
      filed: '备案申请',
      recognised: '认定',
      rejected: '未通过',
      rewards: '奖励合计',
      enterprise: '企业（统一社会信用代码）',
      agency: '服务机构',
      inclusivePledgeEnterprises: '普惠质押服务企业',
      transfersAndLicences: '转让与许可',
      productFilings: '产品备案',
      subsidyEarned: '达到补助条件',
      subsidy: '补助金额',
      yes: '是',
      no: '否',
      indicator: '指标',
      dueOn: '期限 {date}',
      baseline: '基数 {value}',
      progressOf: '{actual} / {target}',
      count: '{n} 件',
      perCent: '完成 {p}',
    },
    en: {
      title: 'IP Finance Regulatory Dashboard',
      skipToContent: 'Skip to main content',
      switchLang: '中文',
      switchLangLabel: '切换到中文',
      logout: 'Sign out',
      loginTitle: 'Regulator sign-in',
      loginHint: "Paste your office's access token (JWT). It is kept only in this browser tab's session.",
      tokenLabel: 'Access token',
      login: 'Sign in',
      tokenMalformed: 'This is not a JWT (three parts separated by ".").',
      tokenExpired: 'This token has expired; get a new one.',
      tokenRole: 'This token is for the role "{role}"; the dashboard is for regulators.',
      tokenRejected: 'The token was refused or has expired; please sign in again.',
      signedInAs: '{sub} ({region})',
      filtersTitle: 'Filters',
      regionLabel: 'Region code',
      regionInvalid: 'A region code has 6 digits.',
      yearLabel: 'Year',
      periodLabel: 'Period',
      byQuarter: 'By quarter',
      byMonth: 'By month',
      refresh: 'Refresh',
      asOfLabel: 'Data as of',
      lagLabel: 'Events pending',
      noEventsYet: '— (no events yet)',
      kpiTitle: 'Year at a glance',
      financingByPeriod: 'Financing by period',
      financingByRegion: 'Financing by region',
      bankRanking: 'Bank ranking',
      riskFund: 'Risk compensation fund',
      transfers: 'Patent transfers and open licences',
      universityRewards: 'University local-transfer rewards',
      products: 'Patent-intensive products',
      targets: 'Targets progress',
      agencies: 'Service agencies',
      dataTable: 'Data table',
      footer: 'Source: the ipfin public metrics API (/v1/metrics, /v1/targets). Amounts in CNY.',
      notAvailable: 'Not available: this figure is not served yet.',
      loadFailed: 'Not available: loading failed ({status}).',
      forbidden: 'You may not read this region.',
      forbiddenRegion: 'You may not read region {region} (your jurisdiction only).',
      noData: 'No data for this period.',
      noTargets: 'No targets for this region.',
      derivedFromFinancing: 'Ranking derived from financing by bank.',
      cardMeta: 'As of {asOf} · {lag} events pending',
      cardMetaEmpty: 'No events yet · {lag} events pending',
      unitWan: 'CNY 10k',
      loans: 'Loans registered',
      contracted: 'Contracted',
      disbursed: 'Disbursed',
      outstanding: 'Outstanding',
      smesServed: 'SMEs served',
      defaults: 'Defaults',
      principalLoss: 'Principal loss',
      patentPledged: 'Patent-pledged',
      trademarkPledged: 'Trademark-pledged',
      period: 'Period',
      region: 'Region',
      bank: 'Bank',
      rank: 'Rank',
      inclusiveLoans: 'Inclusive loans',
      defaultRate: 'Default rate',
      capital: 'Capital',
      paidOut: 'Paid out (fund share)',
      bankShare: 'Bank share',
      recoveredToFund: 'Recovered to fund',
      balance: 'Balance',
      coveredLoans: 'Covered loans',
      lossRate: 'Loss rate',
      claims: 'Claims',
      claimFiled: 'Filed',
      claimWaiting: 'Waiting',
      claimPaid: 'Paid',
      claimRejected: 'Rejected',
      transfersCount: 'Transfers',
      licenceExclusive: 'Exclusive licences',
      licenceSole: 'Sole licences',
      licenceOrdinary: 'Ordinary licences',
      recordedContracts: 'Recorded contracts',
      openLicencesDeclared: 'Open licences declared',
      openLicencesInForce: 'Open licences in force',
      openLicencesTaken: 'Open licences taken',
      university: 'University',
      localInventionTransfers: 'Local invention transfers',
      reward: 'Reward',
      filed: 'Filed',
      recognised: 'Recognised',
      rejected: 'Rejected',
      rewards: 'Rewards',
      enterprise: 'Enterprise (USCC)',
      agency: 'Agency',
      inclusivePledgeEnterprises: 'Inclusive-pledge enterprises',
      transfersAndLicences: 'Transfers and licences',
      productFilings: 'Product filings',
      subsidyEarned: 'Subsidy earned',
      subsidy: 'Subsidy',
      yes: 'yes',
      no: 'no',
      indicator: 'Indicator',
      dueOn: 'due {date}',
      baseline: 'baseline {value}',
      progressOf: '{actual} / {target}',
      count: '{n}',
      perCent: '{p} done',
    },
  };

  /** Region names for the codes the programs cover today; any other code shows as the code. */
  const REGION_NAMES = {
    350500: ['泉州市', 'Quanzhou'], 350583: ['南安市', "Nan'an"],
    350600: ['漳州市', 'Zhangzhou'], 350602: ['芗城区', 'Xiangcheng'], 350603: ['龙文区', 'Longwen'],
    350604: ['龙海区', 'Longhai'], 350605: ['长泰区', 'Changtai'], 350622: ['云霄县', 'Yunxiao'],
    350623: ['漳浦县', 'Zhangpu'], 350624: ['诏安县', "Zhao'an"], 350626: ['东山县', 'Dongshan'],
    350627: ['南靖县', 'Nanjing County'], 350628: ['平和县', 'Pinghe'], 350629: ['华安县', "Hua'an"],
    371000: ['威海市', 'Weihai'], 371002: ['环翠区', 'Huancui'], 430500: ['邵阳市', 'Shaoyang'],
  };

  /** Indicator names of the seeded plan targets (others show their code). */
  const INDICATORS = {
    'patent-pledge-cumulative': ['专利权质押融资累计额', 'Patent pledge financing, cumulative'],
    'trademark-pledge-cumulative': ['商标质押融资累计额', 'Trademark pledge financing, cumulative'],
    'pledge-financing-cumulative': ['知识产权质押融资累计额', 'IP pledge financing, cumulative'],
    'pledge-financing-annual': ['年度知识产权质押融资额', 'IP pledge financing, annual'],
    'recorded-contracts-annual': ['年度专利转让许可备案合同数', 'Recorded transfer/licence contracts, annual'],
    'patent-operation-and-pledge-annual': ['年度专利运营及质押融资额', 'Patent operation and pledge financing, annual'],
    'risk-fund-capital-annual': ['年度风险补偿资金规模', 'Risk fund capital, annual'],
    'open-licences-declared-cumulative': ['专利开放许可累计数', 'Open licences declared, cumulative'],
    'product-filings-annual': ['年度专利密集型产品备案数', 'Patent-intensive product filings, annual'],
  };

  function translate(lang, key, vars) {
    const table = I18N[lang] || I18N.zh;
    let text = key in table ? table[key] : key in I18N.zh ? I18N.zh[key] : key;
    for (const [name, value] of Object.entries(vars || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  function regionName(code, lang) {
    const names = REGION_NAMES[code];
    return names ? names[lang === 'en' ? 1 : 0] : String(code);
  }

  const helpers = {
    parseFen, groupDigits, formatYuan, formatMoneyShort, wanNumber, parseRatio, formatPercent, percentWidth,
    formatCount, compareMoney, rankBanks, decodeClaims, periodKeys, fillPeriods, shanghaiToday, translate, regionName,
    I18N,
  };
  root.IpfinDashboard = helpers;

  if (typeof root.document === 'undefined') return;

  // ---------------------------------------------------------------- the page

  const doc = root.document;
  const TOKEN_KEY = 'ipfin.dashboard.token';
  const LANG_KEY = 'ipfin.dashboard.lang';
  const REGION_KEY = 'ipfin.dashboard.region';
  const PALETTE = ['#1f5fa8', '#2f9e8f', '#e0a526', '#c2493d', '#7a59b5', '#5b7083'];

  const $ = (sel) => doc.querySelector(sel);
  const readStore = (store, key) => { try { return store.getItem(key); } catch { return null; } };
  const writeStore = (store, key, value) => {
    try { if (value === null) store.removeItem(key); else store.setItem(key, value); } catch { /* storage disabled */ }
  };

  const state = {
    lang: readStore(root.localStorage, LANG_KEY) === 'en' ? 'en' : 'zh',
    token: null,
    claims: null,
    generation: 0,
    query: null,
    results: {},
    charts: {},
  };

  const t = (key, vars) => translate(state.lang, key, vars);
  const money = (v) => formatMoneyShort(v, state.lang);

  function el(tag, attrs, children) {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  function formatAsOf(asOf) {
    if (!asOf) return t('noEventsYet');
    const date = new Date(asOf);
    if (Number.isNaN(date.getTime())) return String(asOf);
    return new Intl.DateTimeFormat(state.lang === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
    }).format(date);
  }

  // ------------------------------------------------------------ language

  function applyLanguage() {
    doc.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
    doc.title = t('title');
    for (const node of doc.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
    const toggle = $('#lang-toggle');
    toggle.textContent = t('switchLang');
    toggle.setAttribute('aria-label', t('switchLangLabel'));
    toggle.setAttribute('lang', state.lang === 'en' ? 'zh-CN' : 'en');
    updateWhoami();
    updateRegionName();
  }

  function setLanguage(lang) {
    state.lang = lang;
    writeStore(root.localStorage, LANG_KEY, lang);
    applyLanguage();
    for (const chart of Object.values(state.charts)) chart.dispose();
    state.charts = {};
    if (state.query) renderAll();
  }

  // ------------------------------------------------------------ sign-in

  function updateWhoami() {
    const who = $('#whoami');
    if (!state.claims) { who.hidden = true; return; }
    who.hidden = false;
    const region = state.claims.region ? `${regionName(state.claims.region, state.lang)} ${state.claims.region}` : 'admin';
    who.textContent = t('signedInAs', { sub: state.claims.sub || '?', region });
  }

  function checkToken(raw) {
    const token = String(raw || '').trim().replace(/^Bearer\s+/i, '');
    const claims = decodeClaims(token);
    if (!claims) return { error: t('tokenMalformed') };
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return { error: t('tokenExpired') };
    if (claims.role !== 'regulator' && claims.role !== 'admin') return { error: t('tokenRole', { role: claims.role || '?' }) };
    return { token, claims };
  }

  function showLogin(message) {
    state.token = null;
    state.claims = null;
    state.query = null;
    state.generation++;
    writeStore(root.sessionStorage, TOKEN_KEY, null);
    for (const chart of Object.values(state.charts)) chart.dispose();
    state.charts = {};
    $('#dashboard').hidden = true;
    $('#logout').hidden = true;
    $('#login').hidden = false;
    $('#login-error').textContent = message || '';
    updateWhoami();
    $('#token-input').focus();
  }

  function signIn(token, claims) {
    state.token = token;
    state.claims = claims;
    writeStore(root.sessionStorage, TOKEN_KEY, token);
    $('#login').hidden = true;
    $('#login-error').textContent = '';
    $('#token-input').value = '';
    $('#dashboard').hidden = false;
    $('#logout').hidden = false;
    const stored = readStore(root.sessionStorage, REGION_KEY);
    $('#region-input').value = stored && stored.length === 6 ? stored : claims.region || '';
    updateWhoami();
    updateRegionName();
    load();
  }

  function updateRegionName() {
    const code = $('#region-input').value.trim();
    $('#region-name').textContent = /^\d{6}$/.test(code) ? regionName(code, state.lang) : code ? t('regionInvalid') : '';
  }

  // ------------------------------------------------------------ API

  async function getJson(path, params) {
    const url = new URL(path, root.location.origin);
    for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    let response;
    try {
      response = await root.fetch(url.toString(), { headers: { authorization: `Bearer ${state.token}`, accept: 'application/json' }, cache: 'no-store' });
    } catch (err) {
      return { ok: false, status: 0, detail: err && err.message ? err.message : String(err) };
    }
    let body = null;
    if (/json/.test(response.headers.get('content-type') || '')) {
      try { body = await response.json(); } catch { body = null; }
    }
    return { ok: response.ok, status: response.status, body, detail: body && (body.detail || body.title) };
  }

  function queryFromForm() {
    const region = $('#region-input').value.trim();
    return {
      region: /^\d{6}$/.test(region) ? region : (state.claims && state.claims.region) || '',
      year: Number($('#year-select').value),
      period: $('#period-select').value === 'month' ? 'month' : 'quarter',
    };
  }

  const CARDS = ['financing-period', 'financing-region', 'banks', 'risk-fund', 'transfers', 'products', 'targets', 'agencies'];

  async function fetchBanks(q) {
    const res = await getJson('/v1/metrics/banks', { region: q.region, year: q.year });
    if (res.status !== 404) return res;
    // Not served yet: the same ranking from financing grouped by bank (api.md: per bank
    // smesServed and contracted, sorted by smesServed then contracted).
    const fin = await getJson('/v1/metrics/financing', { region: q.region, year: q.year, groupBy: 'bank' });
    if (!fin.ok || !fin.body) return fin;
    const rows = rankBanks((fin.body.rows || []).map((r) => ({ bank: r.key, smesServed: r.smesServed, contracted: r.contracted, loans: r.loans, defaults: r.defaults })));
    return { ok: true, status: 200, derived: true, body: { region: fin.body.region, year: q.year, asOf: fin.body.asOf, lagEvents: fin.body.lagEvents, rows } };
  }

  async function fetchPeriod(q) {
    const [period, opening] = await Promise.all([
      getJson('/v1/metrics/financing', { region: q.region, year: q.year, groupBy: q.period }),
      getJson('/v1/metrics/financing', { region: q.region, to: `${q.year - 1}-12-31` }),
    ]);
    if (period.ok && period.body) period.opening = opening.ok && opening.body ? opening.body.totals.outstanding : '0.00';
    return period;
  }

  function load() {
    const q = queryFromForm();
    state.query = q;
    state.results = {};
    const generation = ++state.generation;
    doc.body.setAttribute('data-load-state', 'loading');
    doc.body.setAttribute('data-year', String(q.year));
    doc.body.setAttribute('data-region', q.region);
    $('#global-error').hidden = true;
    for (const name of CARDS) setCardState(name, 'loading');
    const byYear = { region: q.region, year: q.year };
    const requests = {
      'financing-period': fetchPeriod(q),
      'financing-region': getJson('/v1/metrics/financing', { ...byYear, groupBy: 'region' }),
      banks: fetchBanks(q),
      'risk-fund': getJson('/v1/metrics/risk-fund', { region: q.region }),
      transfers: getJson('/v1/metrics/transfers', byYear),
      products: getJson('/v1/metrics/products', byYear),
      targets: getJson('/v1/targets', { region: q.region }),
      agencies: getJson('/v1/metrics/agencies', byYear),
    };
    const settled = Object.entries(requests).map(([name, promise]) => promise.then((res) => {
      if (generation !== state.generation) return;
      if (res.status === 401) { showLogin(t('tokenRejected')); return; }
      state.results[name] = res;
      renderCard(name);
      if (name === 'financing-period') renderSummary();
    }));
    void Promise.all(settled).then(() => {
      if (generation === state.generation) doc.body.setAttribute('data-load-state', 'settled');
    });
  }

  // ------------------------------------------------------------ rendering

  function card(name) { return doc.querySelector(`[data-card="${name}"]`); }

  function setCardState(name, cardState, note) {
    const node = card(name);
    node.setAttribute('data-state', cardState);
    node.setAttribute('aria-busy', cardState === 'loading' ? 'true' : 'false');
    const noteNode = node.querySelector('.card-note');
    noteNode.textContent = note || '';
    noteNode.hidden = !note;
    for (const part of node.querySelectorAll('.chart, details.data, .figures, .table-wrap, .targets')) part.hidden = cardState === 'unavailable';
    if (cardState !== 'ready') node.querySelector('.card-meta').textContent = '';
  }

  function failureNote(res) {
    if (res.status === 404) return t('notAvailable');
    if (res.status === 403) return state.query ? t('forbiddenRegion', { region: state.query.region }) : t('forbidden');
    return t('loadFailed', { status: res.status ? `HTTP ${res.status}` : res.detail || 'network' });
  }

  function renderAll() {
    renderSummary();
    for (const name of CARDS) if (state.results[name]) renderCard(name);
  }

  function renderCard(name) {
    const res = state.results[name];
    if (!res.ok || !res.body) {
      setCardState(name, 'unavailable', failureNote(res));
      if (name === 'financing-period' && res.status === 403) {
        const banner = $('#global-error');
        banner.textContent = failureNote(res);
        banner.hidden = false;
      }
      return;
    }
    try {
      RENDERERS[name](res.body, res);
      setCardState(name, 'ready', res.derived ? t('derivedFromFinancing') : '');
      const meta = card(name).querySelector('.card-meta');
      const lag = formatCount(res.body.lagEvents);
      meta.textContent = !('asOf' in res.body) ? '' : res.body.asOf ? t('cardMeta', { asOf: formatAsOf(res.body.asOf), lag }) : t('cardMetaEmpty', { lag });
    } catch (err) {
      // A shape this page does not know (an endpoint still in progress) must not break the rest.
      root.console.error(`dashboard: cannot render ${name}`, err);
      setCardState(name, 'unavailable', t('loadFailed', { status: 'format' }));
    }
  }

  function renderSummary() {
    const res = state.results['financing-period'];
    const asOfNode = $('#status-asof');
    const lagNode = $('#status-lag');
    const list = $('#kpi-list');
    list.textContent = '';
    if (!res || !res.ok || !res.body) {
      asOfNode.textContent = '—';
      asOfNode.removeAttribute('datetime');
      lagNode.textContent = '—';
      return;
    }
    const body = res.body;
    asOfNode.textContent = formatAsOf(body.asOf);
    if (body.asOf) asOfNode.setAttribute('datetime', body.asOf); else asOfNode.removeAttribute('datetime');
    lagNode.textContent = formatCount(body.lagEvents);
    const totals = body.totals || {};
    const tiles = [
      ['loans', formatCount(totals.loans), null],
      ['contracted', money(totals.contracted), formatYuan(totals.contracted)],
      ['disbursed', money(totals.disbursed), formatYuan(totals.disbursed)],
      ['outstanding', money(totals.outstanding), formatYuan(totals.outstanding)],
      ['smesServed', formatCount(totals.smesServed), null],
      ['patentPledged', money(totals.patentPledged), formatYuan(totals.patentPledged)],
      ['defaults', formatCount(totals.defaults), null],
      ['principalLoss', money(totals.principalLoss), formatYuan(totals.principalLoss)],
    ];
    for (const [key, value, exact] of tiles) {
      list.append(el('div', { class: 'kpi', 'data-kpi': key }, [
        el('dt', { text: t(key) }),
        el('dd', {}, [
          el('span', { class: 'kpi-value', text: value }),
          exact ? el('span', { class: 'kpi-exact', text: exact }) : null,
        ]),
      ]));
    }
  }

  /** A table from columns `{ key, label, format?, num? }`; every cell through textContent. */
  function renderTable(containerId, caption, columns, rows) {
    const container = doc.getElementById(containerId);
    container.textContent = '';
    if (!rows.length) {
      container.append(el('p', { class: 'empty', text: t('noData') }));
      return;
    }
    const thead = el('thead', {}, [el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null, text: c.label })))]);
    const tbody = el('tbody', {}, rows.map((row, i) => el('tr', { 'data-key': row.key !== undefined ? row.key : row.bank || row.sub || row.enterprise || row.agency || i },
      columns.map((c, j) => el(j === 0 ? 'th' : 'td', { scope: j === 0 ? 'row' : null, class: c.num ? 'num' : null, 'data-col': c.key, text: c.format ? c.format(row[c.key], row, i) : row[c.key] }))),
    ));
    container.append(el('table', {}, [el('caption', { class: 'visually-hidden', text: caption }), thead, tbody]));
  }

  function chartFor(id, label) {
    const node = doc.getElementById(id);
    node.setAttribute('aria-label', label);
    let chart = state.charts[id];
    if (!chart) {
      chart = root.echarts.init(node, null, { renderer: 'canvas', locale: state.lang === 'en' ? 'EN' : 'ZH' });
      state.charts[id] = chart;
    }
    return chart;
  }

  const baseOption = () => ({
    color: PALETTE,
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  });

  /** Tooltip lines from the exact strings carried in the data items. */
  function tooltipFormatter(params) {
    const list = Array.isArray(params) ? params : [params];
    const head = list.length ? escapeHtml(list[0].axisValueLabel || list[0].name) : '';
    return [head].concat(list.map((p) => {
      const raw = p.data && typeof p.data === 'object' ? p.data.raw : undefined;
      const text = raw === undefined ? formatCount(p.value) : typeof raw === 'string' ? formatYuan(raw) : formatCount(raw);
      return `${p.marker}${escapeHtml(p.seriesName)}: <b>${escapeHtml(text)}</b>`;
    })).join('<br>');
  }

  const moneyPoint = (raw) => ({ value: wanNumber(raw), raw });
  const moneyLabel = (p) => formatMoneyShort(p.data.raw, state.lang);
  const countLabel = (p) => formatCount(p.data.raw);
  const countPoint = (n) => ({ value: Number(n) || 0, raw: Number(n) || 0 });
  const axisNumber = (v) => formatCount(String(Math.round(v * 100) / 100));

  const RENDERERS = {
    'financing-period'(body, res) {
      const q = state.query;
      const rows = fillPeriods(body.rows || [], periodKeys(q.year, q.period, shanghaiToday()), res.opening);
      const chart = chartFor('chart-financing-period', t('financingByPeriod'));
      chart.setOption({
        ...baseOption(),
        tooltip: { ...baseOption().tooltip, formatter: tooltipFormatter },
        xAxis: { type: 'category', data: rows.map((r) => r.key) },
        yAxis: { type: 'value', name: t('unitWan'), axisLabel: { formatter: axisNumber } },
        series: [
          { id: 'contracted', name: t('contracted'), type: 'bar', data: rows.map((r) => moneyPoint(r.contracted)) },
          { id: 'disbursed', name: t('disbursed'), type: 'bar', data: rows.map((r) => moneyPoint(r.disbursed)) },
          { id: 'outstanding', name: t('outstanding'), type: 'line', symbolSize: 7, data: rows.map((r) => moneyPoint(r.outstanding)) },
        ],
      }, true);
      renderTable('table-financing-period', t('financingByPeriod'), [
        { key: 'key', label: t('period') },
        { key: 'loans', label: t('loans'), num: true, format: formatCount },
        { key: 'contracted', label: t('contracted'), num: true, format: formatYuan },
        { key: 'disbursed', label: t('disbursed'), num: true, format: formatYuan },
        { key: 'outstanding', label: t('outstanding'), num: true, format: formatYuan },
        { key: 'smesServed', label: t('smesServed'), num: true, format: formatCount },
      ], rows);
    },

    'financing-region'(body) {
      const rows = body.rows || [];
      const chart = chartFor('chart-financing-region', t('financingByRegion'));
      chart.setOption({
        ...baseOption(),
        tooltip: { ...baseOption().tooltip, formatter: tooltipFormatter },
        xAxis: { type: 'category', data: rows.map((r) => regionName(r.key, state.lang)), axisLabel: { interval: 0, hideOverlap: true } },
        yAxis: { type: 'value', name: t('unitWan'), axisLabel: { formatter: axisNumber } },
        series: [
          { id: 'contracted', name: t('contracted'), type: 'bar', data: rows.map((r) => moneyPoint(r.contracted)) },
          { id: 'outstanding', name: t('outstanding'), type: 'bar', data: rows.map((r) => moneyPoint(r.outstanding)) },
        ],
      }, true);
      renderTable('table-financing-region', t('financingByRegion'), [
        { key: 'key', label: t('region'), format: (code) => `${regionName(code, state.lang)} (${code})` },
        { key: 'loans', label: t('loans'), num: true, format: formatCount },
        { key: 'contracted', label: t('contracted'), num: true, format: formatYuan },
        { key: 'outstanding', label: t('outstanding'), num: true, format: formatYuan },
        { key: 'smesServed', label: t('smesServed'), num: true, format: formatCount },
      ], rows);
    },

    banks(body) {
      const rows = body.rows || [];
      const top = rows.slice(0, 10);
      const chart = chartFor('chart-banks', t('bankRanking'));
      chart.setOption({
        ...baseOption(),
        tooltip: { ...baseOption().tooltip, formatter: tooltipFormatter },
        grid: { left: 8, right: 96, top: 32, bottom: 8, containLabel: true },
        yAxis: { type: 'category', inverse: true, data: top.map((r) => r.bank) },
        // Two scales (a count and money): each bar carries its own value label instead of an axis.
        xAxis: [
          { type: 'value', show: false, minInterval: 1 },
          { type: 'value', show: false },
        ],
        legend: { top: 0 },
        series: [
          { id: 'smesServed', name: t('smesServed'), type: 'bar', xAxisIndex: 0, barMaxWidth: 22, label: { show: true, position: 'right', formatter: countLabel }, data: top.map((r) => countPoint(r.smesServed)) },
          { id: 'contracted', name: t('contracted'), type: 'bar', xAxisIndex: 1, barMaxWidth: 22, label: { show: true, position: 'right', formatter: moneyLabel }, data: top.map((r) => moneyPoint(r.contracted)) },
        ],
      }, true);
      renderTable('table-banks', t('bankRanking'), [
        { key: 'rank', label: t('rank'), format: (_v, _r, i) => String(i + 1) },
        { key: 'bank', label: t('bank') },
        { key: 'smesServed', label: t('smesServed'), num: true, format: formatCount },
        { key: 'contracted', label: t('contracted'), num: true, format: formatYuan },
        { key: 'loans', label: t('loans'), num: true, format: formatCount },
        { key: 'defaultRate', label: t('defaultRate'), num: true, format: (v) => (v === undefined ? '—' : formatPercent(v)) },
      ], rows);
    },

    'risk-fund'(body) {
      const list = doc.getElementById('figures-risk-fund');
      list.textContent = '';
      const figures = [
        ['capital', formatYuan(body.capital)], ['paidOut', formatYuan(body.paidOut)], ['bankShare', formatYuan(body.bankShare)],
        ['recoveredToFund', formatYuan(body.recoveredToFund)], ['balance', formatYuan(body.balance)],
        ['coveredLoans', formatCount(body.coveredLoans)], ['lossRate', formatPercent(body.lossRate)],
      ];
      for (const [key, value] of figures) {
        list.append(el('div', { class: key === 'balance' ? 'figure figure-strong' : 'figure', 'data-figure': key }, [el('dt', { text: t(key) }), el('dd', { text: value })]));
      }
      const claims = body.claims || {};
      const statuses = [['filed', 'claimFiled'], ['waiting', 'claimWaiting'], ['paid', 'claimPaid'], ['rejected', 'claimRejected']];
      const chart = chartFor('chart-risk-fund', t('claims'));
      chart.setOption({
        ...baseOption(),
        tooltip: { ...baseOption().tooltip, formatter: tooltipFormatter },
        legend: { show: false },
        title: { text: t('claims'), left: 'center', top: 0, textStyle: { fontSize: 13, fontWeight: 'normal' } },
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: statuses.map(([, label]) => t(label)), axisLabel: { interval: 0 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [{ id: 'claims', name: t('claims'), type: 'bar', barMaxWidth: 36, data: statuses.map(([k], i) => ({ ...countPoint(claims[k]), itemStyle: { color: PALETTE[i] } })) }],
      }, true);
    },

    transfers(body) {
      const licences = body.licences || {};
      const bars = [
        ['transfersCount', body.transfers], ['licenceExclusive', licences.exclusive], ['licenceSole', licences.sole],
        ['licenceOrdinary', licences.ordinary], ['recordedContracts', body.recordedContracts],
        ['openLicencesDeclared', body.openLicencesDeclared], ['openLicencesInForce', body.openLicencesInForce], ['openLicencesTaken', body.openLicencesTaken],
      ];
      const chart = chartFor('chart-transfers', t('transfers'));
      chart.setOption({
        ...baseOption(),
        tooltip: { ...baseOption().tooltip, formatter: tooltipFormatter },
        legend: { show: false },
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        yAxis: { type: 'category', inverse: true, data: bars.map(([k]) => t(k)) },
        xAxis: { type: 'value', show: false, minInterval: 1 },
        series: [{ id: 'counts', name: t('transfers'), type: 'bar', barMaxWidth: 18, label: { show: true, position: 'right', formatter: countLabel }, data: bars.map(([, n]) => countPoint(n)) }],
      }, true);
      renderTable('table-transfers', t('universityRewards'), [
        { key: 'sub', label: t('university') },
        { key: 'inventionTransfersToLocalEnterprises', label: t('localInventionTransfers'), num: true, format: formatCount },
        { key: 'reward', label: t('reward'), num: true, format: formatYuan },
      ], body.universityRewards || []);
    },

    products(body) {
      const list = doc.getElementById('figures-products');
      list.textContent = '';
      for (const [key, value] of [['filed', formatCount(body.filed)], ['recognised', formatCount(body.recognised)], ['rejected', formatCount(body.rejected)], ['rewards', formatYuan(body.rewards)]]) {
        list.append(el('div', { class: 'figure', 'data-figure': key }, [el('dt', { text: t(key) }), el('dd', { text: value })]));
      }
      renderTable('table-products', t('products'), [
        { key: 'enterprise', label: t('enterprise') },
        { key: 'filed', label: t('filed'), num: true, format: formatCount },
        { key: 'recognised', label: t('recognised'), num: true, format: formatCount },
        { key: 'reward', label: t('reward'), num: true, format: formatYuan },
      ], body.rows || []);
    },

    targets(body) {
      const list = doc.getElementById('list-targets');
      list.textContent = '';
      const items = body.items || [];
      if (!items.length) {
        list.append(el('li', { class: 'empty', text: t('noTargets') }));
        return;
      }
      for (const item of items) {
        const isMoney = item.unit === 'CNY';
        const show = (v) => (v === null || v === undefined ? '—' : isMoney ? formatMoneyShort(v, state.lang) : t('count', { n: formatCount(v) }));
        const names = INDICATORS[item.indicator];
        const label = names ? names[state.lang === 'en' ? 1 : 0] : item.indicator;
        const percent = formatPercent(item.progress);
        const labelId = `target-${String(item.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
        const bar = el('div', {
          class: 'progress', role: 'progressbar', 'aria-labelledby': labelId, 'aria-valuemin': '0', 'aria-valuemax': '100',
          'aria-valuenow': String(percentWidth(item.progress)), 'aria-valuetext': percent,
        }, [el('div', { class: 'progress-fill' })]);
        bar.firstChild.style.width = `${percentWidth(item.progress)}%`;
        list.append(el('li', { class: 'target', 'data-indicator': item.indicator }, [
          el('div', { class: 'target-head' }, [
            el('span', { class: 'target-name', id: labelId, text: `${label} · ${regionName(item.region, state.lang)}` }),
            el('span', { class: 'target-percent', text: t('perCent', { p: percent }) }),
          ]),
          bar,
          el('div', { class: 'target-foot' }, [
            el('span', { text: t('progressOf', { actual: show(item.actual), target: show(item.target) }) }),
            el('span', { text: [item.baseline != null ? t('baseline', { value: show(item.baseline) }) : '', t('dueOn', { date: item.dueOn })].filter(Boolean).join(' · ') }),
          ]),
        ]));
      }
    },

    agencies(body) {
      renderTable('table-agencies', t('agencies'), [
        { key: 'agency', label: t('agency') },
        { key: 'inclusivePledgeEnterprises', label: t('inclusivePledgeEnterprises'), num: true, format: formatCount },
        { key: 'transfersAndLicences', label: t('transfersAndLicences'), num: true, format: formatCount },
        { key: 'productFilings', label: t('productFilings'), num: true, format: formatCount },
        { key: 'subsidyEarned', label: t('subsidyEarned'), format: (v) => (v ? t('yes') : t('no')) },
        { key: 'subsidy', label: t('subsidy'), num: true, format: formatYuan },
      ], body.rows || []);
    },
  };

  // ------------------------------------------------------------ wiring

  function fillYears() {
    const select = $('#year-select');
    const current = Number(shanghaiToday().slice(0, 4));
    for (let y = current; y >= current - 9; y--) select.append(el('option', { value: String(y), text: String(y) }));
    select.value = String(current);
  }

  function boot() {
    fillYears();
    applyLanguage();
    $('#lang-toggle').addEventListener('click', () => setLanguage(state.lang === 'en' ? 'zh' : 'en'));
    $('#logout').addEventListener('click', () => showLogin(''));
    $('#login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const checked = checkToken($('#token-input').value);
      if (checked.error) { $('#login-error').textContent = checked.error; return; }
      signIn(checked.token, checked.claims);
    });
    $('#filters').addEventListener('submit', (event) => {
      event.preventDefault();
      const region = $('#region-input').value.trim();
      if (!/^\d{6}$/.test(region)) { updateRegionName(); return; }
      writeStore(root.sessionStorage, REGION_KEY, region);
      load();
    });
    $('#region-input').addEventListener('input', updateRegionName);
    $('#year-select').addEventListener('change', load);
    $('#period-select').addEventListener('change', load);
    let resizeTimer = 0;
    root.addEventListener('resize', () => {
      root.clearTimeout(resizeTimer);
      resizeTimer = root.setTimeout(() => { for (const chart of Object.values(state.charts)) chart.resize(); }, 100);
    });

    const saved = readStore(root.sessionStorage, TOKEN_KEY);
    const checked = saved ? checkToken(saved) : null;
    if (checked && !checked.error) signIn(checked.token, checked.claims);
    else showLogin(checked ? checked.error : '');
  }

  const start = () => {
    if (typeof root.echarts === 'undefined') {
      $('#login-error').textContent = 'ECharts failed to load (/dashboard/echarts.min.js).';
      return;
    }
    boot();
  };
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})(typeof window !== 'undefined' ? window : globalThis);
