/**
 * The `applies` of a property that checks with a server clock, within the declared tolerance, what
 * `what` checks exactly with an injectable clock: it runs only where the exact check cannot.
 */
export function serverClockOnly(what: string): (env: { readonly exactTime: boolean }) => true | string {
  return (env) => (env.exactTime ? `the adapter takes an injectable clock; ${what} checks this exactly` : true);
}
