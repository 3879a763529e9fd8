import { StateproofError, type StateproofErrorOptions } from '@stateproof/spec';
import type { Mode } from './mode.js';
import { VIOLATIONS, type ViolationCode } from './violations.js';

/** A violation as observed. */
export interface Violation {
  /** Its code. */
  readonly code: ViolationCode;
  /** What was found, in words. */
  readonly message: string;
  /** The surface id (or other subject) it concerns; '' when global. */
  readonly subject: string;
  /** Where in the offending input, as a JSON Pointer or option path, when there is one. */
  readonly path?: string;
  /** Structured facts about it. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** What the mode did. */
  readonly action: 'allowed' | 'warned' | 'refused';
}

/** Receives warnings; the default writes to stderr. */
export interface Logger {
  /** Receives one warning: a line of text, and the violation it is about when there is one. */
  warn(message: string, violation?: Violation): void;
}

/** The default logger: one line on stderr per warning. */
export const stderrLogger: Logger = {
  warn(message) {
    process.stderr.write(`[stateproof] ${message}\n`);
  },
};

/** Thrown in `enforce` mode for a violation. Its code is the violation code. */
export class ViolationError extends StateproofError {
  /** The hint defaults to the violation's fix. */
  constructor(code: ViolationCode, message: string, options: StateproofErrorOptions = {}) {
    super(code, message, { hint: VIOLATIONS[code].fix, ...options });
  }
}

/** Applies the mode to violations: records each, warns once per (code, subject), refuses in enforce. */
export class ViolationReporter {
  private readonly seen = new Set<string>();
  private readonly log: Violation[] = [];

  /** A reporter for `mode`, warning through `logger`. */
  constructor(
    /** The runtime mode: what is done with each violation. */
    readonly mode: Mode,
    private readonly logger: Logger = stderrLogger,
  ) {}

  /** Violations observed so far, in order. */
  get violations(): readonly Violation[] {
    return this.log;
  }

  /** Reports a violation; throws {@link ViolationError} when the mode refuses it. */
  report(
    code: ViolationCode,
    message: string,
    options: { subject?: string; path?: string; details?: Record<string, unknown> } = {},
  ): void {
    const action = VIOLATIONS[code].actions[this.mode];
    const subject = options.subject ?? '';
    const violation: Violation = {
      code,
      message,
      subject,
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.details === undefined ? {} : { details: options.details }),
      action: action === 'allow' ? 'allowed' : action === 'warn' ? 'warned' : 'refused',
    };
    this.log.push(violation);
    if (action === 'refuse') {
      throw new ViolationError(code, message, {
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.details === undefined ? {} : { details: options.details }),
      });
    }
    if (action === 'warn') {
      const key = `${code}\u0000${subject}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      this.logger.warn(`${code}: ${message} (fix: ${VIOLATIONS[code].fix})`, violation);
    }
  }
}
