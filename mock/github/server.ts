// A loopback imitation of GitHub's events API: the nine feeds with GitHub's paging, cap, ETag/304,
// rate-limit and error behaviour, plus hooks for tests (faults, a live feed, a request log).
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import {
  DOCS_EVENTS,
  DOCS_PAGINATION,
  DOCS_RATE_LIMITS,
  DOCS_REST,
  DOCS_SECONDARY,
  DOCS_VERSIONS,
  PAGINATION_LIMIT_MESSAGE,
  USER_AGENT_HTML,
  errorBody,
  primaryLimitMessage,
  secondaryLimitMessage,
} from "./errors.js";
import { DEFAULT_EVENT_COUNT, DEFAULT_SEED, EventGenerator, toEpochSeconds, type GitHubEvent } from "./events.js";
import { FaultList, type FaultRule } from "./faults.js";
import { FeedIndex, feedKey, parseFeedPath } from "./feeds.js";
import { linkHeader, parsePaging, planPage } from "./paging.js";
import { RateLimiter, type RateBucketName, type RateLimitState } from "./ratelimit.js";
import { defaultWorld, type World } from "./world.js";

export type { FaultRule } from "./faults.js";
export type { RateLimitState } from "./ratelimit.js";
export type { GitHubEvent } from "./events.js";

export interface MockGitHubOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Number of public events to generate (private ones come on top), or a prebuilt newest-first dataset. */
  events?: number | readonly GitHubEvent[];
  seed?: number;
  /** Time of the newest generated event (default: now, floored to the second). */
  newest?: Date | string | number;
  /** The one valid token; `Authorization: Bearer <t>` or `token <t>`. Any other credential → 401. */
  token?: string;
  /** Login the token belongs to (default "octocat"). */
  tokenUser?: string;
  /** Events per timeline before 422 (default 300). */
  cap?: number;
  /** per_page clamp (default 100). */
  maxPerPage?: number;
  /** per_page when absent or invalid (default 30, and 15 on /events as on github.com). */
  defaultPerPage?: number;
  /** Requests per window; a number sets both buckets (default 60 unauthenticated, 5000 authenticated). */
  rateLimit?: number | { unauthenticated?: number; authenticated?: number };
  /** Window length in seconds (default 3600). */
  rateLimitWindowSecs?: number;
  /** Status for primary and secondary limits (default 403; GitHub sends either). */
  rateLimitStatus?: 403 | 429;
  /** Refuse requests without User-Agent with GitHub's text/html 403 (default true). */
  requireUserAgent?: boolean;
  /** x-poll-interval on event feeds (default 60). */
  pollInterval?: number;
}

export interface RequestRecord {
  method: string;
  /** Pathname only; the query is in `query`. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Response body bytes sent (after gzip, if used). */
  bytes: number;
  authenticated: boolean;
  userAgent: string | null;
  /** Lowercased request header names; values (notably authorization) are never kept. */
  headerNames: string[];
}

export interface MockGitHub {
  /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Request log, oldest first (the same array until resetLog). */
  readonly requests: readonly RequestRecord[];
  /** The whole dataset, newest first. */
  readonly events: readonly GitHubEvent[];
  readonly world: World;
  readonly tokenUser: string;
  /** Answers matching requests with the rule's status/body/headers, ahead of everything else. */
  fault(rule: FaultRule): void;
  clearFaults(): void;
  /** Primary limit reached: remaining 0 until the window resets (after resetInSecs, if given). */
  exhaustRateLimit(options?: { resetInSecs?: number; bucket?: RateBucketName | "both" }): void;
  resetRateLimit(): void;
  rateLimit(authenticated?: boolean): RateLimitState;
  /** Secondary limit: 403/429 with GitHub's message and retry-after (when given), `times` requests or until cleared. */
  secondaryLimit(retryAfterSecs?: number, times?: number): void;
  /** Prepends n new public events (newer than all others); returns them, newest first. */
  push(n?: number): GitHubEvent[];
  /**
   * Called with each request's log record right after its response has been sent (null: none).
   * Anything it changes (e.g. push()) is seen by the next request, e.g. a feed that moves between
   * the pages of one scan. Errors it throws are ignored.
   */
  onRequest: ((record: RequestRecord) => void) | null;
  resetLog(): void;
  /** A feed's full event list before paging and cap; throws for paths that would 404. */
  feed(pathname: string, options?: { authenticated?: boolean }): GitHubEvent[];
  close(): Promise<void>;
}

