// Paged reads as a lazy sequence of rows (sdk/sequence.ts), in the three styles REST APIs use:
//   linkPages     — the next page is a URL: an RFC 8288 `Link: <…>; rel="next"` header (GitHub) or a
//                   URL in the body; followed only within the API's origin;
//   cursorPages   — the body names an opaque cursor for the next request (`next_cursor`, `after`);
//   numberedPages — pages 1, 2, 3 … (`?page=N`), the body saying whether there is a next one.
// The FDW writes two functions: the URL of a page, and `fetch(url)` → `{ rows, raw, next }`. The
// SDK does the rest, the same way in every style:
// - laziness: a page is fetched only when the rows before it have been read, so Postgres stopping
//   at its LIMIT stops paging;
// - page size: the first page asks for `ctx.pageSize(max)` rows — LIMIT + OFFSET when the scan's
//   quals are all applied (sdk/fdw.ts), else `max`. If more rows are wanted after such a small
//   first page (a condition the host did not pass on dropped some), paging starts over at full
//   size from the first page and skips the rows already returned (by `ctx.rowKey`, else by count);
// - guards (sdk/paging.ts pageGuard): a page key (its URL) read twice is a loop error; the page and
//   row caps; a next URL outside the origin is refused (credentials go only to the API);
// - an empty page, or one without a next, ends the sequence;
// - `raw`: each row's exact number texts travel with it (`rawAt(page.raw, i)`).

import { MAX_QUOTE, truncate } from "./errors.js";
import { jsonShape } from "./http.js";
import { type RawNumbers, rawAt } from "./json.js";
import { type PageGuard, pageGuard } from "./paging.js";
import type { Sequence } from "./sequence.js";

/** One page as the FDW's fetch returns it. */
export interface Page<T> {
  /** The page's rows (an empty page ends the sequence). */
  rows: readonly T[];
  /** Exact-number annotations of `rows` (sdk/json.ts): `rawAt(bodyRaw, "data")` for rows under `data`. */
  raw?: RawNumbers;
  /** The next page: a URL (linkPages), a cursor (cursorPages) or a page number (numberedPages); null/undefined: the last page. */
  next?: string | number | null;
  /** Bytes received for this page (for the rows-in/bytes-in stats; sdk/json.ts utf8Length of the body). */
  bytes?: number;
}

/** What a fetch is told about the page it gets. */
export interface PageRequest {
  url: string;
  /** The page size asked for. */
  size: number;
  /** How many pages were fetched before this one in this sequence (0: the first). */
  index: number;
}

/** What the pagers need from a scan (sdk/fdw.ts ScanContext has it; elsewhere `{ pageSize: (max) => max }`). */
export interface PagingContext {
  /** The first page's size: LIMIT + OFFSET when it can be pushed down, else `max`. */
  pageSize(max: number): number;
  /** Counts what a page brought (stats). */
  received?(rows: number, bytes: number): void;
  /** A row's identity, used to skip rows already returned when paging starts over. */
  rowKey?(row: unknown): unknown;
}

interface Common<T> {
  /** Gets one page (use sdk/http.ts send/requestJson or sdk/api.ts jsonApi). */
  fetch(url: string, request: PageRequest): Page<T>;
  /** The largest page the API serves (default 100). */
  pageSize?: number;
  /** The scan's paging guard, shared by every pager of the scan; default: one of its own. */
  guard?: PageGuard;
  /** For messages: `GitHub API`. */
  label?: string;
}

export interface LinkPaging<T> extends Common<T> {
  /** The first page's URL for a page size. */
  first(size: number): string;
}
export interface CursorPaging<T> extends Common<T> {
  /** The URL of the page after `cursor` (undefined: the first page). */
  url(cursor: string | undefined, size: number): string;
}
export interface NumberedPaging<T> extends Common<T> {
  /** The URL of page `page`. */
  url(page: number, size: number): string;
  /** The number of the first page (default 1). */
  firstPage?: number;
}

const DEFAULT_PAGE = 100;

type Style = "link" | "cursor" | "number";

