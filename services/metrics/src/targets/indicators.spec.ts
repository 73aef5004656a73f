import { TARGET_SEEDS } from '../database/seeds';
import { indicatorDefinition, indicatorWindow } from './indicators';

describe('indicators', () => {
  it('measures every seeded indicator in its unit', () => {
    for (const seed of TARGET_SEEDS) expect(indicatorDefinition(seed.indicator)?.unit).toBe(seed.unit);
  });

  it('ends the window on the due date, or today if earlier', () => {
    expect(indicatorWindow('cumulative', '2018-12-31', '2025-03-01')).toEqual({ from: '0001-01-01', to: '2018-12-31' });
    expect(indicatorWindow('cumulative', '2026-12-31', '2025-03-01')).toEqual({ from: '0001-01-01', to: '2025-03-01' });
    expect(indicatorWindow('annual', '2025-12-31', '2024-07-01')).toEqual({ from: '2024-01-01', to: '2024-07-01' });
    expect(indicatorWindow('annual', '2025-12-31', '2026-02-01')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(indicatorWindow('in-force', '2026-12-31', '2025-03-01')).toEqual({ from: '0001-01-01', to: '2025-03-01' });
  });

  it('knows nothing of unmeasured or inherited names', () => {
    expect(indicatorDefinition('invention-patents-per-10k-people')).toBeUndefined();
    expect(indicatorDefinition('toString')).toBeUndefined();
  });
});
