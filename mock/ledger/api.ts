// A mock of "Ledger", a small invoicing REST API, for the ledger FDW (fdw/ledger): an in-memory
// store behind one synchronous request handler, which the fake host calls in-process
// (tsfdw/testing hostHandler) and mock/ledger/server.ts serves on loopback HTTP.
//
//   GET    /v1/{invoices|customers}?limit=N[&cursor=C][&<filter>=V]
//            → { "object": "list", "data": [ … ], "has_more": bool, "next_cursor": "…" | null }
//   GET    /v1/{invoices|customers}/{id}   → the object, or 404
//   POST   /v1/{invoices|customers}        ← JSON (null fields get defaults) → 201 with the object
//   PATCH  /v1/{invoices|customers}/{id}   ← the fields to change → 200 with the object
//   DELETE /v1/{invoices|customers}/{id}   → 200 { "id": …, "object": "invoice", "deleted": true }
//
// As real APIs of this kind do: an API key in the `x-api-key` header; cursor paging (an opaque
// base64url cursor after the last id; `limit` 1..100, default 10), list filters (`customer_id`,
// `paid` on invoices; `country`, `vip` on customers); errors as `{ "error": { "type", "message" } }`
// with 400, 401, 404, 409 and 422. Numbers are kept exactly as they were sent: bodies are parsed with
// sdk/json.ts parseJsonExact and written back with their raw number texts.
import { type RawNumberTree, type RawNumbers, parseJsonExact, stringifyJson } from "../../sdk/json.js";
import type { MockHandler, MockRequest, MockResponse } from "../../testing/serve.js";

export const API_KEY = "ledger-test-key";

/** A stored object: its JSON value and the exact texts of its numbers. */
export interface Stored {
  value: Record<string, unknown>;
  raw: RawNumbers;
}

type FieldType = "integer" | "number" | "string" | "boolean" | "uuid" | "date" | "timestamp" | "array" | "object";

interface Resource {
  name: "invoice" | "customer";
  fields: Record<string, FieldType>;
  /** Fields a POST must give. */
  required: string[];
  filters: Record<string, "uuid" | "boolean" | "string">;
  items: Stored[];
}

export interface LedgerApi {
  handle: MockHandler;
  invoices: Stored[];
  customers: Stored[];
  /** Every request, e.g. `GET /v1/invoices?limit=5`. */
  log: string[];
  /** The body of every write, as received. */
  bodies: string[];
  /** An object's JSON text as the API serves it (exact numbers). */
  text(item: Stored): string;
}

export const CUSTOMER_IDS = ["2b7c4a18-63f1-4c1e-9d0b-6f1f3a0c9e01", "5f0e9a7d-0c4b-4b8e-a2a1-3c9d8e7f6a02", "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e03", "c4f5e6d7-1a2b-4c3d-9e8f-0a1b2c3d4e04"];
const COUNTRIES = ["DE", "FR", "NL", "DE"];
const NAMES = ["Acme GmbH", "Bistro Lune", "Canal Works BV", "Dachs & Söhne"];

/** YYYY-MM-DD of a UTC date `days` after 2024-01-01. */
const dayOf = (days: number): string => new Date(Date.UTC(2024, 0, 1 + days)).toISOString().slice(0, 10);

/**
 * The seed, written as JSON text so that its numbers have exact texts the API keeps (19.90, 0.190,
 * 90.28571428571429, 1E+2, integers beyond 2^53): 4 customers, 24 invoices (ids 1001–1024).
 */
