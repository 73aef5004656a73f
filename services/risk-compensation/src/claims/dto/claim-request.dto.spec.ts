import { validateDto } from '@ipfin/http';
import { FileClaimDto, LOAN_REF_MAX_LENGTH } from './file-claim.dto';
import { RejectClaimDto } from './reject-claim.dto';

const claim = (over: Record<string, unknown> = {}) => ({ loanRef: 'ZZ-2024-000123', principalLoss: '1.00', defaultedOn: '2025-05-20', ...over });
const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('FileClaimDto', () => {
  it('accepts every loanRef pledge-loans accepts (up to 100 characters)', () => {
    expect(LOAN_REF_MAX_LENGTH).toBe(100);
    expect(validateDto(FileClaimDto, claim({ loanRef: `ZZ-${'A'.repeat(70)}` }))).toEqual([]);
    expect(validateDto(FileClaimDto, claim({ loanRef: 'L'.repeat(100) }))).toEqual([]);
    expect(fields(validateDto(FileClaimDto, claim({ loanRef: 'L'.repeat(101) })))).toEqual(['loanRef']);
  });

  it('refuses a blank loanRef and blank evidence, naming the field', () => {
    expect(validateDto(FileClaimDto, claim({ loanRef: '   ' }))).toEqual([{ field: 'loanRef', message: 'loanRef must not be blank' }]);
    expect(validateDto(FileClaimDto, claim({ evidence: ['判决书', ' \t'] }))).toEqual([{ field: 'evidence', message: 'evidence[1] must not be blank' }]);
    expect(validateDto(FileClaimDto, claim({ evidence: '  ' }))).toEqual([{ field: 'evidence', message: 'evidence[0] must not be blank' }]);
    expect(validateDto(FileClaimDto, claim({ evidence: ['(2025)闽0602民初123号判决书'] }))).toEqual([]);
  });
});

describe('RejectClaimDto', () => {
  it('refuses a blank reason', () => {
    expect(validateDto(RejectClaimDto, { reason: ' \n ' })).toEqual([{ field: 'reason', message: 'reason must not be blank' }]);
    expect(validateDto(RejectClaimDto, { reason: '缺少法院判决书' })).toEqual([]);
  });
});
