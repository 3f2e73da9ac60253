// HTTP helpers over the host's `http` interface, which is passed in (so this stays testable in
// Node). Host facts that shape this module (contract §2.1, §11.4–5): request header names MUST be
// lowercase or the host panics; 4xx/5xx come back as ordinary responses; response header names are
// lowercase already; Supabase's host has no timeouts, caps or redaction. So: every credential a
// request carries is registered before it is sent (sdk/secrets.ts) and redacted from every
// message; server text quoted in a message is capped; bodies are parsed by sdk/json.ts (depth
// guard, exact numbers, positions in errors); nothing runs a regex over a whole body.

import { MAX_QUOTE, quote, truncate } from "./errors.js";
import { type JsonOptions, type ParsedJson, type RawNumbers, parseJson, parseJsonExact, utf8Length } from "./json.js";
import { addRequestSecrets, redactUrl } from "./secrets.js";

export { redactUrl };

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
  /** Used only for reason phrases the SDK's own table lacks. */
  errorForStatus?(resp: Response): void;
}

/** Headers as an object or as pairs; names may be any case (they are lowercased). */
export type HeadersInit = Readonly<Record<string, string>> | readonly (readonly [string, string])[];

/** Builds a request record with lowercase header names (later duplicates of a name replace earlier ones). */
export function buildRequest(method: MethodName, url: string, headers: HeadersInit = [], body = ""): Request {
  const pairs: readonly (readonly [string, string])[] = Array.isArray(headers) ? headers : Object.entries(headers);
  const names: string[] = [];
  const values = new Map<string, string>();
  for (const [name, value] of pairs) {
    const key = name.trim().toLowerCase();
    if (!values.has(key)) names.push(key);
    values.set(key, value);
  }
  const out: [string, string][] = [];
  for (const key of names) out.push([key, values.get(key) as string]);
  return { method: { tag: method }, url, headers: out, body };
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

/** A Link header is read up to this length (a server could send megabytes). */
const MAX_LINK_HEADER = 65_536;

/**
 * Parses an RFC 8288 Link header into rel → URL, e.g.
 * `<https://api.github.com/events?page=2>; rel="next", <…?page=10>; rel="last"`.
 * A link with several rels (`rel="next last"`) is recorded under each; the first link per rel wins.
 * Linear: indexOf from `<` to `>`, and a small regex over each link's own parameters only.
 */
export function parseLinkHeader(value: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (value === undefined) return links;
  const text = value.length > MAX_LINK_HEADER ? value.slice(0, MAX_LINK_HEADER) : value;
  let open = text.indexOf("<");
  while (open >= 0) {
    const close = text.indexOf(">", open + 1);
    if (close < 0) break;
    const next = text.indexOf("<", close + 1);
    const params = text.slice(close + 1, next < 0 ? text.length : next).slice(0, 1024);
    const rel = /;\s{0,64}rel\s{0,64}=\s{0,64}(?:"([^"]{0,512})"|([^;,\s]{1,512}))/i.exec(params);
    const rels = rel?.[1] ?? rel?.[2];
    if (rels !== undefined) {
      for (const r of rels.trim().split(/\s+/)) {
        const key = r.toLowerCase();
        if (key !== "" && !Object.hasOwn(links, key)) links[key] = text.slice(open + 1, close);
      }
    }
    open = next;
  }
  return links;
}

/** The `rel="next"` URL of a response, if any (quoted or bare rel, also within `rel="prev next"`). */
export function nextLink(resp: Pick<Response, "headers">): string | undefined {
  const links = parseLinkHeader(header(resp, "link"));
  return Object.hasOwn(links, "next") ? links["next"] : undefined;
}

// Reason phrases for what the host's error-for-status does not format (it knows 4xx and 5xx only):
// a 304, or a 3xx the host did not follow, still deserves words.
const REASONS: Record<number, string> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
};

/**
 * `404 Not Found`, `304 Not Modified`: the host's error-for-status text for 4xx/5xx, the SDK's own
 * table for 1xx–3xx, else the bare code.
 */
export function statusText(resp: Response, client?: Pick<HttpClient, "errorForStatus">): string {
  const code = resp.statusCode;
  const reason = REASONS[code];
  if (reason !== undefined) return `${code} ${reason}`;
  try {
    client?.errorForStatus?.(resp);
  } catch (e) {
    const m = /\((\d{3} [^)<]{1,80})\)/.exec(e instanceof Error ? e.message : String(e));
    if (m?.[1] !== undefined) return m[1];
  }
  return String(code);
}

