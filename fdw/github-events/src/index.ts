// GitHub events FDW: GitHub's event feeds (GET {api_url}/{feed}, Link paging) as Postgres foreign
// tables. Every option, column and pushdown rule is documented in ../README.md.
//
//   create foreign table github.events (
//     id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp,
//     org jsonb, repo_name text, org_login text, actor_login text   -- optional, any order
//   ) server github_events_server options (object 'events', rowid_column 'id');
//
// Built on the SDK's declarative layer (tsfdw/sdk defineFdw): the tables below are the feeds; a
// scan merges the feeds it reads newest first, each event once. The SDK pages lazily (Postgres
// stopping at a LIMIT stops paging), sizes the first page by a pushed-down LIMIT, replays rows on
// re-scan, converts cells (numbers exactly as GitHub sent them), reports stats and writes IMPORT
// FOREIGN SCHEMA. Read-only: INSERT/UPDATE/DELETE fail clearly.
// Hostile servers (this ships to Supabase, whose host has no timeouts, caps or redaction): a Link
// is followed only within api_url's origin, a page read twice or past the page/event caps is an
// error, the token is registered for redaction before it is sent, bodies are parsed with a depth
// guard and exact numbers.

import http from "supabase:wrappers/http@0.2.0";
import stats from "supabase:wrappers/stats@0.2.0";
import time from "supabase:wrappers/time@0.2.0";
import utils from "supabase:wrappers/utils@0.2.0";
import {
  type ConnectContext,
  type Page,
  type Response,
  type ScanContext,
  type Sequence,
  type TableDefinition,
  MAX_PAGES,
  MAX_ROWS,
  addSecret,
  defineFdw,
  distinct,
  fillObject,
  formatTimestamp,
  header,
  jsonShape,
  linkPages,
  matchObject,
  merge,
  nextLink,
  objectPath,
  packageInfo,
  pageGuard,
  readJson,
  requestName,
  send,
  statusError,
  toError,
  utf8Length,
} from "tsfdw/sdk";

const API = "GitHub API";
const LABEL = { label: API };
const NO_TOKEN = "set the server option api_key, api_key_id or api_key_name";

/** Server options (the token: api_key, or a Vault secret by id or by name). */
const SERVER = {
  api_url: { type: "url", default: "https://api.github.com", doc: "GitHub Enterprise Server: https://HOST/api/v3" },
  api_key: { type: "secret", doc: "a token, sent as authorization: Bearer …" },
  api_key_id: { doc: "the id of a Vault secret holding the token" },
  api_key_name: { doc: "the name of a Vault secret holding the token (Wrappers >= 0.6.1)" },
  max_pages: { type: "int", default: MAX_PAGES, min: 1, doc: "most pages one scan reads" },
  max_events: { type: "int", default: MAX_ROWS, min: 1, doc: "most events one scan reads" },
} as const;

/** What connect() builds once per scan: the request headers and whether a token is sent. */
interface Client {
  headers: Record<string, string>;
  token: string | undefined;
}

type Ctx = ScanContext<typeof SERVER, Client>;

/** An event as GitHub sends it; the FDW itself reads only `id` and `created_at`. */
type Event = Record<string, unknown>;

/** Every table's columns: the seed's seven, `org`, and three read from inside the event. */
const COLUMNS = {
  id: "text",
  type: "text",
  actor: "jsonb",
  repo: "jsonb",
  payload: "jsonb",
  public: "boolean",
  created_at: "timestamp",
  org: "jsonb",
  repo_name: { type: "text", path: "repo.name" },
  org_login: { type: "text", path: "org.login" },
  actor_login: { type: "text", path: "actor.login" },
} as const;

// IMPORT FOREIGN SCHEMA options that fill a feed's names (comma-separated lists allowed).
const REPO = { option: "repo", expected: "owner/name" };
const ORG = { option: "org", expected: "a login" };
const USER = { option: "user", expected: "a login" };

/**
 * A feed as a table: its `object` (path template), what a 404 means ("repository 'o/r' does not
 * exist…"; none for the public feed), and the import option that names it.
 */
function feedTable(object: string, kind: "" | "repository" | "organization" | "user", imports?: { option: string; expected: string }): TableDefinition<typeof SERVER, Client> {
  return {
    object,
    columns: COLUMNS,
    key: "id",
    rowName: "event",
    ...(imports !== undefined && { import: imports }),
    replay: Infinity, // re-scans replay every event read (bounded by max_events)
    scan: (ctx) => readEvents(ctx, kind === "" ? "" : `${kind} '${Object.values(ctx.params).join("/")}'`),
  };
}

