// Fake `supabase:wrappers/time@*`: a fixed clock (fakeHost.nowSecs) so tests are deterministic.
import { fakeHost, fakeNowSecs } from "../fake-host.js";

export { fakeNowSecs };

const time = {
  epochSecs: (): number => fakeHost.nowSecs,
  parseFromRfc3339: (s: string): number => {
    // chrono's RFC 3339 parser needs a date, a time and an offset.
    if (!/^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(s)) throw new Error("input contains invalid characters");
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw new Error("input is out of range");
    const frac = /\.(\d+)/.exec(s)?.[1] ?? "";
    return Math.floor(ms / 1000) * 1_000_000 + Number(frac.padEnd(6, "0").slice(0, 6));
  },
  parseFromStr: (): number => {
    throw new Error("parse-from-str is not faked");
  },
  epochMsToRfc3339: (micros: number): string => new Date(micros / 1000).toISOString(),
  sleep: (): void => {},
};
export default time;
export const { epochSecs, parseFromRfc3339, parseFromStr, epochMsToRfc3339, sleep } = time;
