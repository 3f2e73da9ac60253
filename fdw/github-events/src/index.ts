// GitHub events FDW: GitHub's event feeds (GET {api_url}/{feed}, Link paging) → rows of a Postgres
// foreign table. Every option, column and pushdown rule is documented in ../README.md.
//
//   create foreign table github.events (
//     id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp,
//     org jsonb, repo_name text, org_login text, actor_login text   -- optional, any order
//   ) server github_events_server options (object 'events', rowid_column 'id');
//
// Pages are fetched lazily: the next one when the rows before it have been read, so Postgres
// stopping early (LIMIT) also stops paging. Read-only: INSERT/UPDATE/DELETE fail clearly.
// Hostile servers (this ships to Supabase, whose host has no timeouts, caps or redaction): a Link
// is followed only within api_url's origin, a page read twice or past the page/event caps is an
// error (sdk/paging.ts), the token is registered for redaction before it is sent (sdk/secrets.ts),
// bodies are parsed with a depth guard and exact numbers (sdk/json.ts).

import http from "supabase:wrappers/http@0.2.0";
import stats from "supabase:wrappers/stats@0.2.0";
import time from "supabase:wrappers/time@0.2.0";
import type { Context, ImportForeignSchemaStmt, Row } from "supabase:wrappers/types@0.2.0";
import utils from "supabase:wrappers/utils@0.2.0";
import {
  type ColumnInfo,
  type PageGuard,
  type RawNumbers,
  MAX_PAGES,
  MAX_ROWS,
  addSecret,
  defineRoutinesV2,
  header,
  hostTime,
  intOption,
  jsonShape,
  nextLink,
  packageInfo,
  pageGuard,
  rawAt,
  readColumns,
  readJson,
  readOptions,
  requestName,
  requireOption,
  rowPusher,
  send,
  statusError,
  toError,
  utf8Length,
  withContext,
} from "../../../sdk/index.js";

type Event = Readonly<Record<string, unknown>>;

const API = "GitHub API";
const LABEL = { label: API };
// The feeds (`object` values), the IMPORT FOREIGN SCHEMA option that imports each, and the table it
// creates. Each {…} is one name: a path segment, URL-encoded when sent. (Parallel arrays rather than
// objects: fewer callbacks, and every JS function costs ~0.7 kB of component.)
const PATHS = [
  "events",
  "repos/{owner}/{repo}/events",
  "networks/{owner}/{repo}/events",
  "orgs/{org}/events",
  "users/{user}/events",
  "users/{user}/events/public",
  "users/{user}/received_events",
  "users/{user}/received_events/public",
];
const IMPORT_OPTIONS = ["", "repo", "repo", "org", "user", "user", "user", "user"];
const TABLES = ["events", "repo_events", "network_events", "org_events", "user_events", "user_public_events", "received_events", "received_public_events"];
/** Columns whose `=` / IN quals narrow `object 'events'` to a feed (QUAL_PATHS: index in PATHS), most specific first. */
const QUAL_COLUMNS = ["repo_name", "actor_login", "org_login"];
const QUAL_PATHS = [1, 5, 3];
const KIND: Record<string, string> = { repo: "repository", org: "organization", user: "user" };
const COLUMNS = "id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp, org jsonb, repo_name text, org_login text, actor_login text";
const NO_TOKEN = "set the server option api_key, api_key_id or api_key_name";

interface Feed {
  /** The next page; undefined once the feed is done. */
  url: string | undefined;
  /** What a 404 means: `repository 'o/r'`, `user 'u'`…; "" for the public events feed. */
  what: string;
  /** The last page's events, and `at`, the next one not merged yet. */
  buf: Event[];
  at: number;
  /** The page's exact number texts (sdk/json.ts), for json and text cells. */
  raw: RawNumbers;
  pages: number;
  /** Chosen by a qual: a 404 means no matching events, as the public feed would show none. */
  chosen?: boolean;
  /** While the first page is a small LIMIT-sized one: the feed's URL, to go on from page 1 at 100 per page. */
  small?: string;
}

