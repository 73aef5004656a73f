import { BusinessDate } from './business-date';

/*
 * Working days are Monday to Friday. Public holidays and the make-up working weekends of the
 * State Council's yearly schedule are NOT taken into account: deadlines computed here can be a
 * few days early around Spring Festival or National Day. A policy that needs the official
 * calendar must supply it.
 *
 * Arithmetic uses a cumulative count: workingDaysThrough(d) = number of working days from a
 * fixed Monday up to and including d (negative before it). Differences of it count working days.
 */

// Epoch day 0 (1970-01-01) is a Thursday, so epoch day −3 is a Monday.
const MONDAY_EPOCH_DAY = -3;

function workingDaysThrough(epochDay: number): number {
  const sinceMonday = epochDay - MONDAY_EPOCH_DAY;
  const weeks = Math.floor(sinceMonday / 7);
  const dayOfWeek = sinceMonday - weeks * 7; // 0 = Monday … 6 = Sunday
  return weeks * 5 + Math.min(dayOfWeek + 1, 5);
}

/** The working day whose cumulative count is `count` (inverse of workingDaysThrough on working days). */
function workingDayNumbered(count: number): number {
  const weeks = Math.floor((count - 1) / 5);
  const dayOfWeek = count - 1 - weeks * 5;
  return MONDAY_EPOCH_DAY + weeks * 7 + dayOfWeek;
}

export function isWorkingDay(date: BusinessDate): boolean {
  return date.isoWeekday() <= 5;
}

/**
 * Working days `d` with `from < d ≤ to` (Mon–Fri, holidays ignored); negative when `to` is before
 * `from`. A claim filed on `to` for a default on `from` is "within 10 working days" when this is ≤ 10.
 */
export function workingDaysBetween(from: BusinessDate, to: BusinessDate): number {
  return workingDaysThrough(to.epochDay) - workingDaysThrough(from.epochDay);
}

/**
 * Moves `days` working days from `date` (Mon–Fri, holidays ignored), not counting `date` itself:
 * Friday + 1 = Monday, Saturday + 1 = Monday, Monday − 1 = Friday. Zero returns `date` unchanged.
 * For positive `days`, `workingDaysBetween(date, addWorkingDays(date, days)) === days`.
 */
export function addWorkingDays(date: BusinessDate, days: number): BusinessDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  if (days === 0) return date;
  if (days > 0) return BusinessDate.fromEpochDay(workingDayNumbered(workingDaysThrough(date.epochDay) + days));
  // Backwards: the working day x < date with exactly |days| working days in [x, date).
  return BusinessDate.fromEpochDay(workingDayNumbered(workingDaysThrough(date.epochDay - 1) + days + 1));
}
