/** The first command line of the first fenced `sh` block of a markdown text, without its comment. */
export function firstShCommand(markdown: string): string;
/** A shell line without its trailing comment (a `#` outside quotes, at the start or after whitespace). */
export function stripComment(line: string): string;
