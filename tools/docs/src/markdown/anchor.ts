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