function seedTexts(): { customers: string[]; invoices: string[] } {
  const customers = CUSTOMER_IDS.map((id, i) => {
    const created = `2023-${String(9 + i).padStart(2, "0")}-0${i + 1}T08:15:30.${String(123456 + i * 111111)}Z`;
    const metadata = `{"segment":"${["smb", "horeca", "industry", "smb"][i]}","erp_id":1234567890123456789${i}}`;
    return `{"id":"${id}","name":"${NAMES[i]}","email":"billing${i + 1}@example.com","country":"${COUNTRIES[i]}","credit_limit":${["5000", "250.50", "12000.75", "0"][i]},"vip":${i % 2 === 0},"created_at":"${created}","metadata":${metadata}}`;
  });
  const invoices: string[] = [];
  for (let i = 0; i < 24; i++) {
    const id = 1001 + i;
    const issued = dayOf(i * 9);
    const due = i % 4 === 3 ? "null" : `"${dayOf(i * 9 + 30)}"`;
    const amount = ["1234.50", "99.99", "0.1", "12345678.91", "250", "19.9"][i % 6];
    const created = `${issued}T09:30:00.${String(100000 + i * 37)}Z`;
    const lines = `[{"sku":"SKU-${i % 7}","qty":${1 + (i % 3)},"unit_price":19.90,"tax_rate":0.190},{"sku":"FEE","qty":1,"unit_price":90.28571428571429}]`;
    const metadata = `{"po":"PO-${7000 + i}","ratio":1E+2,"big":12345678901234567890}`;
    invoices.push(
      `{"id":${id},"number":"INV-${String(id).padStart(6, "0")}","customer_id":"${CUSTOMER_IDS[i % 4]}","amount":${amount},"currency":"${i % 5 === 4 ? "USD" : "EUR"}",` +
        `"paid":${i % 3 === 0},"issued_on":"${issued}","due_on":${due},"created_at":"${created}","lines":${lines},"metadata":${metadata}}`,
    );
  }
  return { customers, invoices };
}

const error = (status: number, type: string, message: string): MockResponse => ({ status, body: { error: { type, message } } });