/** The shared engine of the three pagers. `urlFor(next, size)` builds a request from a page's `next`. */
function pager<T>(
  ctx: PagingContext,
  style: Style,
  opts: Common<T>,
  first: (size: number) => string,
  urlFor: (next: string | number, size: number, from: string, guard: PageGuard) => string,
): Sequence<T> {
  const max = opts.pageSize ?? DEFAULT_PAGE;
  const label = opts.label ? `${opts.label}: ` : "";
  let guard = opts.guard;
  let url: string | undefined;
  let started = false;
  let size = max;
  /** The first page was LIMIT-sized: a next page means starting over at full size. */
  let small = false;
  /** The next fetch starts over after a small first page. */
  let restarting = false;
  /** Rows to skip after starting over: their keys, or how many (no rowKey). */
  let skipKeys: Record<string, true> | undefined;
  let skipCount = 0;
  let index = 0;
  let rows: readonly T[] = [];
  let raw: RawNumbers;
  let at = 0;
  let lastRaw: RawNumbers;

  function fetchNext(): void {
    if (!started) {
      started = true;
      size = Math.max(1, Math.min(max, ctx.pageSize(max)));
      small = size < max;
      url = first(size);
    } else if (restarting) {
      // Starting over: the rows of the small first page (all returned by now) are skipped.
      restarting = false;
      const key = ctx.rowKey;
      if (key !== undefined) {
        skipKeys = Object.create(null) as Record<string, true>;
        for (const r of rows) skipKeys[keyText(key(r))] = true;
      } else {
        skipCount = rows.length;
      }
    }
    const target = url as string;
    url = undefined;
    // The guard's origin: the first page's, unless the scan's guard was given.
    guard ??= pageGuard(style === "link" ? { origin: target, label: opts.label } : { label: opts.label });
    guard.page(target);
    const page = opts.fetch(target, { url: target, size, index });
    index++;
    const got = page.rows as unknown;
    if (!Array.isArray(got)) throw new Error(`${label}the page ${truncate(target, MAX_QUOTE)} gave ${jsonShape(got)} where an array of rows was expected`);
    guard.rows(got.length);
    ctx.received?.(got.length, page.bytes ?? 0);
    rows = got as readonly T[];
    raw = page.raw;
    at = 0;
    const next = page.next;
    if (rows.length === 0 || next === undefined || next === null || next === "") return;
    if (small) {
      // More rows wanted after the LIMIT-sized page: start over at full size (see the file comment).
      small = false;
      restarting = true;
      size = max;
      url = first(size);
      return;
    }
    url = urlFor(next, size, target, guard);
  }

  return {
    next(): T | undefined {
      for (;;) {
        while (at >= rows.length) {
          if (started && url === undefined) return undefined;
          fetchNext();
        }
        const i = at++;
        const row = rows[i] as T;
        if (skipCount > 0) {
          skipCount--;
          continue;
        }
        if (skipKeys !== undefined && ctx.rowKey !== undefined && skipKeys[keyText(ctx.rowKey(row))] === true) continue;
        lastRaw = rawAt(raw, i);
        return row;
      }
    },
    raw: () => lastRaw,
  };
}

function keyText(k: unknown): string {
  return typeof k === "string" ? `s${k}` : typeof k === "number" ? `n${k}` : `j${JSON.stringify(k)}`;
}

/**
 * Pages whose `next` is a URL — from the `Link` header (sdk/http.ts nextLink) or the body —
 * resolved against the page it came from and followed only within the origin of the API (the
 * guard's origin, else the first page's), never to a page already read.
 */
export function linkPages<T>(ctx: PagingContext, opts: LinkPaging<T>): Sequence<T> {
  return pager(ctx, "link", opts, (size) => opts.first(size), (next, _size, from, guard) => guard.follow(String(next), from));
}

/** Pages whose `next` is a cursor the API returns (`next_cursor`, `after`, `page_token`). */
export function cursorPages<T>(ctx: PagingContext, opts: CursorPaging<T>): Sequence<T> {
  return pager(ctx, "cursor", opts, (size) => opts.url(undefined, size), (next, size) => opts.url(String(next), size));
}

/** Pages numbered 1, 2, 3 … (`firstPage` on); `next` is the next page's number. */
export function numberedPages<T>(ctx: PagingContext, opts: NumberedPaging<T>): Sequence<T> {
  return pager(ctx, "number", opts, (size) => opts.url(opts.firstPage ?? 1, size), (next, size) => {
    const n = Number(next);
    if (!Number.isSafeInteger(n)) throw new Error(`${opts.label ? `${opts.label}: ` : ""}the next page number ${truncate(String(next), 80)} is not an integer`);
    return opts.url(n, size);
  });
}
