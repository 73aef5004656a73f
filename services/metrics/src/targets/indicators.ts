import { LICENCE_KIND_VALUES } from '@ipfin/contracts';
import { BusinessDate } from '@ipfin/kernel';
import { BEGINNING } from '../common/range';
import { MEASURES } from '../counters/deltas';

/**
 * The plan indicators the platform measures, and how: each sums one or more aggregate figures in
 * the target's region (its counties included) over a window that ends on the due date, or today
 * if that is earlier. `cumulative` counts from the beginning, `annual` the calendar year of that
 * end day (so before the due year it shows the current year so far), `in-force` is a stock on
 * that day. Any other indicator may be recorded as a target; its `actual` is then null.
 */

export const TARGET_UNITS = ['CNY', 'count'] as const;
export type TargetUnit = (typeof TARGET_UNITS)[number];

export type IndicatorSpan = 'cumulative' | 'annual' | 'in-force';

export type IndicatorSource =
  /** Contracted principal of pledge loans registered in the window: all, or those pledging a patent / only trademarks. */
  | { kind: 'financing'; field: 'contracted' | 'patent' | 'trademark' }
  /** A generic fact: its count or its amount. */
  | { kind: 'counter'; measure: string; field: 'n' | 'amount' };

export interface IndicatorDefinition {
  unit: TargetUnit;
  span: IndicatorSpan;
  sources: readonly IndicatorSource[];
  description: string;
}

const contracted: IndicatorSource = { kind: 'financing', field: 'contracted' };
const patent: IndicatorSource = { kind: 'financing', field: 'patent' };
const trademark: IndicatorSource = { kind: 'financing', field: 'trademark' };
const counter = (measure: string, field: 'n' | 'amount'): IndicatorSource => ({ kind: 'counter', measure, field });

const both = (
  stem: string,
  unit: TargetUnit,
  sources: readonly IndicatorSource[],
  what: string,
): Record<string, IndicatorDefinition> => ({
  [`${stem}-cumulative`]: { unit, span: 'cumulative', sources, description: `${what}, cumulative` },
  [`${stem}-annual`]: { unit, span: 'annual', sources, description: `${what} in the calendar year` },
});

export const INDICATORS: Readonly<Record<string, IndicatorDefinition>> = {
  ...both('pledge-financing', 'CNY', [contracted], 'IP pledge financing (contracted principal of loans registered)'),
  ...both('patent-pledge', 'CNY', [patent], 'Pledge financing of loans pledging at least one patent'),
  ...both('trademark-pledge', 'CNY', [trademark], 'Pledge financing of loans pledging trademarks only'),
  ...both('open-licences-declared', 'count', [counter(MEASURES.openLicencesDeclared, 'n')], "Open-licence declarations (owner's region)"),
  ...both('open-licences-taken', 'count', [counter(MEASURES.openLicencesTaken, 'n')], 'Licences taken under open licences'),
  'open-licences-in-force': {
    unit: 'count', span: 'in-force', sources: [counter(MEASURES.openLicencesInForce, 'n')],
    description: 'Open-licence declarations in force',
  },
  ...both('recorded-contracts', 'count', [counter(MEASURES.recordedContracts, 'n')], 'Recorded transfer and licence contracts (by recordedOn)'),
  ...both('transfers', 'count', [counter(MEASURES.transfers, 'n')], 'Patent transfers'),
  ...both('product-filings', 'count', [counter(MEASURES.productsFiled, 'n')], 'Patent-intensive product filings'),
  ...both('products-recognised', 'count', [counter(MEASURES.productsRecognised, 'n')], 'Recognised patent-intensive products'),
  ...both('risk-fund-capital', 'CNY', [counter(MEASURES.capital, 'amount')], 'Capital contributed to risk-compensation funds'),
  ...both(
    'patent-operation-and-pledge',
    'CNY',
    [patent, counter(MEASURES.transfers, 'amount'), ...LICENCE_KIND_VALUES.map((k) => counter(MEASURES.licences(k), 'amount'))],
    'Patent operation and pledge financing: patent pledge financing + transfer prices + recorded licence royalties',
  ),
};

export function indicatorDefinition(indicator: string): IndicatorDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(INDICATORS, indicator) ? INDICATORS[indicator] : undefined;
}

/** The window an indicator's actual is measured over, for a target due on `dueOn`, seen on `today`. */
export function indicatorWindow(span: IndicatorSpan, dueOn: string, today: string): { from: string; to: string } {
  const end = dueOn < today ? dueOn : today;
  if (span === 'annual') return { from: `${BusinessDate.parse(end).year.toString().padStart(4, '0')}-01-01`, to: end };
  return { from: BEGINNING, to: end };
}
