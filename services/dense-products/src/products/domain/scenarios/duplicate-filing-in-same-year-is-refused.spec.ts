import { BusinessDate, Conflict } from '@ipfin/kernel';
import { findDuplicateFiling, productNameKey, rejectProduct } from '../product';
import { DuplicateFiling } from '../product.errors';
import {
  PATENTS,
  TODAY,
  asParty,
  file,
  filing,
  jiulongOptics,
  listed,
  minxinValves,
  registry,
  thrownBy,
} from './zhangzhou.fixtures';

describe('filing the same product twice', () => {
  const view = registry(
    listed(PATENTS.valveControl, asParty(minxinValves), '2023-01-05'),
    listed(PATENTS.opticalCoating, asParty(jiulongOptics), '2020-01-10'),
  );
  const first = file(view, filing(minxinValves, { name: '智能水阀控制器 Pro', filedOn: '2024-03-15' }));

  it('is refused in the same calendar year with 409 duplicate-filing naming the earlier product', () => {
    const error = thrownBy(() =>
      file(view, filing(minxinValves, { name: '智能水阀控制器 Pro', filedOn: '2024-11-30' }), [first]),
    ) as DuplicateFiling;

    expect(error).toBeInstanceOf(DuplicateFiling);
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ code: 'duplicate-filing', kind: 'conflict', existingProductId: first.id });
  });

  it('compares names case- and space-insensitively, full-width forms included', () => {
    for (const name of ['智能水阀控制器pro', '  智能水阀控制器   PRO ', '智能水阀控制器\u3000ＰＲＯ']) {
      expect(productNameKey(name)).toBe(productNameKey('智能水阀控制器 Pro'));
      expect(thrownBy(() => file(view, filing(minxinValves, { name, filedOn: '2024-12-31' }), [first]))).toBeInstanceOf(
        DuplicateFiling,
      );
    }
  });

  it('is allowed in the next calendar year', () => {
    const again = file(view, filing(minxinValves, { name: '智能水阀控制器 Pro', filedOn: '2025-01-01' }), [first]);

    expect(again).toMatchObject({ status: 'filed', filingYear: 2025 });
    expect(again.id).not.toBe(first.id);
  });

  it('is allowed for a different product, or the same name filed by another enterprise', () => {
    expect(
      file(view, filing(minxinValves, { name: '智能水阀控制器 Lite', filedOn: '2024-05-01' }), [first]).status,
    ).toBe('filed');
    expect(
      file(
        view,
        filing(jiulongOptics, { name: '智能水阀控制器 Pro', patents: [PATENTS.opticalCoating], filedOn: '2024-05-01' }),
        [first],
      ).status,
    ).toBe('filed');
  });

  it('is allowed again after the earlier filing was rejected', () => {
    const rejected = rejectProduct(
      first,
      { rejectedOn: BusinessDate.of(2024, 4, 20), reason: '核心专利与产品不对应' },
      { today: TODAY },
    );

    expect(
      findDuplicateFiling([rejected], minxinValves.uscc, '智能水阀控制器 Pro', BusinessDate.of(2024, 6, 1)),
    ).toBeNull();
    expect(
      file(view, filing(minxinValves, { name: '智能水阀控制器 Pro', filedOn: '2024-06-01' }), [rejected]).status,
    ).toBe('filed');
  });
});
