import { Injectable } from '@nestjs/common';
import { type Principal } from '@ipfin/http';
import { Conflict, Forbidden, NotFound, RegionCode, ValidationFailed } from '@ipfin/kernel';
import type { ListLoansQueryDto } from './dto/list-loans-query.dto';
import { LoanRepository } from './loan.repository';
import { historyView } from './loan-view';

function regionBounds(region: RegionCode): { regionFrom: string; regionTo: string } {
  const prefix = region.prefix();
  return { regionFrom: prefix.padEnd(6, '0'), regionTo: prefix.padEnd(6, '9') };
}

const encodeCursor = (bank: string, loanRef: string): string => Buffer.from(JSON.stringify([bank, loanRef])).toString('base64url');
function decodeCursor(cursor: string): { bank: string; loanRef: string } {
  try {
    const [bank, loanRef] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof bank === 'string' && typeof loanRef === 'string') return { bank, loanRef };
  } catch {
    // fall through
  }
  throw new ValidationFailed([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
}

/**
 * Reads of loans: a bank sees only its own; a regulator reads (never writes) loans of borrowers
 * in its region and the regions below it. Another bank's loan is "not found", never "forbidden".
 */
@Injectable()
export class LoansService {
  constructor(private readonly loans: LoanRepository) {}

  async get(principal: Principal, loanRef: string, bankParam?: string): Promise<Record<string, unknown>> {
    let bank: string;
    if (principal.role === 'bank') {
      bank = principal.sub;
    } else if (principal.role === 'regulator' || principal.role === 'admin') {
      if (bankParam) {
        bank = bankParam;
      } else {
        const bounds = this.scope(principal);
        const banks = await this.loans.banksWithLoanRef(loanRef, bounds.regionFrom, bounds.regionTo);
        if (banks.length > 1) throw new Conflict('ambiguous-loan-ref', `Several banks use loanRef ${loanRef}: add ?bank=.`, { banks });
        if (banks.length === 0) throw new NotFound(`loan ${loanRef}`);
        bank = banks[0]!;
      }
    } else {
      throw new Forbidden(`A ${principal.role} may not read loans.`);
    }
    const loan = await this.loans.findLoan(bank, loanRef);
    if (!loan) throw new NotFound(`loan ${loanRef}`);
    if (principal.role === 'regulator' && !RegionCode.parse(principal.region!).contains(loan.region)) throw new NotFound(`loan ${loanRef}`);
    return { ...loan.state, events: loan.history.map(historyView) };
  }

  async list(principal: Principal, q: ListLoansQueryDto): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
    const limit = q.limit;
    const common = { status: q.status, from: q.from, to: q.to, limit, after: q.cursor ? decodeCursor(q.cursor) : undefined };
    let rows;
    if (principal.role === 'bank') {
      rows = await this.loans.list({ ...common, bank: principal.sub });
    } else if (principal.role === 'regulator' || principal.role === 'admin') {
      rows = await this.loans.list({ ...common, bank: q.bank, ...this.scope(principal, q.region) });
    } else {
      throw new Forbidden(`A ${principal.role} may not read loans.`);
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => r.state), nextCursor: rows.length > limit && last ? encodeCursor(last.bank, last.loan_ref) : null };
  }

  private scope(principal: Principal, requested?: string): { regionFrom: string; regionTo: string } {
    if (principal.role === 'admin') return requested ? regionBounds(RegionCode.parse(requested)) : { regionFrom: '000000', regionTo: '999999' };
    const own = RegionCode.parse(principal.region!);
    const region = requested ? RegionCode.parse(requested) : own;
    if (!own.contains(region)) throw new Forbidden(`A regulator of ${own.toString()} may not read region ${region.toString()}.`, 'region-forbidden');
    return regionBounds(region);
  }
}
