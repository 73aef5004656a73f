import type { BorrowerSize, CoverageRule, LoanRegisteredV1 } from '@ipfin/contracts';
import { Money, RegionCode } from '@ipfin/kernel';
import { policyInForce, type FundPolicy } from '../../funds/domain/fund-policy';

/*
 * Coverage: is a registered loan one the fund shares losses on? Judged once, at registration,
 * under the policy version in force on the registration date (the `LoanRegistered` `occurredOn`,
 * the contract date), and kept with the loan.
 *
 * Which fund judges — the nearest one: a fund's policy covers borrowers in its region and every
 * region below it (a prefecture fund covers its counties, a province fund its prefectures), and
 * the borrower's own county fund, if it has a version in force, decides before the prefecture's,
 * which decides before the province's. The nearest fund decides alone: if it refuses the loan,
 * no enclosing fund is asked (one loan, at most one fund).
 *
 * When no fund in the borrower's chain has a version in force, the loan still belongs to the
 * nearest fund in the chain that has any version (`no-policy`: outside its periods), so that fund
 * hears of it. When no fund in the chain has any version but the bank cooperates with a fund
 * elsewhere, that fund gets the loan as `borrower-outside-region` (a cooperating bank lending
 * outside the fund's region should hear why it is not covered; with several, the one with the
 * lowest region code). Otherwise no fund is concerned: region null, `no-policy`, nothing published.
 */

export interface CoverageReason {
  readonly rule: CoverageRule;
  readonly detail: string;
}

export interface CoverageDecision {
  readonly covered: boolean;
  /** The fund region that judged the loan (the `LoanCovered` key), or null when no fund is concerned. */
  readonly region: string | null;
  /** `effectiveFrom` of the version that judged it. */
  readonly policyVersion?: string;
  /** Empty when covered; every failed rule otherwise. */
  readonly reasons: readonly CoverageReason[];
}

/** The facts of a registration that coverage depends on. */
export interface RegistrationFacts {
  readonly bank: string;
  readonly borrower: { readonly size: BorrowerSize; readonly regionCode: string };
  readonly principal: Money;
  readonly termMonths: number;
  /** `YYYY-MM-DD`: the registration (contract) date. */
  readonly registeredOn: string;
}

export function registrationFacts(event: LoanRegisteredV1): RegistrationFacts {
  return {
    bank: event.bank,
    borrower: { size: event.borrower.size, regionCode: event.borrower.regionCode },
    principal: Money.parse(event.principal),
    termMonths: event.termMonths,
    registeredOn: event.occurredOn,
  };
}

/** The borrower's region and the regions enclosing it, nearest first: `350602` → 350602, 350600, 350000. */
export function regionChain(regionCode: string): string[] {
  const parsed = RegionCode.validate(regionCode);
  if (!parsed.ok) return [regionCode];
  return [parsed.value, ...parsed.value.ancestors().reverse()].map((r) => r.code);
}

const versionsOf = (policies: readonly FundPolicy[], region: string): FundPolicy[] =>
  policies.filter((p) => p.region === region);

const fundName = (policy: FundPolicy): string => `the ${policy.region} fund (policy of ${policy.effectiveFrom})`;

/** The rules of one policy version, all checked, so a bank learns every reason at once. */
export function judgeUnderPolicy(policy: FundPolicy, loan: RegistrationFacts): CoverageDecision {
  const reasons: CoverageReason[] = [];
  if (!policy.cooperatingBanks.includes(loan.bank)) {
    reasons.push({
      rule: 'bank-not-cooperating',
      detail: `${loan.bank} is not a cooperating bank of ${fundName(policy)}.`,
    });
  }
  if (!policy.borrowerSizes.includes(loan.borrower.size)) {
    reasons.push({
      rule: 'borrower-size',
      detail: `A ${loan.borrower.size} borrower is not eligible under ${fundName(policy)}, which covers ${policy.borrowerSizes.join(', ')} borrowers.`,
    });
  }
  if (policy.maxPrincipal !== undefined && loan.principal.greaterThan(policy.maxPrincipal)) {
    reasons.push({
      rule: 'max-principal',
      detail: `The principal ${loan.principal.toString()} exceeds the ${policy.maxPrincipal.toString()} maximum of ${fundName(policy)}.`,
    });
  }
  if (policy.maxTermMonths !== undefined && loan.termMonths > policy.maxTermMonths) {
    reasons.push({
      rule: 'max-term',
      detail: `The term of ${loan.termMonths} months exceeds the ${policy.maxTermMonths}-month maximum of ${fundName(policy)}.`,
    });
  }
  return { covered: reasons.length === 0, region: policy.region, policyVersion: policy.effectiveFrom, reasons };
}

/**
 * Decides a loan's coverage from `policies` — every fund's versions, or at least those of the
 * borrower's region and its ancestors (then `borrower-outside-region` cannot be found) — and the
 * registration. See the module comment for which fund judges.
 */
export function decideCoverage(
  policies: readonly FundPolicy[],
  registration: LoanRegisteredV1 | RegistrationFacts,
): CoverageDecision {
  const loan = 'occurredOn' in registration ? registrationFacts(registration) : registration;
  const chain = regionChain(loan.borrower.regionCode);
  for (const region of chain) {
    const policy = policyInForce(versionsOf(policies, region), loan.registeredOn);
    if (policy !== null) return judgeUnderPolicy(policy, loan);
  }
  const dormant = chain.find((region) => versionsOf(policies, region).length > 0);
  if (dormant !== undefined) {
    return {
      covered: false,
      region: dormant,
      reasons: [
        {
          rule: 'no-policy',
          detail: `The ${dormant} fund has no policy in force on ${loan.registeredOn}, the loan's registration date.`,
        },
      ],
    };
  }
  const elsewhere = policies
    .filter((p) => p.cooperatingBanks.includes(loan.bank) && policyInForce([p], loan.registeredOn) !== null)
    .sort((a, b) => a.region.localeCompare(b.region))[0];
  if (elsewhere !== undefined) {
    return {
      covered: false,
      region: elsewhere.region,
      policyVersion: elsewhere.effectiveFrom,
      reasons: [
        {
          rule: 'borrower-outside-region',
          detail: `The borrower is in region ${loan.borrower.regionCode}, outside ${fundName(elsewhere)}, and no fund covering that region has a policy.`,
        },
      ],
    };
  }
  return {
    covered: false,
    region: null,
    reasons: [
      {
        rule: 'no-policy',
        detail: `No risk-compensation fund of region ${loan.borrower.regionCode} or the regions enclosing it has a policy.`,
      },
    ],
  };
}
