import fc from 'fast-check';
import { BusinessDate } from './business-date';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days';

const date = (text: string): BusinessDate => BusinessDate.parse(text);
// 2024-03-01 is a Friday.
const FRIDAY = date('2024-03-01');
const SATURDAY = date('2024-03-02');
const SUNDAY = date('2024-03-03');
const MONDAY = date('2024-03-04');

/** Reference: walk day by day. */
function countWorkingDaysNaively(from: BusinessDate, to: BusinessDate): number {
  let count = 0;
  for (let day = from.addDays(1); !day.isAfter(to); day = day.addDays(1)) if (day.isoWeekday() <= 5) count++;
  for (let day = to.addDays(1); !day.isAfter(from); day = day.addDays(1)) if (day.isoWeekday() <= 5) count--;
  return count;
}

const anyDate = fc.integer({ min: 0, max: 40_000 }).map((day) => BusinessDate.fromEpochDay(day));

describe('working days (Mon–Fri, public holidays ignored)', () => {
  it('knows weekends', () => {
    expect([FRIDAY, SATURDAY, SUNDAY, MONDAY].map(isWorkingDay)).toEqual([true, false, false, true]);
  });

  it('steps over weekends', () => {
    expect(addWorkingDays(FRIDAY, 1).toString()).toBe('2024-03-04');
    expect(addWorkingDays(SATURDAY, 1).toString()).toBe('2024-03-04');
    expect(addWorkingDays(SUNDAY, 1).toString()).toBe('2024-03-04');
    expect(addWorkingDays(MONDAY, 1).toString()).toBe('2024-03-05');
    expect(addWorkingDays(MONDAY, -1).toString()).toBe('2024-03-01');
    expect(addWorkingDays(SUNDAY, -1).toString()).toBe('2024-03-01');
    expect(addWorkingDays(FRIDAY, -5).toString()).toBe('2024-02-23');
    expect(addWorkingDays(SATURDAY, 0)).toBe(SATURDAY);
  });

  it('a Weihai claim deadline: 10 working days after a default on Friday 2024-03-01 is Friday 2024-03-15', () => {
    const deadline = addWorkingDays(FRIDAY, 10);
    expect(deadline.toString()).toBe('2024-03-15');
    expect(workingDaysBetween(FRIDAY, deadline)).toBe(10);
    expect(workingDaysBetween(FRIDAY, deadline.addDays(3))).toBe(11);
  });

  it('counts working days after from up to and including to', () => {
    expect(workingDaysBetween(FRIDAY, FRIDAY)).toBe(0);
    expect(workingDaysBetween(FRIDAY, SUNDAY)).toBe(0);
    expect(workingDaysBetween(FRIDAY, MONDAY)).toBe(1);
    expect(workingDaysBetween(MONDAY, FRIDAY)).toBe(-1);
    expect(workingDaysBetween(date('2024-01-01'), date('2024-12-31'))).toBe(261);
  });

  it('matches a day-by-day count', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -60, max: 60 }), (from, span) => {
        const to = from.addDays(span);
        expect(workingDaysBetween(from, to)).toBe(countWorkingDaysNaively(from, to));
      }),
    );
  });

  it('adding n working days lands on a working day exactly n working days later', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 400 }), (start, n) => {
        const forward = addWorkingDays(start, n);
        expect(isWorkingDay(forward)).toBe(true);
        expect(workingDaysBetween(start, forward)).toBe(n);
        expect(workingDaysBetween(start, forward.addDays(-1))).toBe(n - 1);
      }),
    );
  });

  it('subtracting n working days lands on the latest working day with n working days in [result, start)', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 400 }), (start, n) => {
        const back = addWorkingDays(start, -n);
        expect(isWorkingDay(back)).toBe(true);
        expect(back.isBefore(start)).toBe(true);
        expect(countWorkingDaysNaively(back.addDays(-1), start.addDays(-1))).toBe(n);
        // Counting [x, start) drops by one at every later working day x, so this pins back down uniquely.
        if (isWorkingDay(start)) expect(addWorkingDays(back, n)).toEqual(start);
      }),
    );
  });

  it('refuses fractional days', () => {
    expect(() => addWorkingDays(FRIDAY, 1.5)).toThrow(RangeError);
  });
});
