// Strings that cross into the host must be well-formed UTF-16: a WIT string is UTF-8, and a lone
// surrogate (a JSON escape like "\ud800" from a server, or a message cut between the two halves of
// a pair) cannot be encoded. componentize-qjs traps on one; MicroQuickJS' glue writes U+FFFD. The
// SDK replaces them itself so both engines give the same, trap-free result.

const SURROGATE = /[\ud800-\udfff]/;

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** `text` with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, ES5-safe). */
export function wellFormed(text: string): string {
  if (!SURROGATE.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHigh(code) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      out += text.slice(i, i + 2);
      i++;
    } else {
      out += isHigh(code) || isLow(code) ? "\ufffd" : text[i];
    }
  }
  return out;
}
