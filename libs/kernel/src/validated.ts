/** Outcome of checking untrusted input: the normalised value, or why it was refused. */
export type Validated<T, Reason extends string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: Reason; readonly message: string };

export function accepted<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function refused<Reason extends string>(
  reason: Reason,
  message: string,
): { readonly ok: false; readonly reason: Reason; readonly message: string } {
  return { ok: false, reason, message };
}