/** base64url of `after:<id>`: opaque to clients, as real cursors are. */
const cursorOf = (id: unknown): string => Buffer.from(`after:${JSON.stringify(id)}`).toString("base64url");
function afterOf(cursor: string): unknown {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith("after:")) return undefined;
  try {
    return JSON.parse(text.slice(6)) as unknown;
  } catch {
    return undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$/;

function typeError(field: string, type: FieldType, v: unknown): string | undefined {
  const ok =
    type === "integer" ? Number.isInteger(v) :
    type === "number" ? typeof v === "number" :
    type === "string" ? typeof v === "string" :
    type === "boolean" ? typeof v === "boolean" :
    type === "uuid" ? typeof v === "string" && UUID.test(v) :
    type === "date" ? typeof v === "string" && DATE.test(v) :
    type === "timestamp" ? typeof v === "string" && TIMESTAMP.test(v) :
    type === "array" ? Array.isArray(v) :
    v !== null && typeof v === "object" && !Array.isArray(v);
  return ok ? undefined : `${field} must be ${type === "integer" ? "an integer" : type === "array" || type === "object" ? `an ${type}` : `a ${type}`}${type === "timestamp" ? " (RFC 3339)" : type === "date" ? " (YYYY-MM-DD)" : ""}`;
}

/** A written body, checked: known fields of the right types (null allowed), as {value, raw}. */
function readBody(r: Resource, body: string): Stored | string {
  let parsed: { value: unknown; raw: RawNumbers };
  try {
    parsed = parseJsonExact(body);
  } catch (e) {
    return `invalid JSON body: ${e instanceof Error ? e.message : String(e)}`;
  }
  const v = parsed.value;
  if (v === null || typeof v !== "object" || Array.isArray(v)) return "the body must be a JSON object";
  for (const [k, x] of Object.entries(v)) {
    const type = r.fields[k];
    if (type === undefined) return `unknown field ${k}`;
    if (x !== null) {
      const e = typeError(k, type, x);
      if (e !== undefined) return e;
    }
  }
  return { value: v as Record<string, unknown>, raw: parsed.raw };
}

const rawOf = (raw: RawNumbers, key: string): RawNumbers => (raw === undefined || typeof raw === "string" ? undefined : raw[key]);

/** An object's id as text, exactly (an integer id beyond 2^53 keeps its digits in the raw texts). */
const idOf = (item: Stored): string => {
  const raw = rawOf(item.raw, "id");
  return typeof raw === "string" ? raw : String(item.value["id"]);
};

/** `old` with `patch`'s fields (and their raw texts) over it. */
function mergeStored(old: Stored, patch: Stored): Stored {
  const value = { ...old.value, ...patch.value };
  const raw = Object.create(null) as RawNumberTree;
  for (const k of Object.keys(value)) {
    const r = Object.hasOwn(patch.value, k) ? rawOf(patch.raw, k) : rawOf(old.raw, k);
    if (r !== undefined) raw[k] = r;
  }
  return { value, raw: Object.keys(raw).length > 0 ? raw : undefined };
}

const compareIds = (a: unknown, b: unknown): number => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

export interface LedgerOptions {
  apiKey?: string;
  /** What "now" is for created_at defaults (default 2024-06-01T12:00:00Z). */
  now?: string;
}

export function createLedgerApi(opts: LedgerOptions = {}): LedgerApi {
  const key = opts.apiKey ?? API_KEY;
  const now = opts.now ?? "2024-06-01T12:00:00Z";
  const seed = seedTexts();
  const load = (texts: string[]): Stored[] => texts.map((t) => parseJsonExact(t) as Stored);
  const invoices: Resource = {
    name: "invoice",
    fields: { id: "integer", number: "string", customer_id: "uuid", amount: "number", currency: "string", paid: "boolean", issued_on: "date", due_on: "date", created_at: "timestamp", lines: "array", metadata: "object" },
    required: ["customer_id", "amount"],
    filters: { customer_id: "uuid", paid: "boolean" },
    items: load(seed.invoices),
  };
  const customers: Resource = {
    name: "customer",
    fields: { id: "uuid", name: "string", email: "string", country: "string", credit_limit: "number", vip: "boolean", created_at: "timestamp", metadata: "object" },
    required: ["name"],
    filters: { country: "string", vip: "boolean" },
    items: load(seed.customers),
  };
  const log: string[] = [];
  const bodies: string[] = [];
  let uuidCounter = 0;
  const text = (item: Stored): string => stringifyJson(item.value, item.raw) ?? "null";
  const json = (status: number, body: string): MockResponse => ({ status, headers: { "content-type": "application/json" }, body });

  function defaults(r: Resource, items: Stored[]): Record<string, unknown> {
    if (r.name === "invoice") {
      const id = items.reduce((m, x) => Math.max(m, Number(x.value["id"])), 1000) + 1;
      return { id, currency: "EUR", paid: false, issued_on: now.slice(0, 10), due_on: null, created_at: now, lines: [], metadata: {} };
    }
    const n = String(++uuidCounter).padStart(12, "0");
    return { id: `00000000-0000-4000-8000-${n}`, email: null, country: null, credit_limit: 0, vip: false, created_at: now, metadata: {} };
  }

  function list(r: Resource, url: URL): MockResponse {
    const limitText = url.searchParams.get("limit") ?? "10";
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) return error(400, "invalid_request", `limit must be an integer from 1 to 100, got ${limitText}`);
    let rows = r.items;
    const cursor = url.searchParams.get("cursor");
    if (cursor !== null) {
      const after = afterOf(cursor);
      if (after === undefined) return error(400, "invalid_request", "invalid cursor");
      rows = rows.filter((x) => compareIds(x.value["id"], after) > 0);
    }
    for (const [name, type] of Object.entries(r.filters)) {
      const want = url.searchParams.get(name);
      if (want === null) continue;
      if (type === "boolean" && want !== "true" && want !== "false") return error(400, "invalid_request", `${name} must be true or false`);
      if (type === "uuid" && !UUID.test(want)) return error(400, "invalid_request", `${name} must be a UUID`);
      rows = rows.filter((x) => String(x.value[name]) === want);
    }
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    const last = page[page.length - 1];
    const next = more && last !== undefined ? JSON.stringify(cursorOf(last.value["id"])) : "null";
    return json(200, `{"object":"list","data":[${page.map(text).join(",")}],"has_more":${more},"next_cursor":${next}}`);
  }

  const handle: MockHandler = (req: MockRequest) => {
    log.push(`${req.method} ${req.path}`);
    const given = req.headers["x-api-key"];
    if (given === undefined) return error(401, "authentication_error", "missing x-api-key header");
    if (given !== key) return error(401, "authentication_error", "invalid API key");
    const url = new URL(req.path, "http://mock");
    const m = /^\/v1\/(invoices|customers)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (m === null) return error(404, "not_found", `no such endpoint: ${url.pathname}`);
    const r = m[1] === "invoices" ? invoices : customers;
    const idText = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    let id: unknown;
    if (idText !== undefined) {
      id = r.name === "invoice" ? Number(idText) : idText;
      if (r.name === "invoice" ? !/^[1-9]\d{0,18}$/.test(idText) : !UUID.test(idText)) return error(400, "invalid_request", `invalid ${r.name} id: ${idText}`);
    }
    const at = idText === undefined ? -1 : r.items.findIndex((x) => idOf(x) === idText);

    if (req.method === "GET" && id === undefined) return list(r, url);
    if (req.method === "POST" && id === undefined) {
      bodies.push(req.body);
      const input = readBody(r, req.body);
      if (typeof input === "string") return error(422, "validation_error", input);
      for (const f of r.required) if (input.value[f] === undefined || input.value[f] === null) return error(422, "validation_error", `${f} is required`);
      const given = Object.fromEntries(Object.entries(input.value).filter(([, v]) => v !== null));
      const value = { ...defaults(r, r.items), ...given };
      if (r.name === "invoice" && value["number"] === undefined) value["number"] = `INV-${String(value["id"]).padStart(6, "0")}`;
      const created = { value, raw: input.raw };
      if (r.items.some((x) => idOf(x) === idOf(created))) return error(409, "conflict", `${r.name} ${idOf(created)} already exists`);
      if (r.name === "invoice" && !customers.items.some((c) => c.value["id"] === value["customer_id"])) return error(422, "validation_error", `no such customer: ${String(value["customer_id"])}`);
      r.items.push(created);
      r.items.sort((a, b) => compareIds(a.value["id"], b.value["id"]));
      return json(201, text(created));
    }
    if (id === undefined) return error(405, "invalid_request", `${req.method} /v1/${m[1]} is not supported`);
    if (at < 0) return error(404, "not_found", `no such ${r.name}: ${idText}`);
    const found = r.items[at] as Stored;
    if (req.method === "GET") return json(200, text(found));
    if (req.method === "PATCH") {
      bodies.push(req.body);
      const input = readBody(r, req.body);
      if (typeof input === "string") return error(422, "validation_error", input);
      if (Object.hasOwn(input.value, "id") && idOf(input) !== idText) return error(422, "validation_error", "id cannot change");
      for (const f of r.required) if (Object.hasOwn(input.value, f) && input.value[f] === null) return error(422, "validation_error", `${f} cannot be null`);
      r.items[at] = mergeStored(found, input);
      return json(200, text(r.items[at] as Stored));
    }
    if (req.method === "DELETE") {
      r.items.splice(at, 1);
      return json(200, `{"id":${r.name === "invoice" ? idText : JSON.stringify(idText)},"object":"${r.name}","deleted":true}`);
    }
    return error(405, "invalid_request", `${req.method} is not supported`);
  };
  return { handle, invoices: invoices.items, customers: customers.items, log, bodies, text };
}
