// JSON for untrusted bodies, on both guest engines (QuickJS-ng and MicroQuickJS):
// - a UTF-8 BOM is dropped;
// - nesting deeper than `maxDepth` is a clean error, checked BEFORE the engine's JSON.parse, which
//   recurses in C and traps the component (`call stack exhausted`) on a few thousand levels;
// - numbers keep their exact text: JS doubles change `90.28571428571429` (QuickJS-ng prints the
//   last digit differently), `1.10`, `1E+2`, `-0.0` and integers beyond 2^53, so the text of every
//   number that would not print back as sent is kept in a side tree of annotations (`RawNumbers`)
//   that mirrors the value's keys. `stringifyJson(value, raw)` writes those texts; the FDW's logic
//   still sees plain JS numbers. A side tree rather than hidden properties, a WeakMap or a Map keyed
//   by objects: MicroQuickJS has no non-enumerable properties (they would show up in every JSON
//   text), no WeakMap, and Map is a polyfill there;
// - errors say what and where: `invalid JSON at position N of M bytes` (or `truncated JSON …`), with
//   the quoted text redacted and capped.
// Everything is linear: one pass with indexOf over strings (no regex runs over the body, whose
// backtracking stack in QuickJS grows per character and fails on megabyte bodies), and no JS
// recursion deeper than `maxDepth`.

import { truncate } from "./errors.js";

/** Default maximum nesting of arrays and objects: serde_json's limit, which the hosts apply to json cells. */
export const MAX_JSON_DEPTH = 128;

/**
 * Exact texts of the numbers in a parsed JSON value that would not print back as sent: undefined
 * when there are none; for a number, its text; for an array or object, an object keyed like it
 * (array indexes as strings) holding the children's annotations.
 */
export type RawNumbers = string | RawNumberTree | undefined;
export interface RawNumberTree {
  [key: string]: RawNumbers;
}

export interface ParsedJson {
  value: unknown;
  /** See RawNumbers; pass it to stringifyJson with the value (or `rawAt` for a child). */
  raw: RawNumbers;
}

export interface JsonOptions {
  /** Maximum nesting of arrays and objects (default MAX_JSON_DEPTH). */
  maxDepth?: number;
  /** What the text is, for messages: `from GET https://…` is appended (e.g. `GET https://…`). */
  source?: string;
}

/**
 * UTF-8 length of a string: + 1 per unit ≥ U+0080, + 1 more per BMP character ≥ U+0800 (a surrogate
 * pair is 2 + 2). Native regex passes with bounded quantifiers: each match keeps at most 4096
 * characters of backtracking state, where `[\0-\x7f]+` runs out of regexp memory on a large ASCII
 * body. Also right where a regex steps over code points rather than UTF-16 units (MicroQuickJS).
 */
export function utf8Length(text: string): number {
  const wide = text.replace(/[\0-\x7f]{1,4096}/g, "");
  return wide === "" ? text.length : text.length + wide.length + wide.replace(/[^\u0800-\ud7ff\ue000-\uffff]{1,4096}/g, "").length;
}

/** The index of the `"` closing the string whose opening quote is at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let j = text.indexOf('"', open + 1);
  while (j > 0 && text.charCodeAt(j - 1) === 92) {
    // Escaped unless preceded by an even number of backslashes.
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) break;
    j = text.indexOf('"', j + 1);
  }
  return j;
}

/** Set by numberEnd: the token has a fraction, an exponent or a leading `-0`. */
let unusual = false;

/** End of the number token starting at `i`; sets `unusual`. */
function numberEnd(text: string, i: number): number {
  let j = i + 1;
  unusual = text.charCodeAt(i) === 45 && text.charCodeAt(j) === 48;
  for (;;) {
    const d = text.charCodeAt(j);
    if (d >= 48 && d <= 57) j++;
    else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
      unusual = true;
      j++;
    } else return j;
  }
}

function message(kind: string, text: string, at: number, bom: number, opts: JsonOptions | undefined, near?: string): Error {
  const pos = bom + utf8Length(text.slice(0, at));
  const total = bom + utf8Length(text);
  const nearText = near === undefined ? "" : ` near ${JSON.stringify(truncate(near, 40, false))}`;
  return new Error(`${kind} at position ${pos} of ${total} bytes${opts?.source ? ` from ${opts.source}` : ""}${nearText}`);
}

/**
 * One pass over the text outside strings: throws past `maxDepth`; returns the start positions of
 * the number tokens that would not print back as sent (undefined if none).
 */
