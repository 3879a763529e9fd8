/** Task ids are the decimal text of a bigint; anything else names no task. */
export function parseTaskId(id: string): string | null {
  return /^[1-9][0-9]{0,17}$/.test(id) ? id : null;
}

/**
 * The attempt number a lease token was issued for (`<attempt>.<uuid>`, since schema version 2
 * `<attempt>.<uuid>.<id>`); 0 when it is not a token of ours.
 */
export function tokenAttempt(token: string): number {
  const m = /^([1-9][0-9]{0,8})\./.exec(token);
  return m ? Number(m[1]) : 0;
}
