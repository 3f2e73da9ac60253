// A read-write FDW for a small REST API of customers (mock/api.ts serves one for tests and
// `npm run dev`), as a Postgres foreign table:
//
//   create foreign table crm.customers (
//     id bigint, name text, email text, plan text, balance numeric, active boolean,
//     created_at timestamptz, tags jsonb
//   ) server … options (object 'customers', rowid_column 'id');
//
// The API (every request sends `authorization: Bearer <api_key>`):
//   GET    {api_url}/customers?page=N&per_page=M  → { "data": [ … ], "next_page": N+1 | null }
//   GET    {api_url}/customers/{id}               → one object, or 404
//   POST   {api_url}/customers                    ← a JSON object → 201 with the created object
//   PATCH  {api_url}/customers/{id}               ← the changed fields
//   DELETE {api_url}/customers/{id}               → 204
//
// Written with tsfdw/sdk's declarative layer: the options, the table and its columns are declared
// below; `scan` returns the rows as a lazy sequence (pages are fetched as Postgres reads, and a
// LIMIT sizes the first page when nothing else filters), and the writes take JSON. The SDK turns
// that into the routines the host calls, with typed cells and clear, redacted errors.

import http from "supabase:wrappers/http@0.2.0";
import time from "supabase:wrappers/time@0.2.0";
import { type ConnectContext, type JsonApi, type ScanContext, type WriteContext, defineFdw, jsonApi, numberedPages, packageInfo, pageOf, single } from "tsfdw/sdk";

/** Server options: where the API is and the key it wants. */
const SERVER = {
  api_url: { type: "url", required: true, example: "options (api_url 'https://api.example.com/v1')" },
  api_key: { type: "secret", doc: "sent as authorization: Bearer <api_key>" },
} as const;

/** What every scan and write uses: the API client and the collection's URL. */
interface Client {
  api: JsonApi;
  url: string;
}

/** Once per scan or modify: the headers, and `{api_url}/customers`. */
function connect(ctx: ConnectContext<typeof SERVER>): Client {
  const headers: Record<string, string> = { accept: "application/json", "user-agent": `${packageInfo().name}/${packageInfo().version}` };
  if (ctx.server.api_key !== undefined) headers["authorization"] = `Bearer ${ctx.server.api_key}`;
  return { api: jsonApi(http, { label: "API", headers }), url: `${ctx.server.api_url}/${ctx.object}` };
}

type Scan = ScanContext<typeof SERVER, Client>;
type Write = WriteContext<typeof SERVER, Client>;

/** `WHERE id = N` (any integer width Postgres passes): one GET, a 404 is no rows. Else the pages. */
function scanCustomers(ctx: Scan) {
  const { api, url } = ctx.client;
  const id = ctx.quals.take("id");
  if (id !== undefined) {
    const one = api.get(`${url}/${encodeURIComponent(String(id))}`, { allow: [404] });
    return single(one.data as Record<string, unknown> | undefined, one.raw);
  }
  return numberedPages(ctx, {
    url: (page, size) => `${url}?page=${page}&per_page=${size}`,
    fetch: (pageUrl) => pageOf(api.get(pageUrl), "data", "next_page"),
  });
}

/** The row id as a path segment. */
function idPath(ctx: Write, rowid: unknown): string {
  return `${ctx.client.url}/${encodeURIComponent(String(rowid))}`;
}

export const routines = defineFdw({
  server: SERVER,
  time, // timestamps parsed by the host: exact microseconds
  connect,
  tables: {
    customers: {
      object: "customers",
      columns: { id: "bigint", name: "text", email: "text", plan: "text", balance: "numeric", active: "boolean", created_at: "timestamptz", tags: "jsonb" },
      key: "id",
      rowName: "customer",
      scan: scanCustomers,
      insert: (ctx, row) => ctx.client.api.post(ctx.client.url, ctx.json(row)),
      update: (ctx, rowid, row) => ctx.client.api.patch(idPath(ctx, rowid), ctx.json(row)),
      delete: (ctx, rowid) => ctx.client.api.delete(idPath(ctx, rowid)),
    },
  },
});
