import { Conflict, DomainError, RuleViolation, type FieldError } from '@ipfin/kernel';
import type { PatentFilingRefusal } from './patent-eligibility';

/*
 * The product rules' refusals. Codes are stable and public: the HTTP filter turns them into
 * `…/problems/<code>` (kind `conflict` → 409, `rule` → 422, `validation` → 400, `forbidden` → 403).
 */

/** The enterprise already filed this product (same normalised name) in the same calendar year (409). */
export class DuplicateFiling extends Conflict {
  constructor(
    readonly existingProductId: string,
    enterpriseUscc: string,
    name: string,
    year: number,
  ) {
    super(
      'duplicate-filing',
      `Enterprise ${enterpriseUscc} already filed the product "${name}" in ${year} (product ${existingProductId}); a product is filed once a year.`,
      { existingProductId, enterpriseUscc, year },
    );
  }
}

export type ProductTransition = 'recognise' | 'reject' | 'withdraw-recognition';

/** The product's status does not allow the transition, e.g. recognising a rejected product (409). */
export class ProductStatusConflict extends Conflict {
  constructor(productId: string, transition: ProductTransition, status: string) {
    const [code, needed] =
      transition === 'withdraw-recognition' ? ['product-not-recognised', 'recognised'] : ['product-not-filed', 'filed'];
    super(code, `Product ${productId} is ${status}; only a ${needed} product can be ${describe(transition)}.`, {
      productId,
      status,
      transition,
    });
  }
}

function describe(transition: ProductTransition): string {
  switch (transition) {
    case 'recognise':
      return 'recognised';
    case 'reject':
      return 'rejected';
    case 'withdraw-recognition':
      return 'have its recognition withdrawn';
  }
}

/** A decision dated before the step it follows (recognised before filed, withdrawn before recognised) (422). */
export class DateOutOfOrder extends RuleViolation {
  constructor(field: string, date: string, mustNotPrecede: string, what: string) {
    super('date-out-of-order', `${field} ${date} is before ${what} ${mustNotPrecede}.`, {
      field,
      date,
      mustNotPrecede,
    });
  }
}

/** The certificate number already recognised another product: one certificate, one reward (409). */
export class CertificateAlreadyUsed extends Conflict {
  constructor(certificateNo: string, holderProductId: string) {
    super('certificate-already-used', `Certificate ${certificateNo} already recognises product ${holderProductId}.`, {
      certificateNo,
      holderProductId,
    });
  }
}

export interface IneligiblePatent {
  /** Position in the request's `patents` array. */
  readonly index: number;
  /** As the caller sent it (normalised when it was a valid number). */
  readonly number: string;
  readonly reason: PatentFilingRefusal;
  readonly message: string;
}

/**
 * One or more patents of a filing do not qualify (422). Names every failing patent with its
 * reason, both as field errors (`patents[2]`) and in `context.patents`.
 */
export class PatentsNotEligible extends DomainError {
  declare readonly errors: readonly FieldError[];
  readonly patents: readonly IneligiblePatent[];

  constructor(patents: readonly IneligiblePatent[]) {
    const errors: FieldError[] = patents.map((p) => ({
      field: `patents[${p.index}]`,
      message: `${p.reason}: ${p.message}`,
    }));
    super({
      code: 'patents-not-eligible',
      kind: 'rule',
      detail: `${patents.length === 1 ? 'A patent does' : `${patents.length} patents do`} not qualify: ${patents.map((p) => `${p.number} (${p.reason})`).join(', ')}.`,
      errors,
      context: { patents: patents.map((p) => ({ number: p.number, reason: p.reason })) },
    });
    this.patents = Object.freeze(patents.map((p) => ({ ...p })));
  }
}