// Instance state. One instance serves one scan (or one modify, or one import), then is dropped.
let apiUrl = "https://api.github.com";
let token: string | undefined;
let headers: Record<string, string> = {};
let columns: ColumnInfo[] = [];
let feeds: Feed[] = [];
/** Rows read so far, newest first (a re-scan replays them), their number annotations, and the ids among them. */
let events: Event[] = [];
let raws: RawNumbers[] = [];
let seen = new Set<unknown>();
let next = 0;
/** LIMIT + OFFSET when the limit can be pushed down, else Infinity: the size of the first page. */
let need = Infinity;
/** created_at lower bound in µs: paging stops below it. */
let since = -Infinity;
let rowsIn = 0;
let bytesIn = 0;
/** What report() has already sent to the stats. */
let rowsReported = 0;
let bytesReported = 0;
/** Paging limits of this scan: api_url's origin, no page twice, the page and event caps. */
let guard: PageGuard = pageGuard();

const pushRow = rowPusher(hostTime(time));

/** The feed `object` names (one of PATHS with its names filled in), or undefined. */
function feed(object: string): Feed | undefined {
  if (/(^|\/)\.\.?(\/|$)/.test(object)) return; // no `.` or `..` names
  // Segment by segment rather than a RegExp built at run time (MicroQuickJS compiles regexes at
  // build time, from literals only): `{name}` takes any non-empty segment.
  const parts = object.split("/");
  for (let i = 0; i < PATHS.length; i++) {
    const template = (PATHS[i] as string).split("/");
    let names: string[] | undefined = template.length === parts.length ? [] : undefined;
    for (let k = 0; names && k < template.length; k++) {
      const t = template[k] as string;
      const p = parts[k] as string;
      if (t.charAt(0) === "{" && p !== "") names.push(p);
      else if (t !== p) names = undefined;
    }
    const opt = IMPORT_OPTIONS[i] as string;
    if (names) return { url: `${apiUrl}/${object.split("/").map(encodeURIComponent).join("/")}`, what: opt && `${KIND[opt]} '${names.join("/")}'`, buf: [], at: 0, raw: undefined, pages: 0 };
  }
}