function scan(text: string, maxDepth: number, bom: number, opts: JsonOptions | undefined): number[] | undefined {
  let risky: number[] | undefined;
  let depth = 0;
  const n = text.length;
  let i = 0;
  // Branches ordered by frequency in API JSON; a JS step costs ~0.5 µs in QuickJS-ng, so strings are
  // skipped with indexOf and the literals true/false/null in one step (invalid text only makes
  // this pass imprecise where JSON.parse then fails anyway, before it could nest deeper).
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A run of strings: `"k":"v","k2":…` goes from string to string without a step per separator.
      // (stringEnd, inlined: a call per string costs as much as the search.)
      for (;;) {
        let j = text.indexOf('"', i + 1);
        while (j > 0 && text.charCodeAt(j - 1) === 92) {
          let k = j - 2;
          while (text.charCodeAt(k) === 92) k--;
          if ((j - k) % 2 === 1) break; // an even number of backslashes: the quote ends the string
          j = text.indexOf('"', j + 1);
        }
        if (j < 0) return risky; // unterminated: JSON.parse reports it
        const d = text.charCodeAt(j + 1);
        if (d === 58 || d === 44) {
          const e = text.charCodeAt(j + 2);
          if (e === 34) {
            i = j + 2;
            continue;
          }
          if (e === 32 && text.charCodeAt(j + 3) === 34) {
            i = j + 3; // `": "` of pretty-printed JSON
            continue;
          }
        }
        i = j + 1;
        break;
      }
    } else if (c === 44 || c === 58 || c <= 32) {
      i++;
    } else if (c === 123 || c === 91) {
      if (++depth > maxDepth) throw message(`JSON nested deeper than ${maxDepth} levels`, text, i, bom, opts);
      i++;
    } else if (c === 125 || c === 93) {
      depth--;
      i++;
    } else if (c === 116 || c === 110) {
      i += 4;
    } else if (c === 102) {
      i += 5;
    } else {
      // A number (or garbage, which JSON.parse rejects). Only a fraction, an exponent, a negative
      // zero or 16+ digits can print back differently.
      const j = numberEnd(text, i);
      if (unusual || j - i >= 16) {
        const tok = text.slice(i, j);
        if (String(Number(tok)) !== tok) (risky ??= []).push(i);
      }
      i = j;
    }
  }
  return risky;
}

/** Sets `tree[path…] = raw`, creating the intermediate annotation objects. */
function annotate(root: RawNumberTree, path: readonly (string | number)[], raw: string | undefined): void {
  let node = root;
  for (let k = 0; k < path.length - 1; k++) {
    const key = String(path[k]);
    let next = node[key];
    if (next === undefined || typeof next === "string") {
      if (raw === undefined) return; // nothing to delete below
      next = Object.create(null) as RawNumberTree;
      node[key] = next;
    }
    node = next;
  }
  const last = String(path[path.length - 1]);
  if (raw === undefined) delete node[last];
  else node[last] = raw;
}

/**
 * Second pass, only when some number would not print back: walks the (valid) text keeping the
 * path of keys and indexes, and annotates the risky numbers. A later duplicate key wins, as in
 * JSON.parse: every number token sets or clears its path's annotation.
 */
function collectRaw(text: string, risky: readonly number[]): RawNumbers {
  const root = Object.create(null) as RawNumberTree;
  const path: (string | number)[] = [];
  /** Per open container: true for an object. */
  const objects: boolean[] = [];
  let expectKey = false;
  let r = 0;
  let annotated = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const j = stringEnd(text, i);
      if (expectKey) {
        const rawKey = text.slice(i + 1, j);
        path[path.length - 1] = rawKey.indexOf("\\") < 0 ? rawKey : (JSON.parse(`"${rawKey}"`) as string);
        expectKey = false;
      }
      i = j + 1;
    } else if (c === 123 || c === 91) {
      objects.push(c === 123);
      path.push(c === 123 ? "" : 0);
      expectKey = c === 123;
      i++;
    } else if (c === 125 || c === 93) {
      objects.pop();
      path.pop();
      expectKey = false;
      i++;
    } else if (c === 44) {
      const top = path.length - 1;
      if (objects[top]) expectKey = true;
      else path[top] = (path[top] as number) + 1;
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const j = numberEnd(text, i);
      if (risky[r] === i) {
        r++;
        annotated++;
        // A bare number document is its own annotation.
        if (path.length === 0) return text.slice(i, j);
        annotate(root, path, text.slice(i, j));
      } else if (annotated > 0 && objects[objects.length - 1]) {
        annotate(root, path, undefined); // a duplicate key's later, plain value
      }
      i = j;
    } else i++;
  }
  return Object.keys(root).length > 0 ? root : undefined;
}

/**
 * Where a text that JSON.parse rejected goes wrong: the index of the first syntax error, or
 * `text.length` when the text ends too early (truncated). Iterative; only runs on the error path.
 */
