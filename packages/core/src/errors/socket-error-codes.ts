/**
 * Node's socket error codes of a connection that could not be made or broke: what every server
 * adapter reads as "the backend is unreachable" (STATEPROOF_BACKEND_UNAVAILABLE), not as a bug.
 */
export const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'EHOSTDOWN',
]);
