import { BusinessDate, ValidationFailed } from '@ipfin/kernel';
import { recogniseProduct, rejectProduct, withdrawRecognition, type Product } from '../product';
import { CertificateAlreadyUsed, DateOutOfOrder, ProductStatusConflict } from '../product.errors';
import { PATENTS, TODAY, asParty, file, filing, listed, minxinValves, registry, thrownBy } from './zhangzhou.fixtures';

const on = (text: string): BusinessDate => BusinessDate.parse(text);

describe('a product moves filed → recognised | rejected, and a recognition can be withdrawn', () => {
  const view = registry(listed(PATENTS.valveControl, asParty(minxinValves), '2023-01-05'));
  let filed: Product;
  beforeEach(() => {
    filed = file(view, filing(minxinValves, { filedOn: '2024-03-15' }));
  });

  it('recognises a filed product, with the recognition year of its date', () => {
    const recognised = recogniseProduct(
      filed,
      { recognisedOn: on('2024-06-18'), certificateNo: ' ZLMJ-2024-0012 ' },
      { today: TODAY },
    );

    expect(recognised).toMatchObject({
      status: 'recognised',
      recognition: { certificateNo: 'ZLMJ-2024-0012', year: 2024 },
    });
    expect(recognised.recognition?.recognisedOn.toString()).toBe('2024-06-18');
    expect(filed.status).toBe('filed');
  });

  it('recognises only from filed (409 product-not-filed)', () => {
    const recognised = recogniseProduct(
      filed,
      { recognisedOn: on('2024-06-18'), certificateNo: 'ZLMJ-2024-0012' },
      { today: TODAY },
    );
    const rejected = rejectProduct(filed, { rejectedOn: on('2024-06-18'), reason: '不符合认定条件' }, { today: TODAY });

    for (const product of [recognised, rejected]) {
      const error = thrownBy(() =>
        recogniseProduct(
          product,
          { recognisedOn: on('2024-07-01'), certificateNo: 'ZLMJ-2024-0099' },
          { today: TODAY },
        ),
      );
      expect(error).toBeInstanceOf(ProductStatusConflict);
      expect(error).toMatchObject({ code: 'product-not-filed', kind: 'conflict' });
    }
    expect(
      thrownBy(() => rejectProduct(recognised, { rejectedOn: on('2024-07-01'), reason: 'x' }, { today: TODAY })),
    ).toMatchObject({ code: 'product-not-filed' });
  });

  it('withdraws a recognition only of a recognised product (409 product-not-recognised), and for good', () => {
    const recognised = recogniseProduct(
      filed,
      { recognisedOn: on('2024-06-18'), certificateNo: 'ZLMJ-2024-0012' },
      { today: TODAY },
    );
    const withdrawn = withdrawRecognition(
      recognised,
      { withdrawnOn: on('2024-09-01'), reason: '认定证书被撤销' },
      { today: TODAY },
    );

    expect(withdrawn).toMatchObject({
      status: 'withdrawn',
      recognition: { certificateNo: 'ZLMJ-2024-0012' },
      withdrawal: { reason: '认定证书被撤销' },
    });
    expect(
      thrownBy(() => withdrawRecognition(filed, { withdrawnOn: on('2024-09-01'), reason: 'x' }, { today: TODAY })),
    ).toMatchObject({ code: 'product-not-recognised' });
    expect(
      thrownBy(() => withdrawRecognition(withdrawn, { withdrawnOn: on('2024-09-02'), reason: 'x' }, { today: TODAY })),
    ).toMatchObject({ code: 'product-not-recognised' });
    expect(
      thrownBy(() =>
        recogniseProduct(
          withdrawn,
          { recognisedOn: on('2024-10-01'), certificateNo: 'ZLMJ-2024-0013' },
          { today: TODAY },
        ),
      ),
    ).toMatchObject({ code: 'product-not-filed' });
  });

  it('refuses decisions dated before the step they follow (422 date-out-of-order)', () => {
    expect(
      thrownBy(() =>
        recogniseProduct(filed, { recognisedOn: on('2024-03-14'), certificateNo: 'C-1' }, { today: TODAY }),
      ),
    ).toBeInstanceOf(DateOutOfOrder);
    expect(
      thrownBy(() => rejectProduct(filed, { rejectedOn: on('2024-03-01'), reason: 'x' }, { today: TODAY })),
    ).toMatchObject({ code: 'date-out-of-order', kind: 'rule' });
    const recognised = recogniseProduct(
      filed,
      { recognisedOn: on('2024-06-18'), certificateNo: 'C-1' },
      { today: TODAY },
    );
    expect(
      thrownBy(() => withdrawRecognition(recognised, { withdrawnOn: on('2024-06-17'), reason: 'x' }, { today: TODAY })),
    ).toMatchObject({ code: 'date-out-of-order' });
  });

  it('refuses dates in the future and blank texts (400)', () => {
    expect(
      thrownBy(() =>
        recogniseProduct(filed, { recognisedOn: TODAY.addDays(1), certificateNo: 'C-1' }, { today: TODAY }),
      ),
    ).toBeInstanceOf(ValidationFailed);
    expect(
      thrownBy(() => rejectProduct(filed, { rejectedOn: on('2024-06-18'), reason: '   ' }, { today: TODAY })),
    ).toMatchObject({ errors: [{ field: 'reason' }] });
    expect(thrownBy(() => file(view, filing(minxinValves, { filedOn: TODAY.addDays(1).toString() })))).toMatchObject({
      errors: [{ field: 'filedOn' }],
    });
  });

  it('refuses a certificate number that already recognises another product (409)', () => {
    const error = thrownBy(() =>
      recogniseProduct(
        filed,
        { recognisedOn: on('2024-06-18'), certificateNo: 'ZLMJ-2024-0012' },
        { today: TODAY, certificateHolder: 'prod-other' },
      ),
    );

    expect(error).toBeInstanceOf(CertificateAlreadyUsed);
    expect(error).toMatchObject({ code: 'certificate-already-used', kind: 'conflict' });
  });

  it('refuses a filing listing the same patent twice (400)', () => {
    expect(
      thrownBy(() => file(view, filing(minxinValves, { patents: [PATENTS.valveControl, PATENTS.valveControl] }))),
    ).toMatchObject({
      code: 'validation-failed',
      errors: [{ field: 'patents[1]' }],
    });
  });
});