const SUPPORTED_VERSIONS = new Set(["2022-11-28", "2026-03-10"]);
const DEFAULT_VERSION = "2022-11-28";
const JSON_TYPE = "application/json; charset=utf-8";
const VARY_ANON = "Accept, Accept-Encoding, Accept, X-Requested-With";
const VARY_AUTH = "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding, Accept, X-Requested-With";
const PAGE_CACHE_MAX = 512;

const gzipAsync = promisify(gzip);

interface PageEntry {
  body: Buffer;
  etag: string;
  gz: Buffer | null;
}

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`startMockGitHub: ${name} must be a positive integer`);
  return v;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (name !== "gzip" && name !== "x-gzip") continue;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** If-None-Match uses weak comparison: W/ prefixes are ignored; "*" matches anything. */
function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string): string => t.trim().replace(/^W\//, "");
  const want = strip(etag);
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || strip(t) === want);
}

function tokenFrom(authorization: string): string | null {
  const m = /^\s*(?:bearer|token)\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1] ?? null;
}

/** First value per name, matching URLSearchParams.get (which paging uses). */
function firstValues(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) if (!(k in out)) out[k] = v;
  return out;
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

export async function startMockGitHub(options: MockGitHubOptions = {}): Promise<MockGitHub> {
  const cap = positiveInt("cap", options.cap, 300);
  const maxPerPage = positiveInt("maxPerPage", options.maxPerPage, 100);
  const defaultPerPage = options.defaultPerPage === undefined ? null : positiveInt("defaultPerPage", options.defaultPerPage, 30);
  const windowSecs = positiveInt("rateLimitWindowSecs", options.rateLimitWindowSecs, 3600);
  const pollInterval = positiveInt("pollInterval", options.pollInterval, 60);
  const limitStatus = options.rateLimitStatus ?? 403;
  const requireUserAgent = options.requireUserAgent ?? true;
  const rl = options.rateLimit;
  const limits =
    typeof rl === "number"
      ? { unauthenticated: rl, authenticated: rl }
      : { unauthenticated: rl?.unauthenticated ?? 60, authenticated: rl?.authenticated ?? 5000 };
  positiveInt("rateLimit", limits.unauthenticated, 60);
  positiveInt("rateLimit", limits.authenticated, 5000);

  const world = defaultWorld();
  const tokenUser = options.tokenUser ?? world.defaultTokenUser;
  const generator = new EventGenerator({ seed: options.seed ?? DEFAULT_SEED, world });
  let events: GitHubEvent[];
  if (options.events === undefined || typeof options.events === "number") {
    const count = options.events ?? DEFAULT_EVENT_COUNT;
    if (!Number.isSafeInteger(count) || count < 0) throw new Error("startMockGitHub: events must be a non-negative integer");
    events = generator.generate(count, toEpochSeconds(options.newest ?? Date.now()));
  } else {
    events = [...options.events];
    // push() must stay newer than the supplied data.
    let maxTime = Number.NEGATIVE_INFINITY;
    let maxId = 0;
    for (const e of events) {
      const t = Date.parse(e.created_at);
      if (Number.isFinite(t)) maxTime = Math.max(maxTime, Math.floor(t / 1000));
      const id = Number(e.id);
      if (Number.isSafeInteger(id)) maxId = Math.max(maxId, id);
    }
    if (Number.isFinite(maxTime)) generator.continueAfter(maxTime, maxId);
  }
  const index = new FeedIndex(world);
  index.addEvents(events);

  const limiter = new RateLimiter(limits, windowSecs);
  const faults = new FaultList();
  let log: RequestRecord[] = [];
  let onRequest: ((record: RequestRecord) => void) | null = null;
  let requestCounter = 0;
  // Serialized once per event and once per page; cleared when the feed moves.
  const eventJson = new WeakMap<GitHubEvent, string>();
  const feedCache = new Map<string, GitHubEvent[]>();
  const pageCache = new Map<string, PageEntry>();
  let baseUrl = "";

  const jsonOf = (e: GitHubEvent): string => {
    let s = eventJson.get(e);
    if (s === undefined) {
      s = JSON.stringify(e);
      eventJson.set(e, s);
    }
    return s;
  };

  const selectFeed = (pathname: string, viewer: string | null): { key: string; events: GitHubEvent[] } | null => {
    const route = parseFeedPath(pathname);
    if (!route) return null;
    const key = feedKey(route, viewer);
    let selected = feedCache.get(key);
    if (!selected) {
      const s = index.select(route, events, viewer);
      if (!s) return null;
      selected = s;
      feedCache.set(key, selected);
    }
    return { key, events: selected };
  };

  const requestId = (): string => {
    requestCounter++;
    return `C0DE:${requestCounter.toString(16).toUpperCase().padStart(6, "0")}`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.resume(); // drain any request body; nothing here reads one
    const method = req.method ?? "GET";
    // Joined rather than resolved, so a path like "//x" stays a path instead of becoming a host.
    const target = req.url ?? "/";
    const url = new URL(`${baseUrl}${target.startsWith("/") ? target : "/"}`);
    const pathname = url.pathname;
    const query = url.searchParams;
    const userAgent = req.headers["user-agent"];
    const authorization = req.headers.authorization;
    const authenticated = authorization !== undefined && options.token !== undefined && tokenFrom(authorization) === options.token;
    const bucket: RateBucketName = authenticated ? "authenticated" : "unauthenticated";
    const rawVersion = req.headers["x-github-api-version"];
    const versionHeader = (Array.isArray(rawVersion) ? rawVersion[0] : rawVersion)?.trim();
    const versionOk = versionHeader === undefined || SUPPORTED_VERSIONS.has(versionHeader);
    // Errors raised before the version check still report the version that will be used.
    const version = versionHeader !== undefined && versionOk ? versionHeader : DEFAULT_VERSION;
    const record: RequestRecord = {
      method,
      path: pathname,
      query: firstValues(query),
      status: 0,
      bytes: 0,
      authenticated,
      userAgent: userAgent ?? null,
      headerNames: [...new Set(Object.keys(req.headers))],
    };

    const send = (status: number, headers: Record<string, string>, body: Buffer | null): void => {
      const sent = method === "HEAD" || body === null ? 0 : body.length;
      if (body !== null) headers["content-length"] = String(body.length);
      record.status = status;
      record.bytes = sent;
      log.push(record);
      res.writeHead(status, headers);
      res.end(method === "HEAD" || body === null ? undefined : body);
      try {
        onRequest?.(record);
      } catch {
        // a test hook's failure must not break the server
      }
    };

    const apiHeaders = (selected: string | null, ok: boolean): Record<string, string> => {
      const h: Record<string, string> = {
        "content-type": JSON_TYPE,
        "x-github-media-type": "github.v3; format=json",
        ...limiter.headers(bucket),
      };
      if (selected !== null) h["x-github-api-version-selected"] = selected;
      h["x-github-request-id"] = requestId();
      h["vary"] = authenticated ? VARY_AUTH : VARY_ANON;
      // Errors must not be cached by intermediaries; successes mirror github.com (/events: 300 s observed).
      if (!ok) h["cache-control"] = "no-cache";
      else if (authenticated) h["cache-control"] = "private, max-age=60, s-maxage=60";
      else h["cache-control"] = pathname === "/events" ? "public, max-age=300, s-maxage=300" : "public, max-age=60, s-maxage=60";
      return h;
    };

    const sendJson = async (status: number, headers: Record<string, string>, body: Buffer, gz?: () => Promise<Buffer>): Promise<void> => {
      if (method !== "HEAD" && acceptsGzip(req.headers["accept-encoding"])) {
        const compressed = gz ? await gz() : await gzipAsync(body);
        headers["content-encoding"] = "gzip";
        send(status, headers, compressed);
      } else {
        send(status, headers, body);
      }
    };

    /** A counted JSON error in GitHub's basic-error shape. */
    const fail = (status: number, message: string, doc: string, selected: string | null, count = true): Promise<void> => {
      if (count) limiter.count(bucket);
      return sendJson(status, apiHeaders(selected, false), Buffer.from(errorBody(status, message, doc)));
    };

    // Faults come first so tests get exactly what they injected.
    const fault = faults.take(pathname, query);
    if (fault) {
      const headers: Record<string, string> = {};
      if (fault.secondary) Object.assign(headers, apiHeaders(version, false));
      Object.assign(headers, lowerKeys(fault.rule.headers));
      if (headers["content-type"] === undefined) headers["content-type"] = JSON_TYPE;
      return send(fault.rule.status, headers, Buffer.from(fault.rule.body ?? "", "utf8"));
    }

    // GitHub's edge refuses a missing User-Agent before the API sees the request (not counted, HTML body).
    if (requireUserAgent && !userAgent) {
      return send(403, { "content-type": "text/html" }, Buffer.from(USER_AGENT_HTML, "utf8"));
    }

    if (authorization !== undefined && !authenticated) {
      return fail(401, "Bad credentials", DOCS_REST, version);
    }

    if (limiter.exhausted(bucket)) {
      const ip = (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
      const who = authenticated ? { userId: index.userId(tokenUser) ?? 0 } : { ip };
      return fail(limitStatus, primaryLimitMessage(who), DOCS_RATE_LIMITS, version, false);
    }

    if (!versionOk) return fail(400, `API version ${String(versionHeader)} is not supported.`, DOCS_VERSIONS, null);

    if (method !== "GET" && method !== "HEAD") return fail(404, "Not Found", DOCS_REST, version);

    const feed = selectFeed(pathname, authenticated ? tokenUser : null);
    if (!feed) return fail(404, "Not Found", parseFeedPath(pathname) ? DOCS_EVENTS : DOCS_REST, version);

    const perPageDefault = defaultPerPage ?? (pathname === "/events" ? 15 : 30);
    const paging = parsePaging(query, perPageDefault, maxPerPage);
    const plan = planPage(feed.events.length, cap, paging);
    if (plan.beyondCap) return fail(422, PAGINATION_LIMIT_MESSAGE, DOCS_PAGINATION, version);

    const pageKey = `${feed.key}|${paging.perPage}|${paging.page}`;
    let entry = pageCache.get(pageKey);
    if (!entry) {
      const parts: string[] = [];
      for (let i = plan.start; i < plan.end; i++) parts.push(jsonOf(feed.events[i]!));
      const body = Buffer.from(`[${parts.join(",")}]`, "utf8");
      entry = { body, etag: `W/"${createHash("sha256").update(body).digest("hex")}"`, gz: null };
      if (pageCache.size >= PAGE_CACHE_MAX) pageCache.clear();
      pageCache.set(pageKey, entry);
    }
    const page = entry;

    const notModified = etagMatches(req.headers["if-none-match"], page.etag);
    // A 304 costs nothing only when the request was authenticated.
    if (!(notModified && authenticated)) limiter.count(bucket);
    const headers = apiHeaders(version, true);
    headers["etag"] = page.etag;
    headers["x-poll-interval"] = String(pollInterval);
    const link = linkHeader(baseUrl, url.pathname, query, paging.page, plan);
    if (link !== null) headers["link"] = link;
    if (notModified) {
      delete headers["content-type"];
      return send(304, headers, null);
    }
    return sendJson(200, headers, page.body, async () => (page.gz ??= await gzipAsync(page.body)));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": JSON_TYPE });
        res.end(JSON.stringify({ message: `mock GitHub: ${err instanceof Error ? err.message : String(err)}` }));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host: "127.0.0.1" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const invalidate = (): void => {
    feedCache.clear();
    pageCache.clear();
  };

  return {
    url: baseUrl,
    port,
    get requests() {
      return log;
    },
    get events() {
      return events;
    },
    world,
    tokenUser,
    fault(rule) {
      faults.add(rule);
    },
    clearFaults() {
      faults.clear();
    },
    exhaustRateLimit(opts = {}) {
      const which = opts.bucket ?? "both";
      if (which !== "unauthenticated") limiter.exhaust("authenticated", opts.resetInSecs);
      if (which !== "authenticated") limiter.exhaust("unauthenticated", opts.resetInSecs);
    },
    resetRateLimit() {
      limiter.reset();
    },
    rateLimit(authenticated = false) {
      return limiter.state(authenticated ? "authenticated" : "unauthenticated");
    },
    secondaryLimit(retryAfterSecs, times) {
      const headers: Record<string, string> = {};
      if (retryAfterSecs !== undefined) headers["retry-after"] = String(retryAfterSecs);
      const body = errorBody(limitStatus, secondaryLimitMessage(`C0DE:5EC0:${port.toString(16).toUpperCase()}`), DOCS_SECONDARY);
      const rule: FaultRule = { status: limitStatus, body, headers };
      if (times !== undefined) rule.times = times;
      faults.add(rule, true);
    },
    push(n = 1) {
      if (!Number.isSafeInteger(n) || n < 0) throw new Error("push: n must be a non-negative integer");
      const fresh = generator.next(n);
      events = [...fresh, ...events];
      index.addEvents(fresh);
      invalidate();
      return fresh;
    },
    resetLog() {
      log = [];
    },
    get onRequest() {
      return onRequest;
    },
    set onRequest(hook) {
      onRequest = hook;
    },
    feed(pathname, opts = {}) {
      const selected = selectFeed(pathname, opts.authenticated ? tokenUser : null);
      if (!selected) throw new Error(`mock GitHub: ${pathname} is not a feed (it would answer 404)`);
      return [...selected.events];
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
