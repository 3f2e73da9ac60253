// A mock of the customers API the FDW reads and writes: an in-memory store behind one synchronous
// request handler. The unit tests give it to the fake host (in-process); mock/server.ts serves it
// over loopback HTTP for the runner and Postgres tests and for `npm run dev`. Change it along with
// src/index.ts when you point the FDW at your own API.
import type { MockHandler, MockRequest, MockResponse } from "tsfdw/testing";

export interface Customer {
  id: number;
  name: string;
  email: string | null;
  plan: string;
  balance: number;
  active: boolean;
  created_at: string;
  tags: string[];
}

export interface MockApi {
  handle: MockHandler;
  /** The store, for assertions. */
  customers: Customer[];
  /** Every request, for assertions ("GET /customers/2"). */
  log: string[];
}

export const API_KEY = "dev-key";

const NAMES = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Mo", "Ned", "Oz", "Pia", "Quin", "Rey", "Sol", "Tam", "Uma", "Vik", "Wes", "Xia", "Yan"];
const PLANS = ["free", "pro", "team"];

/** 25 customers, the same every time. */
export function seedCustomers(): Customer[] {
  return NAMES.map((name, i) => ({
    id: i + 1,
    name,
    email: i % 5 === 4 ? null : `${name.toLowerCase()}@example.com`,
    plan: PLANS[i % 3] as string,
    balance: Math.round((i * 37.25) % 500 * 100) / 100,
    active: i % 4 !== 3,
    created_at: new Date(Date.UTC(2024, 0, 1 + i, 9, 30)).toISOString().replace(".000", ""),
    tags: i % 2 === 0 ? ["newsletter"] : [],
  }));
}

const error = (status: number, message: string): MockResponse => ({ status, body: { error: message } });

/** Checks a written object: known fields with the right JSON types. */
function validate(input: unknown, creating: boolean): Partial<Customer> | string {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return "expected a JSON object";
  const c = input as Record<string, unknown>;
  const types: Record<string, string> = { id: "number", name: "string", email: "string", plan: "string", balance: "number", active: "boolean", created_at: "string", tags: "object" };
  for (const [k, v] of Object.entries(c)) {
    if (!(k in types)) return `unknown field ${k}`;
    if (v !== null && typeof v !== types[k]) return `${k} must be a ${types[k]}`;
  }
  if (creating && (typeof c["name"] !== "string" || c["name"] === "")) return "name is required";
  return c as Partial<Customer>;
}

export function createApi(opts: { apiKey?: string; customers?: Customer[]; now?: string } = {}): MockApi {
  const customers = opts.customers ?? seedCustomers();
  const log: string[] = [];
  const key = opts.apiKey ?? API_KEY;
  const now = opts.now ?? "2024-06-01T12:00:00Z";

  const handle: MockHandler = (req: MockRequest) => {
    log.push(`${req.method} ${req.path}`);
    if (req.headers["authorization"] !== `Bearer ${key}`) return error(401, "invalid or missing API key");
    const url = new URL(req.path, "http://mock");
    const m = /^\/customers(?:\/([^/]+))?\/?$/.exec(url.pathname);
    if (m === null) return error(404, `no such resource: ${url.pathname}`);
    const id = m[1] === undefined ? undefined : Number(m[1]);
    if (id !== undefined && !Number.isInteger(id)) return error(400, `invalid customer id: ${m[1]}`);
    const at = id === undefined ? -1 : customers.findIndex((c) => c.id === id);

    if (req.method === "GET" && id === undefined) {
      const page = Number(url.searchParams.get("page") ?? "1");
      const perPage = Number(url.searchParams.get("per_page") ?? "20");
      if (!(page >= 1) || !(perPage >= 1 && perPage <= 100)) return error(400, "page must be >= 1 and per_page 1..100");
      const data = customers.slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: { data, next_page: page * perPage < customers.length ? page + 1 : null } };
    }
    if (req.method === "POST" && id === undefined) {
      const input = validate(JSON.parse(req.body || "null"), true);
      if (typeof input === "string") return error(422, input);
      const newId = input.id ?? Math.max(0, ...customers.map((c) => c.id)) + 1;
      if (customers.some((c) => c.id === newId)) return error(409, `customer ${newId} already exists`);
      // Fields sent as null (INSERT without them) get the defaults.
      const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
      const created: Customer = { email: null, plan: "free", balance: 0, active: true, created_at: now, tags: [], ...given, id: newId, name: input.name as string };
      customers.push(created);
      return { status: 201, body: created };
    }
    if (id === undefined) return error(405, `${req.method} /customers is not supported`);
    if (at < 0) return error(404, `customer ${id} not found`);
    const found = customers[at] as Customer;
    if (req.method === "GET") return { status: 200, body: found };
    if (req.method === "PATCH") {
      const input = validate(JSON.parse(req.body || "null"), false);
      if (typeof input === "string") return error(422, input);
      if (input.id !== undefined && input.id !== id) return error(422, "id cannot change");
      customers[at] = { ...found, ...input, id };
      return { status: 200, body: customers[at] };
    }
    if (req.method === "DELETE") {
      customers.splice(at, 1);
      return { status: 204 };
    }
    return error(405, `${req.method} is not supported`);
  };
  return { handle, customers, log };
}
