/** Orders keys by their UTF-8 bytes: the model's own comparison, independent of core's. */
export function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