function locateError(text: string): number {
  const n = text.length;
  const stack: boolean[] = []; // true: object
  // state: 0 value, 1 value or ']', 2 key or '}', 3 key, 4 ':', 5 ',' or close (or the end)
  let state = 0;
  let i = 0;
  for (;;) {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(++i);
    if (i >= n) return n;
    if (state === 5) {
      const obj = stack[stack.length - 1];
      if (obj === undefined) return i; // text after the value
      if (c === 44) state = obj ? 3 : 0;
      else if (c === (obj ? 125 : 93)) stack.pop();
      else return i;
      i++;
    } else if (state === 4) {
      if (c !== 58) return i;
      state = 0;
      i++;
    } else if ((state === 1 && c === 93) || (state === 2 && c === 125)) {
      stack.pop();
      state = 5;
      i++;
    } else if (c === 34) {
      const j = stringEnd(text, i);
      if (j < 0) return n;
      // Control characters and bad escapes inside the string (a native test first: strings are long).
      for (let k = /[\0-\x1f\\]/.test(text.slice(i + 1, j)) ? i + 1 : j; k < j; k++) {
        const d = text.charCodeAt(k);
        if (d < 32) return k;
        if (d === 92) {
          const e = text.charAt(++k);
          if (e === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(k + 1, k + 5)) : '"\\/bfnrt'.indexOf(e) < 0) return k - 1;
          if (e === "u") k += 4;
        }
      }
      i = j + 1;
      state = state >= 2 ? 4 : 5;
    } else if (state >= 2) {
      return i; // a key must be a string
    } else if (c === 123 || c === 91) {
      stack.push(c === 123);
      state = c === 123 ? 2 : 1;
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      // -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, part by part: each part must have a digit.
      const j = numberEnd(text, i);
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.exec(text.slice(i, j));
      if (!m) {
        // the longest valid start of the token tells where it breaks
        let k = i + 1;
        while (k < j && /^-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?$/.test(text.slice(i, k + 1))) k++;
        return k >= n ? n : k;
      }
      i = j;
      state = 5;
    } else {
      const lit = c === 116 ? "true" : c === 102 ? "false" : c === 110 ? "null" : "";
      if (lit === "") return i;
      if (!text.startsWith(lit, i)) return n - i < lit.length && lit.startsWith(text.slice(i)) ? n : i;
      i += lit.length;
      state = 5;
    }
  }
}

/**
 * Parses untrusted JSON: BOM dropped, nesting limited, errors with position and size (see the file
 * comment), and the exact text of every number that would not print back as sent.
 */
export function parseJsonExact(text: string, opts?: JsonOptions): ParsedJson {
  // A UTF-8 byte order mark (U+FEFF) is dropped; positions still count its 3 bytes.
  const bom = text.charCodeAt(0) === 0xfeff ? 3 : 0;
  const body = bom ? text.slice(1) : text;
  const maxDepth = opts?.maxDepth ?? MAX_JSON_DEPTH;
  // Pretty-printed JSON (a newline near the start): the scan runs over a copy without line breaks
  // and indentation, which in valid JSON stand only between tokens (a string cannot hold a raw
  // newline); it changes no quote or backslash, so strings stay where they were. Positions in a
  // depth error come from scanning the text itself.
  let scanned = body;
  if (body.slice(0, 256).indexOf("\n") >= 0) scanned = body.replace(/\r?\n[ \t]{0,1024}/g, "");
  let risky: number[] | undefined;
  try {
    risky = scan(scanned, maxDepth, bom, opts);
  } catch (e) {
    if (scanned === body) throw e;
    risky = scan(body, maxDepth, bom, opts);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    if (body.trim() === "") throw new Error(`empty body instead of JSON (${bom + utf8Length(body)} bytes)${opts?.source ? ` from ${opts.source}` : ""}`);
    const at = locateError(body);
    if (at >= body.length) throw message("truncated JSON", body, body.length, bom, opts);
    throw message("invalid JSON", body, at, bom, opts, body.slice(at, at + 4096));
  }
  return { value, raw: risky === undefined ? undefined : collectRaw(scanned, risky) };
}

/** `parseJsonExact(text, opts).value`: for JSON whose numbers are not written back as JSON. */
export function parseJson(text: string, opts?: JsonOptions): unknown {
  return parseJsonExact(text, opts).value;
}

/** The annotations of `raw`'s child `key` (an object key or an array index). */
export function rawAt(raw: RawNumbers, key: string | number): RawNumbers {
  return raw === undefined || typeof raw === "string" ? undefined : raw[String(key)];
}

/**
 * JSON text of a value, with the exact text of every number that `raw` annotates (and still holds
 * the value it was parsed to); otherwise JSON.stringify. Undefined for undefined and functions.
 */
export function stringifyJson(value: unknown, raw?: RawNumbers): string | undefined {
  if (raw === undefined) return JSON.stringify(value);
  if (typeof value === "number") return typeof raw === "string" && Number(raw) === value ? raw : JSON.stringify(value);
  if (value === null || typeof value !== "object" || typeof raw === "string" || typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value);
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) parts.push(stringifyJson(value[i], raw[String(i)]) ?? "null");
    return `[${parts.join(",")}]`;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const s = stringifyJson(obj[k], raw[k]);
    if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
  }
  return `{${parts.join(",")}}`;
}
