/** What an operation did: a value, or a typed error (only its code matters to the models). */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly error: unknown };

/** Runs `fn`, turning a thrown stateproof error into an outcome; other errors propagate (they are bugs). */
export async function outcome<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('STATEPROOF_')) return { ok: false, code, error };
    throw error;
  }
}

/** A readable form of an outcome for mismatch messages. */
export function describeOutcome(o: Outcome<unknown>): string {
  return o.ok ? `ok ${JSON.stringify(o.value)}` : `error ${o.code}`;
}
