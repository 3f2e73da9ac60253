// The instance's secrets, and their redaction from every message. The Supabase host shows guest
// error texts verbatim (no masking, contract §4.6), and servers echo what they were sent (headers in
// an error body, a proxy's diagnostics), so the SDK remembers every credential it hands to the host
// — authorization and other auth-like header values, URL userinfo, auth-like query parameters —
// and `redact` replaces each of them, in every encoding a message could carry it, by `[redacted]`.
// One set per component instance (module state): an instance serves one scan, modify or import.
//
// Encodings covered, for each secret: raw; percent-encoded (upper- and lowercase hex, `+` for
// space); JSON-escaped (also `\/`, `\uxxxx` for non-ASCII, and escaped twice); base64
// and base64url of its UTF-8 bytes at each of the 3 alignments inside a longer base64 text (Basic
// credentials, a JWT segment); and fragments of 8+ characters at the start or end of a secret of 16+
// characters (a token cut by someone else's truncation). The SDK redacts before it truncates.

/** What a secret is replaced by. */
export const REDACTED = "[redacted]";

// Shorter values (a 3-letter user name) are redacted where they are structural (URL userinfo) but
// not as free text, where they would blank out ordinary words.
const MIN_LENGTH = 4;
const FRAGMENT = 8;
const FRAGMENT_MIN_SECRET = 16;

/** Header and query parameter names whose values are credentials. */
const AUTH_NAME = /auth|token|secret|passw|api[-_]?key|^key$|[-_]key$|cookie|session|signature|credential|^sig$/i;
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const seen = new Map<string, boolean>();
/** Every encoding of every secret, longest first (so that a longer form is replaced whole). */
let forms: string[] = [];
/** The forms long enough for fragment matching. */
let longForms: string[] = [];

/** UTF-8 bytes as a binary string (one char per byte), or undefined for a lone surrogate. */
function utf8(text: string): string | undefined {
  try {
    return encodeURIComponent(text).replace(/%([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  } catch {
    return undefined;
  }
}

/** Base64 of a binary string, without padding. */
function base64(bytes: string): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes.charCodeAt(i) << 16) | ((bytes.charCodeAt(i + 1) || 0) << 8) | (bytes.charCodeAt(i + 2) || 0);
    out += B64.charAt((n >> 18) & 63) + B64.charAt((n >> 12) & 63);
    if (i + 1 < bytes.length) out += B64.charAt((n >> 6) & 63);
    if (i + 2 < bytes.length) out += B64.charAt(n & 63);
  }
  return out;
}

/** Decodes base64 or base64url (padding optional) to a binary string; undefined if it is not base64. */
export function decodeBase64(text: string): string | undefined {
  const t = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (t.length % 4 === 1) return undefined;
  let out = "";
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < t.length; i++) {
    const v = B64.indexOf(t.charAt(i));
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 255);
    }
  }
  return out;
}

/** A binary string of UTF-8 bytes → text, or undefined when it is not valid UTF-8. */
function fromUtf8(bytes: string): string | undefined {
  try {
    return decodeURIComponent(bytes.replace(/[\0-\xff]/g, (c) => "%" + (c.charCodeAt(0) < 16 ? "0" : "") + c.charCodeAt(0).toString(16)));
  } catch {
    return undefined;
  }
}

/** JSON text with every non-ASCII character as `\uxxxx` (as some servers write it). */
function escapeNonAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4));
}