export interface RequestOptions {
  /** Prefix for error messages, e.g. `GitHub API`. */
  label?: string;
  headers?: HeadersInit;
  method?: MethodName;
  body?: string;
  /** JSON limits for the response body (sdk/json.ts). */
  json?: Pick<JsonOptions, "maxDepth">;
}

/** `<label> GET <url>` for messages: userinfo and registered secrets redacted, a long URL cut. */
export function requestName(opts: Pick<RequestOptions, "label" | "method">, url: string): string {
  const label = opts.label !== undefined && opts.label !== "" ? `${opts.label} ` : "";
  return `${label}${(opts.method ?? "get").toUpperCase()} ${truncate(redactUrl(url), 300)}`;
}

/** Error bodies are searched for a JSON message up to this size; past it, their start is quoted. */
const MAX_ERROR_JSON = 16_777_216;

/**
 * Error for a non-2xx response: `<label> GET <url> failed: 404 Not Found: <detail>`, where the detail
 * is `detail` if given, else the API's own explanation from the body: JSON `message` (GitHub and
 * most REST APIs) or `error`, else the text. Quoted server text is redacted, then cut to MAX_QUOTE.
 */
export function statusError(resp: Response, opts: RequestOptions = {}, client?: Pick<HttpClient, "errorForStatus">, url = resp.url, detail?: string): Error {
  let text = detail;
  if (text === undefined) {
    if (resp.body.length <= MAX_ERROR_JSON) {
      try {
        const { message, error } = (parseJson(resp.body) ?? {}) as { message?: unknown; error?: unknown };
        const nested = (error as { message?: unknown } | null)?.message;
        for (const m of [message, error, nested]) if (text === undefined && typeof m === "string" && m !== "") text = m;
      } catch {
        // not JSON (or too deep): the raw text below
      }
    }
    text ??= resp.body.trim() || undefined;
  }
  const quoted = text === undefined ? "" : `: ${quote(text, detail === undefined ? MAX_QUOTE : 2 * MAX_QUOTE)}`;
  return new Error(`${requestName(opts, url)} failed: ${statusText(resp, client)}${quoted}`);
}

/**
 * Sends a request; transport failures become errors naming method and URL (never headers). Every
 * credential of the request (authorization-like headers, URL userinfo, token query parameters) is
 * registered for redaction before the host sees it.
 */
export function send(client: HttpClient, url: string, opts: RequestOptions = {}): Response {
  const method = opts.method ?? "get";
  const req = buildRequest(method, url, opts.headers, opts.body);
  addRequestSecrets(req);
  try {
    return client[method](req);
  } catch (e) {
    throw new Error(`${requestName(opts, url)} failed: ${quote(e instanceof Error ? e.message : String(e), 2 * MAX_QUOTE)}`);
  }
}

export interface JsonResponse {
  response: Response;
  data: unknown;
  /** Exact texts of numbers that JS would print differently (sdk/json.ts); pass to pushRow / stringifyJson. */
  raw: RawNumbers;
}

/**
 * Parses a response body as JSON (sdk/json.ts: BOM, depth guard, exact numbers). Errors name the
 * request, the position and size, the status and content type.
 */
export function readJson(resp: Response, opts: RequestOptions = {}, url = resp.url): ParsedJson {
  const name = requestName(opts, url);
  try {
    return parseJsonExact(resp.body, { maxDepth: opts.json?.maxDepth, source: name });
  } catch (e) {
    const type = header(resp, "content-type");
    const m = e instanceof Error ? e.message : String(e);
    // An engine failure (out of memory…) gets the request and the size too.
    const what = m.indexOf(name) >= 0 ? m : `${m} (from ${name}, ${utf8Length(resp.body)} bytes)`;
    throw new Error(`${what}; status ${statusText(resp)}${type !== undefined ? `, content-type ${truncate(type, 100)}` : ""}`);
  }
}

/** `readJson(…).value`: for callers that never write the numbers back as JSON text. */
export function parseJsonBody(resp: Response, opts: RequestOptions = {}, url = resp.url): unknown {
  return readJson(resp, opts, url).value;
}

/** GET (or `opts.method`) a URL expecting a 2xx JSON body; every failure is a clear Error. */
export function requestJson(client: HttpClient, url: string, opts: RequestOptions = {}): JsonResponse {
  const response = send(client, url, opts);
  if (response.statusCode < 200 || response.statusCode > 299) throw statusError(response, opts, client, url);
  const { value, raw } = readJson(response, opts, url);
  return { response, data: value, raw };
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
