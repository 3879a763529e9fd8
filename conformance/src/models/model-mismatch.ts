import type { RequirementId } from '../requirements/requirement-ids.js';

/**
 * The adapter did something its reference model forbids. The message names the requirement ids the
 * observation breaks, what was expected and what was observed, so a shrunk counterexample reads as a
 * bug report.
 */
export class ModelMismatch extends Error {
  /** `message` says what was expected and what was observed; the requirement ids are prefixed to it. */
  constructor(
    /** Requirement ids the observation violates. */
    readonly requirements: readonly RequirementId[],
    message: string,
  ) {
    super(`[${requirements.join(', ')}] ${message}`);
    this.name = 'ModelMismatch';
  }
}

/** Throws a {@link ModelMismatch} unless `condition` holds. */
export function expectModel(
  condition: boolean,
  requirements: readonly RequirementId[],
  message: () => string,
): asserts condition {
  if (!condition) throw new ModelMismatch(requirements, message());
}

/** Compact JSON for messages. */
export function show(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
  } catch {
    return String(value);
  }
}
