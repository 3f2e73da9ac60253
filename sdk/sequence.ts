// Lazy sequences of rows: what a declarative FDW's `scan(ctx)` returns (sdk/fdw.ts). A plain object
// protocol rather than iterators or generators, because the micro engine (MicroQuickJS, ES5) has
// neither Symbol nor generators: `next()` gives the next item, `undefined` at the end. Pages are
// fetched inside `next()`, so a consumer that stops pulling (Postgres at its LIMIT) stops paging.
//
// Exact numbers: an item parsed from JSON may have number texts that JS would print differently
// (sdk/json.ts `RawNumbers`). `raw()` returns those annotations for the item `next()` returned
// last; the combinators below pass them along, so json and text cells get the API's exact digits.

import { type RawNumbers, rawAt } from "./json.js";

/** A lazy sequence of items (see the file comment). */
export interface Sequence<T> {
  /** The next item, or undefined at the end (and on every call after it). */
  next(): T | undefined;
  /** The exact-number annotations of the item the last `next()` returned (sdk/json.ts). */
  raw?(): RawNumbers;
}

/** What a scan may return: a sequence, or an array when the rows are all at hand. */
export type Rows<T> = Sequence<T> | readonly T[];

/** A sequence over an array; `raw` holds the annotations of the array (element i: `rawAt(raw, i)`). */
export function sequence<T>(items: readonly T[], raw?: RawNumbers): Sequence<T> {
  let at = 0;
  return {
    next: () => (at < items.length ? items[at++] : undefined),
    raw: () => rawAt(raw, at - 1),
  };
}

/** A sequence of one item (none when `item` is undefined); `raw` holds the item's own annotations. */
export function single<T>(item: T | undefined, raw?: RawNumbers): Sequence<T> {
  let done = item === undefined;
  return {
    next(): T | undefined {
      if (done) return undefined;
      done = true;
      return item;
    },
    raw: () => raw,
  };
}

/** The empty sequence. */
export function empty<T>(): Sequence<T> {
  return { next: () => undefined };
}

/** A Rows value as a sequence (an array is walked in order). */
export function toSequence<T>(rows: Rows<T>): Sequence<T> {
  return Array.isArray(rows) ? sequence(rows as readonly T[]) : (rows as Sequence<T>);
}

/**
 * The items of `fn(input)` for each input in turn, each called only when the previous one is
 * exhausted (e.g. one GET per id of `WHERE id IN (…)`, made as rows are pulled). `fn` may return
 * undefined for no items.
 */
export function flatMap<A, T>(inputs: readonly A[], fn: (input: A) => Rows<T> | undefined): Sequence<T> {
  let at = 0;
  let current: Sequence<T> | undefined;
  return {
    next(): T | undefined {
      for (;;) {
        if (current !== undefined) {
          const item = current.next();
          if (item !== undefined) return item;
          current = undefined;
        }
        if (at >= inputs.length) return undefined;
        const rows = fn(inputs[at++] as A);
        if (rows !== undefined) current = toSequence(rows);
      }
    },
    raw: () => current?.raw?.(),
  };
}

/**
 * Merges sequences that are each in order into one: every step takes the head that `before` puts
 * first (ties: the earlier source). Each source is pulled only when its head has been taken, so
 * pages are still fetched lazily. E.g. feeds newest first: `merge(feeds, (a, b) => a.at > b.at)`.
 */
export function merge<T>(sources: readonly Sequence<T>[], before: (a: T, b: T) => boolean): Sequence<T> {
  const heads: (T | undefined)[] = [];
  const raws: RawNumbers[] = [];
  /** Per source: its head is taken and the next one not pulled yet; false once it ended. */
  const pull: boolean[] = [];
  for (let i = 0; i < sources.length; i++) {
    heads.push(undefined);
    raws.push(undefined);
    pull.push(true);
  }
  let lastRaw: RawNumbers;
  return {
    next(): T | undefined {
      let best = -1;
      for (let i = 0; i < sources.length; i++) {
        if (pull[i]) {
          const source = sources[i] as Sequence<T>;
          const item = source.next();
          heads[i] = item;
          raws[i] = item === undefined ? undefined : source.raw?.();
          pull[i] = false;
        }
        const head = heads[i];
        if (head !== undefined && (best < 0 || before(head, heads[best] as T))) best = i;
      }
      if (best < 0) return undefined;
      const item = heads[best];
      lastRaw = raws[best];
      heads[best] = undefined;
      pull[best] = true;
      return item;
    },
    raw: () => lastRaw,
  };
}

/**
 * Each item once, by `key(item)` (the first one wins): for feeds that overlap, or that move while
 * they are read so that an item shows up on two pages. Keys are compared as JS values (`1` ≠ `"1"`).
 */
export function distinct<T>(source: Sequence<T>, key: (item: T) => unknown): Sequence<T> {
  // A null-prototype object for string and number keys: O(1) on both engines (Map is a polyfill
  // on MicroQuickJS); a Set for anything else.
  const seen: Record<string, true> = Object.create(null) as Record<string, true>;
  let others: Set<unknown> | undefined;
  let lastRaw: RawNumbers;
  return {
    next(): T | undefined {
      for (;;) {
        const item = source.next();
        if (item === undefined) return undefined;
        const k = key(item);
        const kind = typeof k;
        if (kind === "string" || kind === "number") {
          const h = (kind === "string" ? "s" : "n") + String(k);
          if (seen[h] === true) continue;
          seen[h] = true;
        } else {
          others ??= new Set();
          if (others.has(k)) continue;
          others.add(k);
        }
        lastRaw = source.raw?.();
        return item;
      }
    },
    raw: () => lastRaw,
  };
}
