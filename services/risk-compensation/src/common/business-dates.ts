import { BusinessDate, ValidationFailed } from '@ipfin/kernel';

/**
 * 400 on `field` when the business date `date` is after `today` (Asia/Shanghai): money received or
 * recovered tomorrow has not arrived yet, and the ledger would post it today. pledge-loans refuses
 * future loan-event dates with the same message.
 */
export function assertNotFuture(field: string, date: string, today: string): void {
  if (BusinessDate.parse(date).isAfter(BusinessDate.parse(today))) {
    throw new ValidationFailed([{ field, message: `${field} ${date} is in the future (today is ${today})` }]);
  }
}
