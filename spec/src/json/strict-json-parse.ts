import { JsonParseError } from '../errors/json-errors.js';
import { MAX_JSON_DEPTH, type JsonValue } from './ijson.js';
import { pointerAppend } from './json-pointer.js';

/**
 * Parses JSON text (RFC 8259) strictly, as I-JSON requires: duplicate member names, lone surrogate
 * escapes, numbers that overflow a double and nesting deeper than the limit are errors, each reported
 * with line, column and the JSON Pointer of the offending member. A `__proto__` member becomes an own
 * property, never the prototype.
 */
export function parseStrictJson(text: string): JsonValue {
  return new Parser(text).parseDocument();
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1; // tolerate a UTF-8 byte-order mark
    this.skipWs();
    const value = this.parseValue('', 0);
    this.skipWs();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private position(at = this.pos): { line: number; column: number; offset: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: at - lineStart + 1, offset: at };
  }

  private fail(message: string, path?: string, at = this.pos): never {
    throw new JsonParseError(message, this.position(at), path);
  }

  private skipWs(): void {
    while (this.pos < this.text.length && WS.has(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private parseValue(path: string, depth: number): JsonValue {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH}`, path);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject(path, depth);
      case '[':
        return this.parseArray(path, depth);
      case '"':
        return this.parseString(path);
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
        return this.fail('unexpected end of input', path);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber(path);
        return this.fail(`unexpected character ${JSON.stringify(c)}`, path);
    }
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail('invalid literal');
  }

  private parseNumber(path: string): number {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.fail('invalid number', path);
    const start = this.pos;
    this.pos += m[0].length;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail('number outside the IEEE 754 double range', path, start);
    return n;
  }

  private parseString(path: string): string {
    const start = this.pos;
    this.pos++; // opening quote
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', path, start);
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        out += this.text.slice(chunkStart, this.pos);
        this.pos++;
        break;
      }
      if (code < 0x20) this.fail('unescaped control character in string', path);
      if (code === 0x5c) {
        out += this.text.slice(chunkStart, this.pos);
        out += this.parseEscape(path);
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
    // Lone surrogates, escaped or literal, are not I-JSON.
    for (let i = 0; i < out.length; i++) {
      const u = out.charCodeAt(i);
      if (u >= 0xd800 && u <= 0xdbff) {
        const next = out.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
        else this.fail('string holds a lone surrogate', path, start);
      } else if (u >= 0xdc00 && u <= 0xdfff) this.fail('string holds a lone surrogate', path, start);
    }
    return out;
  }

  private parseEscape(path: string): string {
    const e = this.text[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', path, this.pos - 2);
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        return this.fail('invalid escape sequence', path, this.pos - 2);
    }
  }

  private parseArray(path: string, depth: number): JsonValue[] {
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      out.push(this.parseValue(pointerAppend(path, out.length), depth + 1));
      this.skipWs();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      this.fail("expected ',' or ']' in array", path);
    }
  }

  private parseObject(path: string, depth: number): { [key: string]: JsonValue } {
    this.pos++;
    const out: { [key: string]: JsonValue } = {};
    const keys = new Set<string>();
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] !== '"') this.fail('expected a string member name', path);
      const keyAt = this.pos;
      const key = this.parseString(path);
      const child = pointerAppend(path, key);
      if (keys.has(key)) this.fail(`duplicate member name ${JSON.stringify(key)}`, child, keyAt);
      keys.add(key);
      this.skipWs();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after member name", child);
      this.pos++;
      this.skipWs();
      const value = this.parseValue(child, depth + 1);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWs();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return out;
      }
      this.fail("expected ',' or '}' in object", path);
    }
  }
}
