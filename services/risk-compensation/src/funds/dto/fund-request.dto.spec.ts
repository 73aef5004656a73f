import { parseDto, validateDto } from '@ipfin/http';
import { FundRegionParams } from './fund-region.params';
import { BANK_SUB_MAX_LENGTH, PutFundPolicyDto } from './put-fund-policy.dto';

const policy = (cooperatingBanks: string[]) => ({ fundSharePercent: 80, effectiveFrom: '2024-02-02', cooperatingBanks, borrowerSizes: ['small'] });

describe('PutFundPolicyDto', () => {
  it('names any bank whose sub the token verifier accepts (up to 200 characters)', () => {
    expect(BANK_SUB_MAX_LENGTH).toBe(200);
    expect(validateDto(PutFundPolicyDto, policy(['b'.repeat(101), 'c'.repeat(200)]))).toEqual([]);
    expect(validateDto(PutFundPolicyDto, policy(['b'.repeat(201)])).map((e) => e.field)).toEqual(['cooperatingBanks']);
  });
});

describe('FundRegionParams', () => {
  it('accepts a region code', () => {
    expect(parseDto(FundRegionParams, { region: '350600' })).toMatchObject({ ok: true, value: { region: '350600' } });
  });

  it.each(['abc', '12345', '999999', '350012'])('refuses %s as a 400 on region', (region) => {
    const errors = validateDto(FundRegionParams, { region });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'region', message: expect.stringMatching(/^region: /) });
  });
});
