// Error normalisation. Under componentize-qjs a routine that throws an Error (or a string) becomes
// err(message) = `guest fdw error: <message>`, but throwing anything else (42, {}, null) traps
// (`wasmtime error: …`, message lost). So everything thrown across the boundary goes through here.
// Messages are shown verbatim by the host and logged by Postgres: every text that may quote a
// server or a value is redacted (sdk/secrets.ts) BEFORE it is cut, and cut to a bounded size.

import { longestSecret, redact } from "./secrets.js";
import { wellFormed } from "./unicode.js";

/** Longest message a routine error may have (the final guard cuts longer ones). */
export const MAX_MESSAGE = 2000;
/** Longest quote of server-supplied text (an API's error message, a body) inside a message. */
export const MAX_QUOTE = 300;

/**
 * `text` redacted, then shortened to `max` characters with `…(N chars)` (N = the original length).
 * Only the part that is kept (plus the reach of the longest secret) is redacted, so that quoting
 * the start of a 10 MB body costs little, and a secret cut by the end is never half shown.
 * `count` false: a bare `…` instead of `…(N chars)`.
 */
export function truncate(text: string, max = 80, count = true): string {
  const reach = longestSecret() + 16;
  const more = count ? `…(${text.length} chars)` : "…";
  for (let size = max + reach; ; size *= 2) {
    if (size >= text.length) {
      const all = redact(text);
      return all.length <= max ? all : all.slice(0, max) + more;
    }
    // Enough left after redaction that no secret reaching past `size` can end up within `max`.
    const part = redact(text.slice(0, size));
    if (part.length >= max + reach) return part.slice(0, max) + more;
  }
}

/** Server text quoted in a message: redacted, trimmed, at most MAX_QUOTE characters. */
export function quote(text: string, max = MAX_QUOTE): string {
  return truncate(text.trim(), max);
}

/** A short, safe description of any value for an error message, e.g. `string "abc"`, `object {"a":1}`. */
export function describeValue(value: unknown, max = 60): string {
  if (value == null) return String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // cyclic objects, BigInt: String() below
  }
  return `${Array.isArray(value) ? "array" : typeof value} ${truncate(text ?? String(value), max)}`;
}

/** Any thrown value → a plain Error whose message is a non-empty string. */
export function toError(thrown: unknown): Error {
  let message: string;
  if (thrown instanceof Error) {
    message = thrown.message !== "" ? thrown.message : thrown.name || "Error";
  } else if (typeof thrown === "string") {
    message = thrown !== "" ? thrown : "unknown error";
  } else if (thrown !== null && typeof thrown === "object" && typeof (thrown as { message?: unknown }).message === "string") {
    message = (thrown as { message: string }).message;
  } else {
    message = `non-Error value thrown: ${describeValue(thrown)}`;
  }
  // A fresh plain Error: subclasses or odd prototypes must not confuse the binding glue.
  return new Error(message);
}

/**
 * What every routine error becomes at the boundary (sdk/routines.ts): a plain Error, every
 * registered secret redacted, at most MAX_MESSAGE characters. Also for an FDW author's own throws.
 */
export function safeError(thrown: unknown): Error {
  // well-formed: a server's lone surrogate, or a cut through a pair, would trap the quickjs glue
  return new Error(wellFormed(truncate(toError(thrown).message, MAX_MESSAGE)));
}

/** Prefixes an error's message with context, keeping it an Error. */
export function withContext(context: string, thrown: unknown): Error {
  return new Error(`${context}: ${toError(thrown).message}`);
}
