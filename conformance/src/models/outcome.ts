/** What an operation did: a value, or a typed error (only its code matters to the models). */
export type Outcome<T> =
  | {
      /** The operation returned. */
      readonly ok: true;
      /** What it returned. */
      readonly value: T;
    }
  | {
      /** The operation threw a stateproof error. */
      readonly ok: false;
      /** The error's code. */
      readonly code: string;
      /** The error. */
      readonly error: unknown;
    };

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
