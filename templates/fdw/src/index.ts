// A read-write FDW for a small REST API of customers (mock/api.ts serves one for tests and
// `npm run dev`), as a Postgres foreign table:
//
//   create foreign table crm.customers (
//     id bigint, name text, email text, plan text, balance numeric, active boolean,
//     created_at timestamptz, tags jsonb
//   ) server … options (object 'customers', rowid_column 'id');
//
// The API (all requests send `authorization: Bearer <api_key>`):
//   GET    {api_url}/{object}?page=N&per_page=M  → { "data": [ … ], "next_page": N+1 | null }
//   GET    {api_url}/{object}/{id}               → one object, or 404
//   POST   {api_url}/{object}                    ← a JSON object → 201 with the created object
//   PATCH  {api_url}/{object}/{id}               ← the changed fields
//   DELETE {api_url}/{object}/{id}               → 204
//
// What it shows: server and table options, pages fetched lazily (Postgres stopping early at a LIMIT
// also stops paging; without a WHERE, the LIMIT sizes the pages), `WHERE id = N` pushed down to
// GET …/{id}, rows pushed as typed cells, INSERT / UPDATE / DELETE by the rowid column, clear
// errors. All of the FDW's logic is in this one file; its tests (test/) are black-box.

import http from "supabase:wrappers/http@0.2.0";
import time from "supabase:wrappers/time@0.2.0";
import type { Cell, Context, Row } from "supabase:wrappers/types@0.2.0";
import {
  type ColumnInfo,
  defineRoutinesV2,
  hostTime,
  jsonShape,
  packageInfo,
  parseJsonBody,
  readColumns,
  readOptions,
  requireOption,
  rowPusher,
  send,
  statusError,
} from "tsfdw/sdk";

type Item = Readonly<Record<string, unknown>>;

const LABEL = "API";
/** The API's largest page. */
const MAX_PAGE = 100;

// Instance state: the host creates a fresh instance for every scan or modify.
let apiUrl = "";
let headers: Record<string, string> = {};
let object = "";
let columns: ColumnInfo[] = [];
/** Rows of the current page, the next one to return, and the next page to fetch (0: none). */
let rows: Item[] = [];
let next = 0;
let nextPage = 0;
let perPage = MAX_PAGE;
/** `WHERE id = N`: fetch that one object instead of the pages. */
let byId: string | undefined;

const pushRow = rowPusher(hostTime(time));

/** Server options: api_url (required) and api_key (sent as a bearer token). Table option: object. */
function connect(ctx: Context): void {
  const server = readOptions(ctx, "server");
  apiUrl = requireOption(server, "api_url", "options (api_url 'https://api.example.com/v1')").replace(/\/+$/, "");
  const key = server.get("api_key");
  headers = { accept: "application/json", "user-agent": `${packageInfo().name}/${packageInfo().version}`, ...(key !== undefined && { authorization: `Bearer ${key}` }) };
  object = requireOption(readOptions(ctx, "table"), "object", "options (object 'customers')").replace(/^\/+|\/+$/g, "");
}

/** `{api_url}/{object}[/{id}]`, each part URL-encoded. */
function url(id?: string, query = ""): string {
  const path = object.split("/").map(encodeURIComponent).join("/");
  return `${apiUrl}/${path}${id !== undefined ? `/${encodeURIComponent(id)}` : ""}${query}`;
}

/** The value of a constant `id = …` condition, whatever integer width Postgres passes it as. */
function idEquals(ctx: Context): string | undefined {
  for (const q of ctx.getQuals()) {
    if (q.field() !== "id" || q.operator() !== "=" || q.useOr()) continue;
    const v = q.value();
    if (v.tag !== "cell") continue;
    const c = v.val;
    if (c.tag === "i16" || c.tag === "i32" || c.tag === "i64" || c.tag === "numeric" || c.tag === "string") return String(c.val);
  }
  return undefined;
}

