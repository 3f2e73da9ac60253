// A JSON REST client over the host's `http` (sdk/http.ts underneath): one object per scan or modify
// that knows the API's label and headers, so an FDW's endpoints read as one line each:
//
//   const api = jsonApi(http, { label: "Ledger API", headers: { "x-api-key": key } });
//   api.get(`${base}/invoices/${id}`, { allow: [404] })   // a 404 is an answer here, not an error
//   api.post(`${base}/invoices`, ctx.json(row))             // content-type: application/json
//
// Every credential in the headers or URL is registered for redaction before the request is sent;
// a non-2xx answer (not in `allow`) is `<label> <METHOD> <url> failed: <status>: <the API's
// message>`; bodies are parsed by sdk/json.ts (BOM, depth guard, exact numbers, positions).

import { truncate } from "./errors.js";
import { type HeadersInit, type HttpClient, type MethodName, type Response, jsonShape, readJson, requestName, send, statusError } from "./http.js";
import { type RawNumbers, rawAt } from "./json.js";
import type { Page } from "./pages.js";

export interface ApiOptions {
  /** Prefix of every message: `Ledger API`. */
  label?: string;
  /** Sent with every request (names lowercased): authorization, accept, user-agent, … */
  headers?: HeadersInit;
  /** Deepest JSON nesting accepted (sdk/json.ts MAX_JSON_DEPTH). */
  maxDepth?: number;
}

export interface CallOptions {
  /** Statuses that are answers, not errors (e.g. 404 for "no such row"): returned without a body parse. */
  allow?: readonly number[];
  /** Extra headers for this request. */
  headers?: HeadersInit;
}

export interface ApiResult {
  status: number;
  /** The parsed body; undefined for an empty body (204) and for an allowed non-2xx status. */
  data: unknown;
  /** Exact number texts of `data` (sdk/json.ts). */
  raw: RawNumbers;
  response: Response;
  /** `<label> GET <url>`, for messages. */
  name: string;
}

export interface JsonApi {
  get(url: string, opts?: CallOptions): ApiResult;
  /** `body`: JSON text (a write context's `ctx.json(row)` keeps the row's numbers exact). */
  post(url: string, body?: string, opts?: CallOptions): ApiResult;
  put(url: string, body?: string, opts?: CallOptions): ApiResult;
  patch(url: string, body?: string, opts?: CallOptions): ApiResult;
  delete(url: string, opts?: CallOptions): ApiResult;
  request(method: MethodName, url: string, body?: string, opts?: CallOptions): ApiResult;
}

function headerPairs(h: HeadersInit | undefined): [string, string][] {
  if (h === undefined) return [];
  const out: [string, string][] = [];
  const pairs: readonly (readonly [string, string])[] = Array.isArray(h) ? h : Object.entries(h);
  for (const [k, v] of pairs) out.push([k, v]);
  return out;
}

/** A JSON API client (see the file comment). */
export function jsonApi(http: HttpClient, opts: ApiOptions = {}): JsonApi {
  const base = headerPairs(opts.headers);
  const request = (method: MethodName, url: string, body?: string, call: CallOptions = {}): ApiResult => {
    const headers = base.concat(headerPairs(call.headers));
    if (body !== undefined && body !== "") headers.push(["content-type", "application/json"]);
    const ro = { label: opts.label, method, headers, body: body ?? "", json: { maxDepth: opts.maxDepth } };
    const response = send(http, url, ro);
    const status = response.statusCode;
    const name = requestName(ro, url);
    if (call.allow !== undefined && call.allow.includes(status)) return { status, data: undefined, raw: undefined, response, name };
    if (status < 200 || status > 299) throw statusError(response, ro, http, url);
    if (response.body.trim() === "") return { status, data: undefined, raw: undefined, response, name };
    const parsed = readJson(response, ro, url);
    return { status, data: parsed.value, raw: parsed.raw, response, name };
  };
  return {
    get: (url, o) => request("get", url, undefined, o),
    post: (url, body, o) => request("post", url, body, o),
    put: (url, body, o) => request("put", url, body, o),
    patch: (url, body, o) => request("patch", url, body, o),
    delete: (url, o) => request("delete", url, undefined, o),
    request,
  };
}

/** Reads one key of a JSON object (own properties only), undefined when absent or not an object. */
function own(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * A page of a list endpoint: the rows under `rows` (or the body itself when `rows` is undefined:
 * a JSON array), checked to be objects, their exact-number annotations, and the next page from
 * `next` (a body key: a cursor, a page number or a URL; null/absent = the last page).
 * E.g. `pageOf(api.get(url), "data", "next_cursor")` for `{ "data": [ … ], "next_cursor": "…" }`.
 */
export function pageOf<T = Record<string, unknown>>(result: ApiResult, rows?: string, next?: string): Page<T> {
  const list = rows === undefined ? result.data : own(result.data, rows);
  if (!Array.isArray(list)) {
    const want = rows === undefined ? "a JSON array" : `{ "${rows}": [ … ] }`;
    throw new Error(`${result.name} returned ${jsonShape(result.data)} where ${want} was expected`);
  }
  for (let i = 0; i < list.length; i++) {
    const r: unknown = list[i];
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      throw new Error(`${result.name}: element ${i} of ${rows === undefined ? "the response" : `"${truncate(rows, 40)}"`} is ${jsonShape(r)}, not an object`);
    }
  }
  const n = next === undefined ? undefined : own(result.data, next);
  return {
    rows: list as T[],
    raw: rows === undefined ? result.raw : rawAt(result.raw, rows),
    next: typeof n === "string" || typeof n === "number" ? n : undefined,
  };
}