/** `2026-01-15 12:00:00 UTC` from epoch seconds ≥ 0 (H. Hinnant's civil_from_days: the guest has no usable Date). */
function utc(s: number): string {
  const f = Math.floor;
  const z = f(s / 86400) + 719468;
  const era = f(z / 146097);
  const doe = z - era * 146097;
  const yoe = f((doe - f(doe / 1460) + f(doe / 36524) - f(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + f(yoe / 4) - f(yoe / 100));
  const mp = f((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const t = s % 86400;
  // 1MMDDhhmmss, then cut into MM-DD hh:mm:ss (zero-padded without a padding helper)
  const digits = 1e10 + (m * 100 + doy - f((153 * mp + 2) / 5) + 1) * 1e6 + f(t / 3600) * 1e4 + (f(t / 60) % 60) * 100 + (t % 60);
  return `${yoe + era * 400 + +(m < 3)}${String(digits).replace(/^1(..)(..)(..)(..)(..)$/, "-$1-$2 $3:$4:$5 UTC")}`;
}

/** GETs a feed's next page into its buffer; keeps the next link unless the feed is done. */
function fetchPage(f: Feed): void {
  const url = f.url as string;
  f.url = undefined;
  guard.page(url);
  const r = send(http, url, { ...LABEL, headers });
  const { statusCode: s, body } = r;
  try {
    bytesIn += utf8Length(body);
    // Past GitHub's 300-event cap (a moving feed can get there): the feed ends.
    if (s === 422 && f.pages) return;
    f.pages++;
    if (s === 403 || s === 429) {
      // Primary limit: remaining 0 (or retry-after); secondary: GitHub's message says so.
      const secondary = body.length < 65_536 && /secondary rate limit/i.test(body);
      const retry = header(r, "retry-after");
      const reset = Number(header(r, "x-ratelimit-reset"));
      if (secondary || retry || header(r, "x-ratelimit-remaining") === "0") {
        throw statusError(
          r,
          LABEL,
          http,
          url,
          (secondary ? "secondary rate limit exceeded" : `rate limit exceeded (limit ${header(r, "x-ratelimit-limit") ?? "unknown"} requests${reset > 0 ? `, resets at ${utc(reset)}` : ""})`) +
            (retry ? `; retry after ${retry} s` : secondary ? "; wait a few minutes" : "") +
            (token ? "; a token was used" : `; no token was used: ${NO_TOKEN} for a higher limit`),
        );
      }
    }
    if (s === 404 && f.chosen) return;
    if (s === 404 && f.what) throw statusError(r, LABEL, http, url, `${f.what} does not exist or is not visible ${token ? "with the token used" : `without a token (${NO_TOKEN})`}`);
    if (s < 200 || s > 299) throw statusError(r, LABEL, http, url);
    const { value: data, raw } = readJson(r, LABEL, url);
    if (!Array.isArray(data)) throw new Error(`${API} GET ${url} returned ${jsonShape(data)} where a JSON array of events was expected`);
    for (let i = 0; i < data.length; i++) {
      const e: unknown = data[i];
      if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error(`${API} GET ${url}: element ${i} of the response is ${jsonShape(e)}, not an event object`);
    }
    guard.rows(data.length);
    f.buf = data as Event[];
    f.at = 0;
    f.raw = raw;
    rowsIn += data.length;
    const last = data[data.length - 1] as Event | undefined;
    let older = false;
    try {
      // Feeds are newest first: once past the created_at bound, later pages hold only older events.
      older = since > time.parseFromRfc3339(String(last?.["created_at"]));
    } catch {
      // no usable created_at: keep paging
    }
    if (last && !older) {
      // After a small LIMIT-sized first page, Postgres wants more rows only when something the
      // host did not pass on (a WHERE it could not extract, a join, an ORDER BY on an expression)
      // drops rows: go on at 100 per page from page 1; `seen` skips the events already returned.
      // Otherwise follow the Link, within api_url's origin and never to a page read before.
      const n = nextLink(r);
      f.url = n && f.small ? `${f.small}?per_page=100` : n && guard.follow(n, url);
    }
    f.small = undefined;
  } catch (e) {
    // Errors of our own name the request already; anything else (an engine error) gets it and the size.
    const m = toError(e).message;
    throw m.indexOf(API) >= 0 ? e : new Error(`${requestName(LABEL, url)}: ${m} (status ${s}, ${body.length} characters)`);
  }
}

/**
 * The next new event, newest first across the feeds (fetching pages as needed), or undefined at
 * the end. The stats are reported at the end, and at LIMIT + OFFSET rows when the limit is pushed
 * down (Postgres usually pulls no more; if it does, the rest is reported at the end).
 */
function pull(): Event | undefined {
  // LIMIT 0: Postgres pulls nothing, so read nothing.
  while (need) {
    let best: Feed | undefined;
    for (const f of feeds) {
      if (f.at >= f.buf.length && f.url) fetchPage(f);
      if (f.at < f.buf.length && (!best || String(f.buf[f.at]?.["created_at"]) > String(best.buf[best.at]?.["created_at"]))) best = f;
    }
    if (!best) break;
    const raw = rawAt(best.raw, best.at);
    const e = best.buf[best.at++] as Event;
    const id = e["id"] ?? e;
    if (!seen.has(id)) {
      seen.add(id);
      events.push(e);
      raws.push(raw);
      if (events.length === need) report();
      return e;
    }
  }
  report();
}

/**
 * rows-in and bytes-in not reported yet (so once per scan, unless Postgres reads on past a pushed
 * LIMIT). Never from end-scan: Postgres runs it at executor end, where the host's SPI statements
 * fail ("cannot execute SQL without an outer snapshot or portal").
 */
function report(): void {
  if (rowsIn > rowsReported || bytesIn > bytesReported) {
    const name = packageInfo().name;
    stats.incStats(name, { tag: "rows-in" }, rowsIn - rowsReported);
    stats.incStats(name, { tag: "bytes-in" }, bytesIn - bytesReported);
    rowsReported = rowsIn;
    bytesReported = bytesIn;
  }
}

/** A column's value: repo_name / org_login / actor_login are the event's repo.name / org.login / actor.login. */
function pick(e: Event, c: ColumnInfo): unknown {
  if (!QUAL_COLUMNS.includes(c.name)) return Object.hasOwn(e, c.name) ? e[c.name] : undefined;
  const [key, sub] = c.name.split("_") as [string, string];
  return (e[key] as Event | undefined)?.[sub];
}

// host-version-requirement `^0.1.0`: every Supabase Wasm host (0.1.x) accepts it.
export const routines = defineRoutinesV2(
  { name: "github_events_fdw", hostVersion: "^0.1.0" },
  {
    // Runs at planning time (also for EXPLAIN): server options only, no I/O.
    init(ctx: Context) {
      apiUrl = (readOptions(ctx, "server").get("api_url") ?? apiUrl).trim().replace(/\/+$/, "");
    },

    beginScan(ctx: Context) {
      const object = requireOption(readOptions(ctx, "table"), "object", "options (object 'events')").trim().replace(/^\/+|\/+$/g, "");
      const own = feed(object);
      if (!own) throw new Error(`invalid table option object '${object}': expected one of ${PATHS.join(", ")} (a name must not be empty, '.' or '..')`);
      // The token: api_key, or a Vault secret by id (api_key_id) or by name (api_key_name; get-vault-secret
      // looks names up too on Wrappers >= 0.6.1, so the component needs no get-vault-secret-by-name).
      const server = readOptions(ctx, "server");
      const ref = server.get("api_key_id") ?? server.get("api_key_name");
      token = (server.get("api_key") ?? (ref === undefined ? undefined : (utils.getVaultSecret(ref) ?? "")))?.trim();
      // Redacted from every message from now on (also the send layer registers the header).
      addSecret(token);
      if (token === "" || /[^\x20-\x7e]/.test(token ?? "")) {
        throw new Error("the GitHub token (server option api_key, or the Vault secret that api_key_id / api_key_name names) is empty or not printable ASCII");
      }
      headers = { "user-agent": `tsfdw-github-events/${packageInfo().version}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", ...(token && { authorization: `Bearer ${token}` }) };
      columns = readColumns(ctx);
      guard = pageGuard({
        origin: apiUrl,
        maxPages: intOption(server, "max_pages", MAX_PAGES, 1),
        maxRows: intOption(server, "max_events", MAX_ROWS, 1),
        label: API,
        rowName: "events",
        capHint: "server options max_pages and max_events raise the caps",
      });
      events = [];
      raws = [];
      seen = new Set();
      next = rowsIn = bytesIn = rowsReported = bytesReported = 0;
      since = -Infinity;
      // Quals are hints (Postgres rechecks them all): constant `=` / IN on strings choose feeds, and
      // `created_at > c` / `>= c` (c of the column's own type) bounds paging.
      let createdAt: string | undefined;
      for (const col of columns) if (col.name === "created_at") createdAt = col.type;
      let picked: Feed[] | undefined;
      let rank = 9;
      const quals = ctx.getQuals();
      for (const q of quals) {
        if (q.param()) continue; // a parameter's value may be a placeholder
        const field = q.field();
        const op = q.operator();
        const v = q.value();
        const cells = v.tag === "array" ? (q.useOr() ? v.val : []) : [v.val];
        const c = cells[0];
        if (field === "created_at" && /^>=?$/.test(op) && v.tag === "cell" && (c?.tag === "timestamp" || c?.tag === "timestamptz") && c.tag === createdAt) since = Math.max(since, c.val);
        const r = QUAL_COLUMNS.indexOf(field);
        if (object === "events" && op === "=" && r >= 0 && r < rank) {
          // by URL: a value listed twice is read once; undefined: a value that names no feed
          const found = new Map<string | undefined, Feed | undefined>();
          for (const x of cells) {
            const f = x.tag === "string" ? feed((PATHS[QUAL_PATHS[r] as number] as string).split(/\{.*\}/).join(x.val)) : undefined;
            if (f) f.chosen = true;
            found.set(f?.url, f);
          }
          if (found.size && !found.has(undefined)) {
            // forEach, not a spread of values(): Map is a polyfill on MicroQuickJS (no iterators).
            const list: Feed[] = [];
            found.forEach((f) => list.push(f as Feed));
            picked = list;
            rank = r;
          }
        }
      }
      feeds = picked ?? [own];
      // LIMIT sizes the first page only when the feed choice consumed every qual and nothing is sorted.
      const limit = ctx.getLimit();
      need = limit && quals.length === (picked ? 1 : 0) && !ctx.getSorts().length ? limit.count() + limit.offset() : Infinity;
      for (const f of feeds) {
        if (need < 100) f.small = f.url;
        f.url += `?per_page=${Math.max(1, Math.min(100, need))}`;
      }
      pull(); // the first page now, so that request errors surface in begin-scan
    },

    iterScan(_ctx: Context, row: Row) {
      const event = events[next] ?? pull();
      if (!event) return null;
      const raw = raws[next];
      next++;
      try {
        pushRow(row, columns, event, pick, raw);
      } catch (e) {
        throw withContext(`event ${String(event["id"] ?? `#${next}`)}`, e);
      }
      return 0;
    },

    // Rows read are kept, so a re-scan replays them, then goes on paging.
    reScan() {
      next = 0;
    },

    // Also called without begin-scan (plain EXPLAIN).
    endScan() {
      feeds = [];
      events = [];
      raws = [];
      seen = new Set();
      columns = [];
    },

    // IMPORT FOREIGN SCHEMA github FROM SERVER s INTO gh [OPTIONS (repo 'o/r', org 'x', user 'u')]:
    // `events`, plus one table per feed of each repo/org/user (comma-separated lists allowed).
    importForeignSchema(ctx: Context, stmt: ImportForeignSchemaStmt) {
      const o = ctx.getOptions({ tag: "import-schema" });
      const { tag } = stmt.listType;
      const out: string[] = [];
      for (let i = 0; i < PATHS.length; i++) {
        const opt = IMPORT_OPTIONS[i] as string;
        const names = opt ? ((o.get(opt) ?? "").match(/[^\s,]+/g) ?? []) : [""];
        for (const n of names) {
          const object = (PATHS[i] as string).split(/\{.*\}/).join(n);
          if (!feed(object)) throw new Error(`invalid IMPORT FOREIGN SCHEMA option ${opt} '${n}': expected ${opt === "repo" ? "owner/name" : "a login"}, or a comma-separated list of them`);
          // With several names, each table name gets the name as a suffix: repo_events_octo_org__octo_repo.
          const table = names.length > 1 ? `${TABLES[i]}_${n.toLowerCase().replace("/", "__").replace(/\W/g, "_")}` : (TABLES[i] as string);
          if (tag === "all" || stmt.tableList.includes(table) === (tag === "limit-to")) {
            out.push(`create foreign table if not exists "${table}" (${COLUMNS}) server "${stmt.serverName.replace(/"/g, '""')}" options (object '${object.replace(/'/g, "''")}', rowid_column 'id')`);
          }
        }
      }
      return out;
    },
  },
);
