// Injected failures: matched before any normal handling and answered verbatim.

export interface FaultRule {
  /** Exact pathname (no query), or a RegExp tested against the pathname. Absent: every path. */
  path?: string | RegExp;
  /** Only when these query parameters have these values (e.g. { page: "2" }). */
  query?: Record<string, string>;
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** How many requests it answers; absent: until clearFaults(). */
  times?: number;
}

/** Internal form; `secondary` rules add the caller's rate-limit headers when they fire. */
export interface ActiveFault {
  rule: FaultRule;
  remaining: number;
  secondary: boolean;
}

export class FaultList {
  private rules: ActiveFault[] = [];

  add(rule: FaultRule, secondary = false): void {
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new Error("fault times must be a positive integer");
    }
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY, secondary });
  }

  clear(): void {
    this.rules = [];
  }

  /** First matching rule (in the order added), consuming one of its uses. */
  take(pathname: string, query: URLSearchParams): ActiveFault | null {
    const i = this.rules.findIndex((f) => matches(f.rule, pathname, query));
    if (i < 0) return null;
    const f = this.rules[i]!;
    f.remaining--;
    if (f.remaining <= 0) this.rules.splice(i, 1);
    return f;
  }
}

function matches(rule: FaultRule, pathname: string, query: URLSearchParams): boolean {
  if (typeof rule.path === "string" && rule.path !== pathname) return false;
  if (rule.path instanceof RegExp) {
    rule.path.lastIndex = 0; // a /g or /y regex would otherwise alternate between matching and not
    if (!rule.path.test(pathname)) return false;
  }
  if (rule.query) {
    for (const [k, v] of Object.entries(rule.query)) if (query.get(k) !== v) return false;
  }
  return true;
}
