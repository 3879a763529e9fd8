import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { JsonParseError, parseStrictJson, pointerTokens, type JsonValue } from '@stateproof/spec';

/** A 1-based position in a text. */
export interface TextPosition {
  /** The line. */
  readonly line: number;
  /** The column. */
  readonly column: number;
}

/** A parsed JSON or YAML document that can say where each value is. */
export interface DocumentSource {
  /** The parsed value; undefined when the text cannot be parsed. */
  readonly value: JsonValue | undefined;
  /** Syntax errors, each with its position. */
  readonly errors: ReadonlyArray<
    {
      /** What is wrong. */
      readonly message: string;
    } & TextPosition
  >;
  /** Where the value at a JSON Pointer is written (the member's key for object members); the nearest existing ancestor when it is absent. */
  positionOf(pointer: string): TextPosition | undefined;
}

function yamlPositions(text: string): { doc: Document.Parsed; counter: LineCounter } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true, strict: true });
  return { doc, counter };
}

function locate(doc: Document.Parsed, counter: LineCounter, pointer: string): TextPosition | undefined {
  let node: unknown = doc.contents;
  let at: number | undefined = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const token of pointerTokens(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === token);
      if (!pair) break;
      at = (pair.key as { range?: [number, number, number] }).range?.[0] ?? at;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(token)] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      at = item.range?.[0] ?? at;
      node = item;
    } else break;
  }
  if (at === undefined) return undefined;
  const { line, col } = counter.linePos(at);
  return { line, column: col };
}

/**
 * Parses a manifest or inventory. JSON (a `.json` file, or text that starts with `{`) is parsed
 * strictly as I-JSON (duplicate keys are errors); YAML with unique keys. Positions come from the
 * YAML parser, which reads JSON too.
 */
export function readDocumentSource(text: string, fileName: string): DocumentSource {
  const isJson = fileName.endsWith('.json') || (!/\.ya?ml$/.test(fileName) && text.trimStart().startsWith('{'));
  const { doc, counter } = yamlPositions(text);
  const positionOf = (pointer: string) => (doc.errors.length === 0 ? locate(doc, counter, pointer) : undefined);
  if (isJson) {
    try {
      return { value: parseStrictJson(text), errors: [], positionOf };
    } catch (error) {
      if (error instanceof JsonParseError) {
        return {
          value: undefined,
          errors: [
            { message: error.message.replace(/ at line \d+, column \d+$/, ''), line: error.line, column: error.column },
          ],
          positionOf,
        };
      }
      throw error;
    }
  }
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      errors: doc.errors.map((e) => ({
        message: (e.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, ''),
        line: e.linePos?.[0].line ?? 1,
        column: e.linePos?.[0].col ?? 1,
      })),
      positionOf,
    };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) as JsonValue, errors: [], positionOf };
  } catch (error) {
    // An alias bomb or an unresolvable alias: the YAML parses but cannot become data.
    return { value: undefined, errors: [{ message: (error as Error).message, line: 1, column: 1 }], positionOf };
  }
}
