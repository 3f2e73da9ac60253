// Guards for paging through an API whose server decides the next page: a `Link: rel="next"` URL,
// a cursor or a page number. A server (hostile, buggy, or a proxy) can send a next page that
// points back at itself (an endless request loop: one backend sent 86,178 requests in 45 s),
// one that never ends, or a Link to another host — which would get the credentials sent with
// every request. A PageGuard, one per scan, refuses each of these with a clear error:
// - `page(key)`, called before each page is read: a page key (URL, cursor, page number) read
//   before is a loop, not a next page; past the page cap, paging stops;
// - `follow(link, from)`: a Link is resolved against the page it came from and followed only
//   within the origin (scheme, host, port) of the API's base URL, and never back to a page read;
// - a page cap and a row cap, whose errors name the cap and how to raise it.

import { truncate } from "./errors.js";

/** Defaults: generous for real APIs, finite for hostile ones. */
export const MAX_PAGES = 1000;
export const MAX_ROWS = 100_000;

export interface PageGuardOptions {
  /** Links are followed only within this URL's origin (usually the API's base URL). */
  origin?: string;
  /** Pages per scan (default MAX_PAGES). */
  maxPages?: number;
  /** Rows per scan (default MAX_ROWS). */
  maxRows?: number;
  /** Message prefix, e.g. `GitHub API`. */
  label?: string;
  /** What a row is, for messages (default `rows`), e.g. `events`. */
  rowName?: string;
  /** How the caps are raised, for messages, e.g. `server options max_pages / max_events`. */
  capHint?: string;
}

export interface PageGuard {
  /** Registers the page about to be read (its URL, cursor or number); throws if it was read before or past the page cap. */
  page(key: string): void;
  /**
   * A `rel="next"` Link found on page `from`: resolved against it, refused if it leaves the origin
   * or names a page read before. Returns the absolute URL to request (call `page` when reading it).
   */
  follow(link: string, from: string): string;
  /** Adds `n` rows received; throws past the row cap. */
  rows(n: number): void;
  readonly pageCount: number;
  readonly rowCount: number;
}

/**
 * `scheme://host:port` of an absolute URL, lowercased, with the scheme's default port made explicit
 * (`https://API.github.com` → `https://api.github.com:443`), userinfo dropped; undefined for
 * anything else.
 */
export function urlOrigin(url: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]{0,30}):\/\/([^/?#]{0,2048})/.exec(url);
  if (!m) return undefined;
  const scheme = (m[1] as string).toLowerCase();
  let authority = (m[2] as string).slice((m[2] as string).lastIndexOf("@") + 1).toLowerCase();
  let port = scheme === "https" ? "443" : scheme === "http" ? "80" : "";
  const colon = authority.lastIndexOf(":");
  if (colon >= 0 && colon > authority.lastIndexOf("]")) {
    port = authority.slice(colon + 1);
    authority = authority.slice(0, colon);
    if (!/^\d{1,5}$/.test(port)) return undefined;
    port = String(Number(port));
  }
  if (authority === "") return undefined;
  return `${scheme}://${authority}:${port}`;
}

/** Resolves a URL reference (absolute, `//host/…`, `/path`, `?query`, `#frag` or relative path) against an absolute base. */
export function resolveUrl(ref: string, base: string): string {
  const r = ref.trim();
  if (/^[a-zA-Z][a-zA-Z0-9+.-]{0,30}:/.test(r)) return r;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]{0,30}:)(\/\/[^/?#]{0,2048})?([^?#]*)(\?[^#]*)?/.exec(base);
  if (!m) return r;
  const scheme = m[1] as string;
  const authority = m[2] ?? "";
  const path = m[3] ?? "";
  if (r.startsWith("//")) return scheme + r;
  if (r.startsWith("/")) return scheme + authority + r;
  if (r.startsWith("?")) return scheme + authority + path + r;
  if (r.startsWith("#") || r === "") return scheme + authority + path + (m[4] ?? "") + r;
  return scheme + authority + path.slice(0, path.lastIndexOf("/") + 1) + r;
}

/** A guard for one scan's paging (see the file comment). */
export function pageGuard(opts: PageGuardOptions = {}): PageGuard {
  const origin = opts.origin === undefined ? undefined : urlOrigin(opts.origin);
  const maxPages = opts.maxPages ?? MAX_PAGES;
  const maxRows = opts.maxRows ?? MAX_ROWS;
  const label = opts.label ? `${opts.label}: ` : "";
  const hint = opts.capHint ? ` (${opts.capHint})` : "";
  const seen = new Map<string, boolean>();
  // Plain fields rather than getters (MicroQuickJS keeps object literals simple).
  const guard = {
    pageCount: 0,
    rowCount: 0,
    page(key: string): void {
      if (seen.has(key)) {
        throw new Error(`${label}the server sent ${truncate(key, 300)} as the next page again after it was read: stopped paging (a loop)`);
      }
      if (guard.pageCount >= maxPages) {
        throw new Error(`${label}more than ${maxPages} pages in one scan: the page cap was reached${hint}; stopped before ${truncate(key, 300)}`);
      }
      seen.set(key, true);
      guard.pageCount++;
    },
    follow(link: string, from: string): string {
      const url = resolveUrl(link, from);
      if (origin !== undefined && urlOrigin(url) !== origin) {
        throw new Error(
          `${label}the next page ${truncate(url, 300)} (Link header of ${truncate(from, 300)}) is not on the origin of the API's URL (${origin}): not followed, so that credentials go only to the API`,
        );
      }
      if (seen.has(url)) {
        throw new Error(`${label}the Link header of ${truncate(from, 300)} names ${truncate(url, 300)} as the next page, which was already read: stopped paging (a loop)`);
      }
      return url;
    },
    rows(n: number): void {
      guard.rowCount += n;
      if (guard.rowCount > maxRows) {
        throw new Error(`${label}more than ${maxRows} ${opts.rowName ?? "rows"} in one scan: the ${(opts.rowName ?? "rows").replace(/s$/, "")} cap was reached${hint}`);
      }
    },
  };
  return guard;
}
