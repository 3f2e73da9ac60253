// GitHub events FDW: `GET {api_url}/{object}` → rows of a Postgres foreign table.
//
//   create foreign table github.events (
//     id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean,
//     created_at timestamp,  -- also: org jsonb, or any other top-level key of an event
//   ) server github_events_server options (object 'events', rowid_column 'id');
//
// Server option  api_url   base URL (default https://api.github.com; a trailing slash is dropped)
// Table option   object    path under api_url, e.g. 'events', 'repos/octocat/Hello-World/events',
//                          'orgs/github/events', 'users/octocat/events/public' (required)
// Columns        mapped by name from each event object's top-level keys; the SDK converts the
//                JSON value for the column's type (text, jsonb, boolean, timestamp(tz), integers,
//                numeric, date, …). An absent key or JSON null gives NULL.
// Pushdown       none yet: quals, sorts and LIMIT are hints that Postgres re-applies locally.
// Pages          the first page only (seed parity); `fetchEvents` follows Link rel="next" once
//                MAX_PAGES is raised.
// Read-only      INSERT/UPDATE/DELETE fail with a clear error.

import http from "supabase:wrappers/http@0.1.0";
import type { Context, Row } from "supabase:wrappers/types@0.1.0";
import { type ColumnInfo, defineRoutines, jsonShape, nextLink, packageInfo, pushRow, readColumns, readOptions, requestJson, requireOption, withContext } from "../../../sdk/index.js";

const NAME = "github_events_fdw";
const DEFAULT_API_URL = "https://api.github.com";
/** Seed parity: read one page. Pagination (Link rel="next", 300-event cap) is a later step. */
const MAX_PAGES = 1;

type Event = Readonly<Record<string, unknown>>;

// Instance state. One instance serves one scan (or one modify) of one statement, then is dropped.
let apiUrl = DEFAULT_API_URL;
let columns: ColumnInfo[] = [];
let events: Event[] = [];
let next = 0;

function requestHeaders(): Record<string, string> {
  return {
    "user-agent": `tsfdw-github-events/${packageInfo().version}`,
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
  };
}

/** GETs `url` and follows Link rel="next" for up to MAX_PAGES pages; checks the body's shape. */
function fetchEvents(url: string): Event[] {
  const out: Event[] = [];
  let pageUrl: string | undefined = url;
  for (let page = 0; pageUrl !== undefined && page < MAX_PAGES; page++) {
    const { response, data } = requestJson(http, pageUrl, { label: "GitHub API", headers: requestHeaders() });
    if (!Array.isArray(data)) {
      throw new Error(`GitHub API GET ${pageUrl} returned ${jsonShape(data)} where a JSON array of events was expected; check the table option 'object'`);
    }
    for (const [i, item] of data.entries()) {
      if (item === null || typeof item !== "object" || Array.isArray(item)) {
        throw new Error(`GitHub API GET ${pageUrl}: element ${i} of the response is ${jsonShape(item)}, not an event object`);
      }
      out.push(item as Event);
    }
    pageUrl = nextLink(response);
  }
  return out;
}

// host-version-requirement `^0.1.0`: every Supabase Wasm host (0.1.x) accepts it.
export const routines = defineRoutines(
  { name: NAME, hostVersion: "^0.1.0" },
  {
    // Runs at planning time (also for EXPLAIN): server options only, no I/O.
    init(ctx: Context) {
      apiUrl = (readOptions(ctx, "server").get("api_url") ?? DEFAULT_API_URL).trim().replace(/\/+$/, "");
    },

    beginScan(ctx: Context) {
      const object = requireOption(readOptions(ctx, "table"), "object", "create foreign table github.events (…) server … options (object 'events')")
        .trim()
        .replace(/^\/+|\/+$/g, "");
      columns = readColumns(ctx);
      events = fetchEvents(`${apiUrl}/${object}`);
      next = 0;
    },

    iterScan(_ctx: Context, row: Row) {
      const event = events[next];
      if (event === undefined) return null;
      next++;
      try {
        pushRow(row, columns, event);
      } catch (e) {
        throw withContext(`event ${String(event["id"] ?? `#${next}`)}`, e);
      }
      return 0;
    },

    // Rows are buffered, so a re-scan replays them without another request.
    reScan() {
      next = 0;
    },

    // Also called without begin-scan (plain EXPLAIN): only resets state.
    endScan() {
      columns = [];
      events = [];
      next = 0;
    },
  },
);
