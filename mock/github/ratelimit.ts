// Primary rate limit: one fixed window per bucket (unauthenticated per IP, authenticated per user),
// reported through the x-ratelimit-* headers.

export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Window end, UTC epoch seconds (x-ratelimit-reset). */
  reset: number;
}

export type RateBucketName = "authenticated" | "unauthenticated";

interface Window {
  limit: number;
  used: number;
  reset: number;
}

const nowSecs = (): number => Math.floor(Date.now() / 1000);

export class RateLimiter {
  private readonly windows: Record<RateBucketName, Window>;

  constructor(
    limits: { unauthenticated: number; authenticated: number },
    private readonly windowSecs: number,
  ) {
    const reset = nowSecs() + windowSecs;
    this.windows = {
      unauthenticated: { limit: limits.unauthenticated, used: 0, reset },
      authenticated: { limit: limits.authenticated, used: 0, reset },
    };
  }

  /** The bucket's window, rolled over first if its reset time has passed. */
  private window(bucket: RateBucketName): Window {
    const w = this.windows[bucket];
    const now = nowSecs();
    if (now >= w.reset) {
      w.used = 0;
      w.reset = now + this.windowSecs;
    }
    return w;
  }

  exhausted(bucket: RateBucketName): boolean {
    const w = this.window(bucket);
    return w.used >= w.limit;
  }

  count(bucket: RateBucketName): void {
    const w = this.window(bucket);
    if (w.used < w.limit) w.used++;
  }

  state(bucket: RateBucketName): RateLimitState {
    const w = this.window(bucket);
    return { limit: w.limit, remaining: Math.max(0, w.limit - w.used), used: w.used, reset: w.reset };
  }

  headers(bucket: RateBucketName): Record<string, string> {
    const s = this.state(bucket);
    return {
      "x-ratelimit-limit": String(s.limit),
      "x-ratelimit-remaining": String(s.remaining),
      "x-ratelimit-used": String(s.used),
      "x-ratelimit-reset": String(s.reset),
      "x-ratelimit-resource": "core",
    };
  }

  /** Uses up the window; with resetInSecs the window ends that soon (so clients can wait it out). */
  exhaust(bucket: RateBucketName, resetInSecs?: number): void {
    const w = this.window(bucket);
    w.used = w.limit;
    // Rounded up so the window lasts at least resetInSecs, even just before a second boundary.
    if (resetInSecs !== undefined) w.reset = Math.ceil(Date.now() / 1000 + Math.max(1, resetInSecs));
  }

  reset(): void {
    for (const bucket of ["authenticated", "unauthenticated"] as const) {
      const w = this.windows[bucket];
      w.used = 0;
      w.reset = nowSecs() + this.windowSecs;
    }
  }
}
