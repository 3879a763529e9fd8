import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { headingSlug } from './anchor.js';

/** A relative link in a Markdown file that does not resolve. */
export interface BrokenLink {
  /** The Markdown file the link is in, as it was given. */
  readonly file: string;
  /** Its line (1-based). */
  readonly line: number;
  /** The link target as written (`record.md#rec-001`). */
  readonly target: string;
  /** What does not exist: the file, or the anchor in it. */
  readonly problem: 'no such file' | 'no such anchor';
}

const LINK = /\[(?:[^\]\\]|\\.)*\]\(([^)\s]+)\)/g;

/** The anchors a Markdown text defines: explicit `<a id>` elements and the slugs of its headings. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of markdown.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(m[1] as string);
  for (const m of markdown.matchAll(/^#{1,6} (.+)$/gm)) anchors.add(headingSlug(m[1] as string));
  return anchors;
}

/**
 * Every relative link of the given Markdown files that does not resolve: to a file that does not
 * exist, or to an anchor its target page does not define. Links with a scheme (https:, mailto:)
 * are not followed; text in code fences and inline code is not read as links.
 */
export function brokenLinks(files: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    let set = anchorCache.get(path);
    if (!set) anchorCache.set(path, (set = anchorsOf(readFileSync(path, 'utf8'))));
    return set;
  };
  for (const file of files) {
    let fenced = false;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
        if (fenced) return;
        for (const m of text.replace(/`[^`]*`/g, '').matchAll(LINK)) {
          // A destination may be written <…> (CommonMark), so that it can hold spaces and parentheses.
          const target = (m[1] as string).replace(/^<(.*)>$/, '$1');
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
          const [path = '', anchor] = target.split('#');
          let decoded: string;
          try {
            decoded = decodeURIComponent(path);
          } catch {
            broken.push({ file, line: i + 1, target, problem: 'no such file' });
            continue;
          }
          const resolved = path === '' ? file : resolve(dirname(file), decoded);
          if (!existsSync(resolved)) broken.push({ file, line: i + 1, target, problem: 'no such file' });
          else if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile() && !anchors(resolved).has(anchor))
            broken.push({ file, line: i + 1, target, problem: 'no such anchor' });
        }
      });
  }
  return broken;
}