/** `WHERE <column> = …` or `IN (…)` on `object 'events'` reads these feeds instead, most specific first. */
const QUAL_FEEDS = [
  { column: "repo_name", object: "repos/{owner}/{repo}/events" },
  { column: "actor_login", object: "users/{user}/events/public" },
  { column: "org_login", object: "orgs/{org}/events" },
];

/** One feed a scan reads. */
interface Feed {
  url: string;
  /** What a 404 means: `repository 'o/r'`…; "" for the public feed. */
  what: string;
  /** Chosen by a qual: a 404 means no matching events, as the public feed would show none. */
  chosen: boolean;
}

/** The token (trimmed) and the headers every request sends. */
function connect(ctx: ConnectContext<typeof SERVER>): Client {
  const { api_key, api_key_id, api_key_name } = ctx.server;
  // get-vault-secret looks names up too on Wrappers >= 0.6.1, so the component needs no get-vault-secret-by-name.
  const ref = api_key_id ?? api_key_name;
  const token = (api_key ?? (ref === undefined ? undefined : (utils.getVaultSecret(ref) ?? "")))?.trim();
  addSecret(token); // redacted from every message from now on
  if (token === "" || /[^\x20-\x7e]/.test(token ?? "")) {
    throw new Error("the GitHub token (server option api_key, or the Vault secret that api_key_id / api_key_name names) is empty or not printable ASCII");
  }
  const headers: Record<string, string> = { "user-agent": `tsfdw-github-events/${packageInfo().version}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" };
  if (token !== undefined) headers["authorization"] = `Bearer ${token}`;
  return { headers, token };
}

/** The events of the feeds a scan reads, newest first, each once (by id). */
function readEvents(ctx: Ctx, what: string): Sequence<Event> {
  const guard = pageGuard({
    origin: ctx.server.api_url,
    maxPages: ctx.server.max_pages,
    maxRows: ctx.server.max_events,
    label: API,
    rowName: "events",
    capHint: "server options max_pages and max_events raise the caps",
  });
  const feeds = (ctx.object === "events" ? feedsFromQuals(ctx) : undefined) ?? [{ url: feedUrl(ctx, ctx.object), what, chosen: false }];
  const pages = feeds.map((feed) =>
    linkPages<Event>(ctx, {
      guard,
      first: (size) => `${feed.url}?per_page=${size}`,
      fetch: (url, page) => fetchEvents(ctx, feed, url, page.index),
    }),
  );
  // Feeds overlap (an IN list) and move while they are read: each event once, by id.
  return distinct(merge(pages, newer), (e) => e["id"] ?? e);
}

/** Feeds are newest first; merged, the newer head goes first (ties: the earlier feed). */
function newer(a: Event, b: Event): boolean {
  return String(a["created_at"]) > String(b["created_at"]);
}

function feedUrl(ctx: Ctx, object: string): string {
  return `${ctx.server.api_url}/${objectPath(object)}`;
}

/**
 * On `object 'events'`, the feeds a constant `=` / IN qual on repo_name, actor_login or org_login
 * names — the most specific such qual whose every value names a feed — else undefined (read the
 * public feed). The qual used is marked applied: the rows read are exactly its rows.
 */
function feedsFromQuals(ctx: Ctx): Feed[] | undefined {
  for (const { column, object } of QUAL_FEEDS) {
    for (const q of ctx.quals.find(column, ["="])) {
      if (q.list && !q.anyOf) continue; // `= ALL (…)`
      const feeds: Feed[] = [];
      const urls: string[] = [];
      let valid = q.cells.length > 0;
      for (const cell of q.cells) {
        const filled = cell?.tag === "string" ? fillObject(object, cell.val) : undefined;
        if (filled === undefined || matchObject(object, filled) === undefined) valid = false;
        else if (!urls.includes(feedUrl(ctx, filled))) {
          // a value listed twice is read once
          urls.push(feedUrl(ctx, filled));
          feeds.push({ url: feedUrl(ctx, filled), what: "", chosen: true });
        }
      }
      if (valid) {
        ctx.quals.apply(q);
        return feeds;
      }
    }
  }
  return undefined;
}

/** One page of a feed: its events, and the Link to the next unless the feed is done. */
function fetchEvents(ctx: Ctx, feed: Feed, url: string, index: number): Page<Event> {
  const r = send(http, url, { ...LABEL, headers: ctx.client.headers });
  const { statusCode: s, body } = r;
  try {
    const bytes = utf8Length(body);
    // Past GitHub's 300-event cap (a moving feed can get there): the feed ends.
    if (s === 422 && index > 0) return { rows: [], bytes };
    if (s === 403 || s === 429) checkRateLimit(ctx, r, url);
    if (s === 404 && feed.chosen) return { rows: [], bytes };
    if (s === 404 && feed.what) throw statusError(r, LABEL, http, url, `${feed.what} does not exist or is not visible ${ctx.client.token ? "with the token used" : `without a token (${NO_TOKEN})`}`);
    if (s < 200 || s > 299) throw statusError(r, LABEL, http, url);
    const { value, raw } = readJson(r, LABEL, url);
    const events = eventList(value, url);
    // Every page is read (up to the caps): no early stop on a created_at bound, because the host
    // swaps `'X' > created_at` to `created_at > 'X'` without commuting the operator (README,
    // "Pushdown"), so a bound read from a range qual may be the opposite one. Postgres rechecks.
    return { rows: events, raw, bytes, next: events.length > 0 ? nextLink(r) : undefined };
  } catch (e) {
    // Errors of our own name the request already; anything else (an engine error) gets it and the size.
    const m = toError(e).message;
    throw m.indexOf(API) >= 0 ? e : new Error(`${requestName(LABEL, url)}: ${m} (status ${s}, ${body.length} characters)`);
  }
}

/** The body as a list of events, or an error saying what came instead. */
function eventList(data: unknown, url: string): Event[] {
  if (!Array.isArray(data)) throw new Error(`${API} GET ${url} returned ${jsonShape(data)} where a JSON array of events was expected`);
  for (let i = 0; i < data.length; i++) {
    const e: unknown = data[i];
    if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error(`${API} GET ${url}: element ${i} of the response is ${jsonShape(e)}, not an event object`);
  }
  return data as Event[];
}

/**
 * A 403/429 that is a rate limit: the primary one (remaining 0, or retry-after) or the secondary
 * one (GitHub's message says so) — an error saying which, when it resets, and what would help.
 */
function checkRateLimit(ctx: Ctx, r: Response, url: string): void {
  const secondary = r.body.length < 65_536 && /secondary rate limit/i.test(r.body);
  const retry = header(r, "retry-after");
  if (!secondary && !retry && header(r, "x-ratelimit-remaining") !== "0") return;
  const reset = Math.floor(Number(header(r, "x-ratelimit-reset")));
  const limit = secondary
    ? "secondary rate limit exceeded"
    : `rate limit exceeded (limit ${header(r, "x-ratelimit-limit") ?? "unknown"} requests${reset > 0 ? `, resets at ${formatTimestamp(reset * 1_000_000, { separator: " ", zone: " UTC" })}` : ""})`;
  const wait = retry ? `; retry after ${retry} s` : secondary ? "; wait a few minutes" : "";
  const token = ctx.client.token ? "; a token was used" : `; no token was used: ${NO_TOKEN} for a higher limit`;
  throw statusError(r, LABEL, http, url, limit + wait + token);
}

// host-version-requirement `^0.1.0`: every Supabase Wasm host (0.1.x) accepts it.
export const routines = defineFdw({
  name: "github_events_fdw",
  server: SERVER,
  time, // timestamps parsed by the host (chrono): exact microseconds
  stats, // rows-in and bytes-in once per scan
  connect,
  // The feeds, in the order of the error message and of IMPORT FOREIGN SCHEMA (table name → object).
  tables: {
    events: feedTable("events", ""),
    repo_events: feedTable("repos/{owner}/{repo}/events", "repository", REPO),
    network_events: feedTable("networks/{owner}/{repo}/events", "repository", REPO),
    org_events: feedTable("orgs/{org}/events", "organization", ORG),
    user_events: feedTable("users/{user}/events", "user", USER),
    user_public_events: feedTable("users/{user}/events/public", "user", USER),
    received_events: feedTable("users/{user}/received_events", "user", USER),
    received_public_events: feedTable("users/{user}/received_events/public", "user", USER),
  },
});
