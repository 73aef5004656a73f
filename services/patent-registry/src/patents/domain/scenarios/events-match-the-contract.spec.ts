import { eventTypeSpec, validateEventData } from '@ipfin/contracts';
import {
  EMPTY_PLEDGE_INDEX,
  declareOpenLicence,
  listPatent,
  recordLicence,
  takeOpenLicence,
  transferPatent,
  withdrawOpenLicence,
  type PatentEvent,
} from '..';
import {
  PV_MODULE,
  TEA_DRYER,
  cny,
  d,
  licence,
  listedBy,
  listingOf,
  longhaiEnergy,
  minnanNormal,
  openLicence,
  xiangchengOptics,
  xiangchengOpticsToken,
  zhangzhouVocational,
} from './fixtures';

/* Every payload the domain produces validates against its registered `ipfin.patents.<Name>.v1` class. */

function everyEvent(): PatentEvent[] {
  const listed = listPatent(
    undefined,
    listingOf(PV_MODULE, { ipc: 'H01L31/048', grantedOn: d('2024-05-17') }),
    minnanNormal,
    d('2024-01-10'),
  );
  const licensed = recordLicence(
    listed.state,
    licence({ recordedOn: d('2024-04-10'), agencyId: 'agency-zz-ipservice', endsOn: d('2024-08-31') }),
    minnanNormal,
  );
  const declared = declareOpenLicence(
    licensed.state,
    openLicence({ royalty: { kind: 'percent_of_sales', percent: '3.5' } }),
    minnanNormal,
  );
  const taken = takeOpenLicence(
    declared.state,
    { licenceId: 'ol-1', licensee: xiangchengOptics, takenOn: d('2024-10-08') },
    xiangchengOpticsToken,
  );
  const withdrawn = withdrawOpenLicence(taken.state, { withdrawnOn: d('2025-01-01') }, minnanNormal);
  const sold = transferPatent(
    withdrawn.state,
    { transferId: 'tr-1', assignee: longhaiEnergy, price: cny('300000.00'), contractDate: d('2025-02-01') },
    minnanNormal,
  );
  const utility = declareOpenLicence(
    listedBy(zhangzhouVocational, TEA_DRYER),
    openLicence({ evaluationReportNo: 'PJ2024350600017', pledgeeConsent: true }),
    zhangzhouVocational,
  );
  return [listed, licensed, declared, taken, withdrawn, sold, utility].flatMap((r) => r.events);
}

describe('patent events match the ipfin.patents.v1 contract', () => {
  it('are all registered on the patents topic', () => {
    for (const type of [
      'PatentListed',
      'PatentTransferred',
      'LicenceRecorded',
      'OpenLicenceDeclared',
      'OpenLicenceWithdrawn',
      'OpenLicenceTaken',
    ]) {
      expect(eventTypeSpec(`ipfin.patents.${type}.v1`)?.topic).toBe('ipfin.patents.v1');
    }
  });

  it('refuse a taken licence dressed up as a recorded one, and a float price', () => {
    const [licensed] = everyEvent().filter((e) => e.type === 'LicenceRecorded');
    expect(validateEventData('ipfin.patents.LicenceRecorded.v1', { ...licensed.data, viaOpenLicence: true }).ok).toBe(
      false,
    );
    const [sold] = everyEvent().filter((e) => e.type === 'PatentTransferred');
    expect(validateEventData('ipfin.patents.PatentTransferred.v1', { ...sold.data, price: 300000 }).ok).toBe(false);
  });

  it.each(everyEvent().map((e) => [e.type, e] as const))('%s validates', (_type, event) => {
    expect(validateEventData(`ipfin.patents.${event.type}.v1`, JSON.parse(JSON.stringify(event.data)))).toEqual({
      ok: true,
      value: expect.anything() as unknown,
    });
    expect(event.key).toBe(event.data.number);
  });
});

describe('patent events (contract-independent checks)', () => {
  it('produce one event of every type, keyed by the patent number', () => {
    const events = everyEvent();
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'PatentListed',
        'LicenceRecorded',
        'OpenLicenceDeclared',
        'OpenLicenceTaken',
        'OpenLicenceWithdrawn',
        'PatentTransferred',
      ]),
    );
    expect(events.every((e) => e.key === e.data.number)).toBe(true);
    expect(EMPTY_PLEDGE_INDEX.loans.size).toBe(0);
  });

  it('carry money as two-decimal strings and no undefined fields', () => {
    const json = JSON.stringify(everyEvent().map((e) => e.data));
    expect(json).toContain('"price":"300000.00"');
    expect(json).toContain('"royalty":"50000.00"');
    for (const event of everyEvent()) {
      expect(Object.values(event.data).includes(undefined)).toBe(false);
    }
  });
});
