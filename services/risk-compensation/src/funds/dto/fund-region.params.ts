import { IsRegionCodeField } from '@ipfin/http';

/**
 * The `{region}` of the funds routes: a GB/T 2260 code (6 digits, a real province prefix, not a
 * county without a prefecture). Anything else is 400 on field `region`, before any role or region
 * check: `GET /v1/funds/abc` is malformed, not an empty fund.
 */
export class FundRegionParams {
  @IsRegionCodeField()
  region!: string;
}