/** Every form of `secret` a message could carry (see the file comment). */
function encodings(secret: string): string[] {
  const out = [secret];
  let pct: string | undefined;
  try {
    pct = encodeURIComponent(secret);
  } catch {
    // a lone surrogate: no percent form
  }
  if (pct !== undefined) {
    out.push(pct, pct.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), pct.replace(/%20/g, "+"));
  }
  const json = JSON.stringify(secret).slice(1, -1);
  out.push(json, json.replace(/\//g, "\\/"), escapeNonAscii(json), JSON.stringify(json).slice(1, -1));
  const bytes = utf8(secret);
  if (bytes !== undefined) {
    // Whole (Basic credentials: padding bits are zero, so the last characters are the secret's too),
    // then at each alignment inside a longer base64 text.
    const whole = base64(bytes);
    out.push(whole + "==".slice(0, (4 - (whole.length % 4)) % 4), whole);
    for (let k = 0; k < 3; k++) {
      // The characters of base64(k filler bytes + secret) that depend on the secret's bytes only.
      const b = base64("\0\0".slice(0, k) + bytes).slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
      out.push(b, b.replace(/\+/g, "-").replace(/\//g, "_"));
    }
  }
  return out;
}

/**
 * Registers a secret: from now on `redact` replaces it (and its encodings) in every text. Blank
 * and very short values are ignored as free text (see MIN_LENGTH).
 */
export function addSecret(secret: string | null | undefined): void {
  if (typeof secret !== "string") return;
  const s = secret.trim();
  if (s.length < MIN_LENGTH || seen.has(s)) return;
  seen.set(s, true);
  const all = forms.concat(encodings(s));
  const unique = new Map<string, boolean>();
  const next: string[] = [];
  for (const f of all) {
    if (f.length >= MIN_LENGTH && !unique.has(f)) {
      unique.set(f, true);
      next.push(f);
    }
  }
  next.sort((a, b) => b.length - a.length);
  forms = next;
  longForms = next.filter((f) => f.length >= FRAGMENT_MIN_SECRET);
}

/**
 * Registers the credential in an authorization-like header value: the part after the scheme
 * (`Bearer X`, `token X`, `Basic X`), and for Basic also the decoded `user:password`, user and password.
 */
export function addAuthorization(value: string | null | undefined): void {
  if (typeof value !== "string") return;
  const m = /^\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)\s+(\S[^]*)$/.exec(value);
  const cred = m ? (m[2] as string).trim() : value.trim();
  addSecret(cred);
  if (m && (m[1] as string).toLowerCase() === "basic") {
    const raw = decodeBase64(cred);
    const text = raw === undefined ? undefined : fromUtf8(raw);
    if (text !== undefined) {
      addSecret(text);
      const colon = text.indexOf(":");
      if (colon >= 0) {
        addSecret(text.slice(0, colon));
        addSecret(text.slice(colon + 1));
      }
    }
  }
  if (!m) return;
  // A whole value that is not `scheme credential` (several parts) is secret as well.
  if (/\s/.test(cred)) addSecret(value);
}

/** True for header / query parameter names whose values are credentials. */
export function isAuthName(name: string): boolean {
  return AUTH_NAME.test(name);
}

/** Registers the credentials among request headers (authorization, x-api-key, cookie, …). */
export function addHeaderSecrets(headers: readonly (readonly [string, string])[]): void {
  for (const [name, value] of headers) {
    if (!isAuthName(name)) continue;
    if (/cookie/i.test(name)) {
      for (const part of value.split(";")) addSecret(part.slice(part.indexOf("=") + 1));
    } else {
      addAuthorization(value);
    }
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return part;
  }
}

/** Registers a URL's userinfo (whole, user, password) and the values of auth-like query parameters. */
export function addUrlSecrets(url: string): void {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url);
  if (m) {
    const info = m[1] as string;
    const colon = info.indexOf(":");
    addSecret(info);
    addSecret(decode(info));
    addSecret(colon >= 0 ? `${decode(info.slice(0, colon))}:${decode(info.slice(colon + 1))}` : undefined);
    addSecret(decode(colon >= 0 ? info.slice(0, colon) : info));
    if (colon >= 0) addSecret(decode(info.slice(colon + 1)));
  }
  const q = url.indexOf("?");
  if (q < 0) return;
  const hash = url.indexOf("#", q);
  for (const pair of url.slice(q + 1, hash < 0 ? url.length : hash).split("&")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && isAuthName(decode(pair.slice(0, eq)))) {
      addSecret(pair.slice(eq + 1));
      addSecret(decode(pair.slice(eq + 1)));
    }
  }
}

/** Registers every credential a request carries (what the SDK's HTTP layer calls before each send). */
export function addRequestSecrets(req: { url: string; headers: readonly (readonly [string, string])[] }): void {
  addUrlSecrets(req.url);
  addHeaderSecrets(req.headers);
}

/**
 * Replaces the userinfo of every `scheme://user:pass@host` in free text by `***` (up to the last `@`
 * of the authority, as URL parsers split it). indexOf and bounded loops: linear, no regex over the text.
 */
function maskUserinfo(text: string): string {
  let at = text.indexOf("://");
  while (at >= 0) {
    const from = at + 3;
    const limit = Math.min(text.length, from + 1024);
    let j = from;
    let lastAt = -1;
    for (; j < limit; j++) {
      const c = text.charCodeAt(j);
      // The authority ends at / ? # whitespace " ' < > ` (and control characters).
      if (c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96) break;
      if (c === 64) lastAt = j;
    }
    if (lastAt > from && text.slice(from, lastAt) !== "***") text = text.slice(0, from) + "***" + text.slice(lastAt);
    at = text.indexOf("://", from);
  }
  return text;
}

/**
 * `text` with every registered secret (in every encoding) replaced by `[redacted]`, and the userinfo
 * of any URL in it replaced by `***` (registered or not). Linear in the text per secret form; for a
 * long text of which only the start is shown, `truncate` (sdk/errors.ts) redacts just that start.
 */
export function redact(text: string): string {
  let out = text.indexOf("://") >= 0 ? maskUserinfo(text) : text;
  if (forms.length === 0) return out;
  for (const f of forms) if (out.indexOf(f) >= 0) out = out.split(f).join(REDACTED);
  // Fragments: the start of a secret cut off after 8+ characters, or its end cut off before them.
  for (const f of longForms) {
    out = cutFragments(out, f, true);
    out = cutFragments(out, f, false);
  }
  return out;
}

/** Length of the longest registered secret form (0 without secrets): how far a secret can reach. */
export function longestSecret(): number {
  return forms.length === 0 ? 0 : (forms[0] as string).length;
}

function cutFragments(text: string, secret: string, head: boolean): string {
  const probe = head ? secret.slice(0, FRAGMENT) : secret.slice(secret.length - FRAGMENT);
  let at = text.indexOf(probe);
  while (at >= 0) {
    let start = at;
    let end = at + FRAGMENT;
    if (head) {
      while (end < text.length && end - start < secret.length && text.charCodeAt(end) === secret.charCodeAt(end - start)) end++;
    } else {
      while (start > 0 && end - start < secret.length && text.charCodeAt(start - 1) === secret.charCodeAt(secret.length - (end - start) - 1)) start--;
    }
    text = text.slice(0, start) + REDACTED + text.slice(end);
    at = text.indexOf(probe, start + REDACTED.length);
  }
  return text;
}

/** A URL for messages: userinfo hidden, registered secrets (e.g. an `access_token` parameter) redacted. */
export function redactUrl(url: string): string {
  return redact(url);
}

/** How many secrets are registered (for tests and diagnostics; never their values). */
export function secretCount(): number {
  return seen.size;
}

/** Forgets every secret (tests; a new instance starts empty anyway). */
export function clearSecrets(): void {
  seen.clear();
  forms = [];
  longForms = [];
}
