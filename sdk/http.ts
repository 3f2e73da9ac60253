// HTTP helpers over the host's `http` interface, which is passed in (so this stays testable in
// Node). Host facts that shape this module (contract §2.1, §11.4–5): request header names MUST be
// lowercase or the host panics; 4xx/5xx come back as ordinary responses; response header names are
// lowercase already. Error messages never contain request header values (tokens live there).

import { truncate } from "./errors.js";

export type Request = SupabaseWrappers.Request;
export type Response = SupabaseWrappers.Response;
export type HttpHeaders = SupabaseWrappers.Headers;
export type MethodName = SupabaseWrappers.Method["tag"];

/** The part of the host `http` module the helpers use. */
export interface HttpClient {
  get(req: Request): Response;
  post(req: Request): Response;
  put(req: Request): Response;
  patch(req: Request): Response;
  delete(req: Request): Response;
  /** Used only to get reason phrases for error messages. */
  errorForStatus?(resp: Response): void;
}

/** Headers as an object or as pairs; names may be any case (they are lowercased). */
export type HeadersInit = Readonly<Record<string, string>> | readonly (readonly [string, string])[];

/** Builds a request record with lowercase header names (later duplicates of a name replace earlier ones). */
export function buildRequest(method: MethodName, url: string, headers: HeadersInit = [], body = ""): Request {
  const pairs: readonly (readonly [string, string])[] = Array.isArray(headers) ? headers : Object.entries(headers);
  const out = new Map<string, string>();
  for (const [name, value] of pairs) out.set(name.trim().toLowerCase(), value);
  return { method: { tag: method }, url, headers: [...out], body };
}

/** Lowercases header names (values untouched); later duplicates of a name replace earlier ones. */
export function lowercaseHeaders(headers?: HeadersInit): HttpHeaders {
  return buildRequest("get", "", headers).headers;
}

/** First value of a response header, by case-insensitive name. */
export function header(resp: Pick<Response, "headers">, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of resp.headers) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/**
 * Parses an RFC 8288 Link header into rel → URL, e.g.
 * `<https://api.github.com/events?page=2>; rel="next", <…?page=10>; rel="last"`.
 * A link with several rels (`rel="next last"`) is recorded under each; the first link per rel wins.
 */
export function parseLinkHeader(value: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (value === undefined) return links;
  const re = /<([^>]*)>((?:\s*;\s*[^;,<]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const url = m[1] ?? "";
    const params = m[2] ?? "";
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(params);
    const rels = rel?.[1] ?? rel?.[2];
    if (rels === undefined) continue;
    for (const r of rels.trim().split(/\s+/)) {
      const key = r.toLowerCase();
      if (key !== "" && !(key in links)) links[key] = url;
    }
  }
  return links;
}

/**
 * The `rel="next"` URL of a response, if any (quoted or bare rel, also within `rel="prev next"`).
 * A regex of its own rather than parseLinkHeader, so that guests that only page stay small.
 */
export function nextLink(resp: Pick<Response, "headers">): string | undefined {
  return /<([^>]*)>[^<]*?;\s*rel\s*=\s*"?[^";,<]*\bnext\b/i.exec(header(resp, "link") ?? "")?.[1];
}

/**
 * `404 Not Found`. The reason phrase comes from the host's `error-for-status` (which formats
 * `HTTP status error (404 Not Found) for url (…)`), so the guest carries no table of phrases.
 */
export function statusText(resp: Response, client?: Pick<HttpClient, "errorForStatus">): string {
  try {
    client?.errorForStatus?.(resp);
  } catch (e) {
    const m = /\((\d{3} [^)<]+)\)/.exec(e instanceof Error ? e.message : String(e));
    if (m?.[1] !== undefined) return m[1];
  }
  return String(resp.statusCode);
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i;

/** Hides `user:password@` in URLs shown in errors. */
export function redactUrl(url: string): string {
  return url.replace(USERINFO, "$1***@");
}

export interface RequestOptions {
  /** Prefix for error messages, e.g. `GitHub API`. */
  label?: string;
  headers?: HeadersInit;
  method?: MethodName;
  body?: string;
}

// The URL redacted as redactUrl does, without calling it: one function less in every guest.
function prefix(opts: RequestOptions, method: MethodName, url: string): string {
  const label = opts.label !== undefined && opts.label !== "" ? `${opts.label} ` : "";
  return `${label}${method.toUpperCase()} ${url.replace(USERINFO, "$1***@")}`;
}

/**
 * Error for a non-2xx response: `<label> GET <url> failed: 404 Not Found: <detail>`, where the detail
 * is `detail` if given, else the API's own explanation from the body: JSON `message` (GitHub and
 * most REST APIs) or `error`, else the (truncated) text.
 */
export function statusError(resp: Response, opts: RequestOptions = {}, client?: Pick<HttpClient, "errorForStatus">, url = resp.url, detail?: string): Error {
  if (detail === undefined) {
    try {
      const { message, error } = JSON.parse(resp.body) as { message?: unknown; error?: unknown };
      const nested = (error as { message?: unknown } | null)?.message;
      for (const m of [message, error, nested]) if (detail === undefined && typeof m === "string" && m !== "") detail = m;
    } catch {
      // not JSON: the raw text below
    }
    detail ??= truncate(resp.body.trim(), 200) || undefined;
  }
  return new Error(`${prefix(opts, opts.method ?? "get", url)} failed: ${statusText(resp, client)}${detail !== undefined ? `: ${detail}` : ""}`);
}

/** Sends a request; transport failures become errors naming method and URL (never headers). */
export function send(client: HttpClient, url: string, opts: RequestOptions = {}): Response {
  const method = opts.method ?? "get";
  const req = buildRequest(method, url, opts.headers, opts.body);
  try {
    return client[method](req);
  } catch (e) {
    throw new Error(`${prefix(opts, method, url)} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export interface JsonResponse {
  response: Response;
  data: unknown;
}

/** Parses a response body as JSON, with an error that says what came back instead. */
export function parseJsonBody(resp: Response, opts: RequestOptions = {}, url = resp.url): unknown {
  try {
    return JSON.parse(resp.body);
  } catch {
    const type = header(resp, "content-type");
    const what = resp.body.trim() === "" ? "an empty body" : `a body that is not JSON (${truncate(JSON.stringify(resp.body.trim()), 100)})`;
    throw new Error(`${prefix(opts, opts.method ?? "get", url)} returned ${what}; status ${resp.statusCode}${type !== undefined ? `, content-type ${type}` : ""}`);
  }
}

/** GET (or `opts.method`) a URL expecting a 2xx JSON body; every failure is a clear Error. */
export function requestJson(client: HttpClient, url: string, opts: RequestOptions = {}): JsonResponse {
  const response = send(client, url, opts);
  if (response.statusCode < 200 || response.statusCode > 299) throw statusError(response, opts, client, url);
  return { response, data: parseJsonBody(response, opts, url) };
}

/** Describes a JSON value's shape for "expected X, got Y" messages. */
export function jsonShape(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value);
    return keys.length === 0 ? "an empty object" : `an object with keys ${truncate(keys.slice(0, 8).join(", "), 80)}`;
  }
  return `a ${typeof value}`;
}
