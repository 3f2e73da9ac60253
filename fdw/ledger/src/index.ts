// Ledger FDW: the invoices and customers of "Ledger", an invoicing REST API (mock/ledger/ serves
// one), as read-write Postgres foreign tables. The options, columns and pushdown are in ../README.md.
//
//   create foreign table ledger.invoices (
//     id bigint, number text, customer_id uuid, amount numeric, currency text, paid boolean,
//     issued_on date, due_on date, created_at timestamptz, lines jsonb, metadata jsonb
//   ) server ledger_server options (object 'invoices', rowid_column 'id');
//
// The API (every request sends `x-api-key: <api_key>`):
//   GET    {api_url}/{object}?limit=N[&cursor=C][&filter=V] → { "data": [ … ], "has_more", "next_cursor" }
//   GET    {api_url}/{object}/{id}   → the object, or 404
//   POST   {api_url}/{object}        ← JSON → 201;   PATCH {api_url}/{object}/{id} ← the changed fields
//   DELETE {api_url}/{object}/{id}   → 200 { "deleted": true }
//
// Pushdown: `id = …` / `id IN (…)` → one GET per id (a 404 is no row); on the lists, `=` on the
// filter columns (invoices: customer_id, paid; customers: country, vip) become query parameters.
// Cursor paging is lazy; a LIMIT sizes the first page when every condition was pushed down.

import http from "supabase:wrappers/http@0.2.0";
import time from "supabase:wrappers/time@0.2.0";
import utils from "supabase:wrappers/utils@0.2.0";
import {
  type ConnectContext,
  type JsonApi,
  type ScanContext,
  type TableDefinition,
  type WriteContext,
  cursorPages,
  defineFdw,
  flatMap,
  jsonApi,
  packageInfo,
  pageOf,
  single,
} from "tsfdw/sdk";

const SERVER = {
  api_url: { type: "url", required: true, example: "options (api_url 'https://ledger.example.com/v1')" },
  api_key: { type: "secret", doc: "the API key, sent as x-api-key (readable by every role: prefer api_key_id)" },
  api_key_id: { doc: "the id of a Vault secret holding the API key" },
  page_size: { type: "int", default: 100, min: 1, max: 100, doc: "rows per page (the API serves at most 100)" },
} as const;

/** Per scan or modify: the API client (with the key) and the base URL. */
interface Client {
  api: JsonApi;
  base: string;
}

type Scan = ScanContext<typeof SERVER, Client>;
type Write = WriteContext<typeof SERVER, Client>;

/** The API key, from the option or Vault, sent with every request (and redacted from every message). */
function connect(ctx: ConnectContext<typeof SERVER>): Client {
  const { api_key, api_key_id } = ctx.server;
  const key = api_key ?? (api_key_id === undefined ? undefined : (utils.getVaultSecret(api_key_id) ?? undefined));
  if (key === undefined || key.trim() === "") throw new Error("the Ledger API key is missing: set the server option api_key, or api_key_id (a Vault secret)");
  const headers = { "x-api-key": key.trim(), accept: "application/json", "user-agent": `tsfdw-ledger/${packageInfo().version}` };
  return { api: jsonApi(http, { label: "Ledger API", headers }), base: ctx.server.api_url };
}

/** `{api_url}/{object}[/{id}]`, the id URL-encoded. */
function objectUrl(ctx: Scan | Write, id?: unknown): string {
  return `${ctx.client.base}/${ctx.object}${id === undefined ? "" : `/${encodeURIComponent(String(id))}`}`;
}

/** One object by id; a 404 is no row. */
function getOne(ctx: Scan, id: unknown) {
  const r = ctx.client.api.get(objectUrl(ctx, id), { allow: [404] });
  return single(r.data as Record<string, unknown> | undefined, r.raw);
}

/**
 * The rows of a table: by id when the query names ids, else the list, with the `=` conditions
 * the API can filter by as query parameters (applied remotely, so a LIMIT can size the first page).
 */
function scanList(ctx: Scan, filters: readonly string[]) {
  // Exact key texts of any integer width (micro: ids beyond 2^53 digit for digit), each id once.
  const ids = ctx.quals.takeTexts("id");
  if (ids !== undefined) return flatMap(ids, (id) => getOne(ctx, id));
  let query = "";
  for (const column of filters) {
    const q = ctx.quals.equal(column);
    if (q === undefined || q.values[0] === null) continue;
    query += `&${column}=${encodeURIComponent(String(q.values[0]))}`;
    ctx.quals.apply(q); // the API filters exactly: these rows are all that match
  }
  return cursorPages(ctx, {
    pageSize: ctx.server.page_size,
    url: (cursor, size) => `${objectUrl(ctx)}?limit=${size}${query}${cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
    fetch: (url) => pageOf(ctx.client.api.get(url), "data", "next_cursor"),
  });
}

/** A read-write table of the API: `filters` are the list endpoint's query parameters. */
function table(object: string, rowName: string, columns: TableDefinition["columns"], filters: readonly string[]): TableDefinition<typeof SERVER, Client> {
  return {
    object,
    columns,
    key: "id",
    rowName,
    scan: (ctx) => scanList(ctx, filters),
    insert: (ctx, row) => ctx.client.api.post(objectUrl(ctx), ctx.json(row)),
    update: (ctx, id, row) => ctx.client.api.patch(objectUrl(ctx, id), ctx.json(row)),
    delete: (ctx, id) => ctx.client.api.delete(objectUrl(ctx, id)),
  };
}

export const routines = defineFdw({
  name: "ledger_fdw",
  server: SERVER,
  time, // timestamps parsed by the host (chrono): exact microseconds
  connect,
  tables: {
    invoices: table(
      "invoices",
      "invoice",
      {
        id: "bigint",
        number: "text",
        customer_id: "uuid",
        amount: "numeric",
        currency: "text",
        paid: "boolean",
        issued_on: "date",
        due_on: "date",
        created_at: "timestamptz",
        lines: "jsonb",
        metadata: "jsonb",
      },
      ["customer_id", "paid"],
    ),
    customers: table(
      "customers",
      "customer",
      { id: "uuid", name: "text", email: "text", country: "text", credit_limit: "numeric", vip: "boolean", created_at: "timestamptz", metadata: "jsonb" },
      ["country", "vip"],
    ),
  },
});
