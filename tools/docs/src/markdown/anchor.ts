/**
 * The stable anchor of a requirement id (`REC-001` -> `rec-001`): written as an explicit
 * `<a id>` before its heading, so a link survives a retitled requirement.
 */
export function requirementAnchor(id: string): string {
  return id.toLowerCase();
}

/** The explicit anchor element for an id, placed on its own line before a heading. */
export function anchorTag(anchor: string): string {
  return `<a id="${anchor}"></a>`;
}

/**
 * A heading's slug as GitHub derives it: lower case, punctuation other than `-` and `_` dropped,
 * spaces to dashes. Used for the anchors of headings this package writes (sections per class,
 * per adapter), so links to them resolve.
 */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * Anchors for several keys on one page, from `base(key)`, made unique: when two keys give the same
 * anchor (`orders.v1` and `orders-v1`), the later ones in `keys` order get `-2`, `-3`, … So a link
 * never lands on the wrong row, and the same keys always get the same anchors.
 */
export function uniqueAnchors(keys: readonly string[], base: (key: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const key of keys) {
    if (out.has(key)) continue;
    const first = base(key);
    let anchor = first;
    for (let n = 2; used.has(anchor); n++) anchor = `${first}-${n}`;
    used.add(anchor);
    out.set(key, anchor);
  }
  return out;
}
