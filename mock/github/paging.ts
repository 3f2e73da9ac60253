// per_page/page parsing, the 300-event cap, and Link headers in GitHub's exact format.

export interface PageRequest {
  perPage: number;
  page: number;
}

/** Where a requested page falls relative to the data and the cap. */
export interface PagePlan {
  /** Slice of the (capped) feed to serve. */
  start: number;
  end: number;
  /** Last page that holds data (≥ 1); rel="last" points here, so it never passes the cap. */
  lastPage: number;
  /** Pages beyond this are refused with 422, even when the feed could fill them. */
  lastAllowedPage: number;
  beyondCap: boolean;
}

function positiveInt(raw: string | null): number | null {
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** Invalid values fall back to the defaults (as GitHub does); per_page is clamped to the maximum. */
export function parsePaging(query: URLSearchParams, defaultPerPage: number, maxPerPage: number): PageRequest {
  const perPage = Math.min(positiveInt(query.get("per_page")) ?? defaultPerPage, maxPerPage);
  return { perPage, page: positiveInt(query.get("page")) ?? 1 };
}

export function planPage(feedLength: number, cap: number, req: PageRequest): PagePlan {
  const available = Math.min(feedLength, cap);
  const lastAllowedPage = Math.max(1, Math.ceil(cap / req.perPage));
  const lastPage = Math.max(1, Math.ceil(available / req.perPage));
  const start = Math.min((req.page - 1) * req.perPage, available);
  const end = Math.min(req.page * req.perPage, available);
  return { start, end, lastPage, lastAllowedPage, beyondCap: req.page > lastAllowedPage };
}

/**
 * `<url>; rel="prev", <url>; rel="next", <url>; rel="last", <url>; rel="first"` (GitHub's order),
 * only the relations that apply; null when everything fits on the one page requested.
 * Other query parameters (per_page included) are kept and `page` goes last, like github.com.
 */
export function linkHeader(baseUrl: string, pathname: string, query: URLSearchParams, page: number, plan: PagePlan): string | null {
  const urlFor = (p: number): string => {
    const q = new URLSearchParams();
    for (const [k, v] of query) if (k !== "page") q.append(k, v);
    q.append("page", String(p));
    return `<${baseUrl}${pathname}?${q.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${urlFor(page - 1)}; rel="prev"`);
  if (page < plan.lastPage) {
    parts.push(`${urlFor(page + 1)}; rel="next"`);
    parts.push(`${urlFor(plan.lastPage)}; rel="last"`);
  }
  if (page > 1) parts.push(`${urlFor(1)}; rel="first"`);
  return parts.length > 0 ? parts.join(", ") : null;
}