/** GETs one page into `rows`; `nextPage` becomes the API's next_page (0 when none). Page size stays the same throughout. */
function fetchPage(): void {
  const target = url(undefined, `?page=${nextPage}&per_page=${perPage}`);
  const resp = send(http, target, { label: LABEL, headers });
  if (resp.statusCode !== 200) throw statusError(resp, { label: LABEL }, http, target);
  const body = parseJsonBody(resp, { label: LABEL }, target) as { data?: unknown; next_page?: unknown } | null;
  if (body === null || !Array.isArray(body.data)) throw new Error(`${LABEL} GET ${target} returned ${jsonShape(body)} where { "data": [ … ] } was expected`);
  rows = body.data as Item[];
  next = 0;
  nextPage = typeof body.next_page === "number" && body.data.length > 0 ? body.next_page : 0;
}

/** GETs the one object `WHERE id = …` names; a 404 means no rows. */
function fetchOne(id: string): void {
  const target = url(id);
  const resp = send(http, target, { label: LABEL, headers });
  rows = [];
  next = 0;
  nextPage = 0;
  if (resp.statusCode === 404) return;
  if (resp.statusCode !== 200) throw statusError(resp, { label: LABEL }, http, target);
  rows = [parseJsonBody(resp, { label: LABEL }, target) as Item];
}

/** A cell → its JSON value for the API (dates and timestamps as RFC 3339 text). */
function cellJson(cell: Cell | null): unknown {
  if (cell === null) return null;
  switch (cell.tag) {
    case "json":
      return JSON.parse(cell.val);
    case "date":
      return time.epochMsToRfc3339(cell.val * 1_000_000).slice(0, 10);
    case "timestamp":
    case "timestamptz":
      // despite its name, epoch-ms-to-rfc3339 takes microseconds
      return time.epochMsToRfc3339(cell.val);
    default:
      return cell.val;
  }
}

/** The row's columns and values as the API's JSON object. */
function rowJson(row: Row): string {
  const names = row.cols();
  const cells = row.cells();
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) out[names[i] as string] = cellJson(cells[i] ?? null);
  return JSON.stringify(out);
}

/** Sends a write; anything but 2xx is an error with the API's message. */
function write(method: "post" | "patch" | "delete", target: string, body = ""): void {
  const resp = send(http, target, { label: LABEL, method, headers: { ...headers, "content-type": "application/json" }, body });
  if (resp.statusCode < 200 || resp.statusCode > 299) throw statusError(resp, { label: LABEL, method }, http, target);
}

/** The rowid as a path segment. */
function idOf(rowid: Cell): string {
  const v = cellJson(rowid);
  if (v === null || typeof v === "object") throw new Error(`${packageInfo().name}: cannot use ${JSON.stringify(v)} as a row id`);
  return String(v);
}

export const routines = defineRoutinesV2(
  { name: packageInfo().name },
  {
    beginScan(ctx: Context) {
      connect(ctx);
      columns = readColumns(ctx);
      byId = idEquals(ctx);
      // With no WHERE, Postgres stops after LIMIT + OFFSET rows: pages of that size are enough.
      // (Other conditions are rechecked by Postgres, which may then need more rows than that.)
      const limit = ctx.getLimit();
      const hints = ctx.getQuals().length;
      perPage = limit === null || hints > 0 ? MAX_PAGE : Math.max(1, Math.min(MAX_PAGE, limit.count() + limit.offset()));
      rows = [];
      next = 0;
      nextPage = 1;
      if (byId !== undefined) fetchOne(byId);
    },

    iterScan(_ctx: Context, row: Row) {
      if (next >= rows.length && byId === undefined && nextPage > 0) fetchPage();
      const item = rows[next++];
      if (item === undefined) return null; // end of data
      if (item === null || typeof item !== "object") throw new Error(`${LABEL}: expected objects in "data", got ${jsonShape(item)}`);
      pushRow(row, columns, item);
      return 0;
    },

    reScan() {
      rows = [];
      next = 0;
      nextPage = 1;
      if (byId !== undefined) fetchOne(byId);
    },

    endScan() {
      rows = [];
    },

    beginModify(ctx: Context) {
      connect(ctx);
    },

    insert(_ctx: Context, row: Row) {
      write("post", url(), rowJson(row));
    },

    update(_ctx: Context, rowid: Cell, row: Row) {
      write("patch", url(idOf(rowid)), rowJson(row));
    },

    delete(_ctx: Context, rowid: Cell) {
      write("delete", url(idOf(rowid)));
    },
  },
);
