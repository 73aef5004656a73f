import { Forbidden, ValidationFailed } from '@ipfin/kernel';
import { resolveFiler } from '../filing-enterprise';
import { PATENTS, asParty, file, filing, listed, minxinValves, registry, thrownBy } from './zhangzhou.fixtures';

describe('who a filing is for', () => {
  const minxinToken = {
    role: 'enterprise',
    sub: 'ent-minxin-valves',
    region: minxinValves.regionCode,
    uscc: minxinValves.uscc,
  };

  it('an agency files for the enterprise it names and is recorded as the agency', () => {
    const filer = resolveFiler({ role: 'agency', sub: 'agency-zz-kwzx', region: '350600' }, minxinValves);
    const view = registry(listed(PATENTS.valveControl, asParty(minxinValves), '2023-01-05'));

    const product = file(view, filing(filer.enterprise, { agencyId: filer.agencyId }));

    expect(product).toMatchObject({
      agencyId: 'agency-zz-kwzx',
      enterprise: { uscc: minxinValves.uscc, regionCode: '350681' },
    });
  });

  it('an agency must name the enterprise (400)', () => {
    expect(
      thrownBy(() => resolveFiler({ role: 'agency', sub: 'agency-zz-kwzx', region: '350600' }, undefined)),
    ).toBeInstanceOf(ValidationFailed);
  });

  it('an enterprise files for itself, from its token', () => {
    expect(resolveFiler(minxinToken, undefined)).toEqual({
      enterprise: { uscc: minxinValves.uscc, name: 'ent-minxin-valves', regionCode: '350681' },
    });
    expect(resolveFiler(minxinToken, minxinValves)).toEqual({ enterprise: minxinValves });
  });

  it('an enterprise may not file for another USCC or another region (403)', () => {
    expect(thrownBy(() => resolveFiler(minxinToken, { ...minxinValves, uscc: '91350602MA2Y8H3K1M' }))).toMatchObject({
      code: 'enterprise-mismatch',
      kind: 'forbidden',
    });
    expect(thrownBy(() => resolveFiler(minxinToken, { ...minxinValves, regionCode: '350600' }))).toMatchObject({
      code: 'enterprise-mismatch',
    });
    expect(thrownBy(() => resolveFiler({ ...minxinToken, uscc: undefined }, undefined))).toMatchObject({
      code: 'enterprise-identity-missing',
    });
    expect(
      thrownBy(() => resolveFiler({ role: 'bank', sub: 'bank-icbc-zz', region: '350600' }, minxinValves)),
    ).toBeInstanceOf(Forbidden);
  });
});
