/**
 * A server URL fit for messages and certificates: its password, if any, replaced by `***`; text
 * that is not a URL becomes `<unparseable URL>`, since it may hold a password in a form no parser
 * finds. Every server adapter says where it connects with it.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
