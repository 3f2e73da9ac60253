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
  // chrono's to_rfc3339: "+00:00", and a fraction of 3 or 6 digits only when there is one.
  epochMsToRfc3339: (micros: number): string => {
    const frac = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
    const base = new Date((micros - frac) / 1000).toISOString().slice(0, 19);
    const digits = frac === 0 ? "" : frac % 1000 === 0 ? `.${String(frac / 1000).padStart(3, "0")}` : `.${String(frac).padStart(6, "0")}`;
    return `${base}${digits}+00:00`;
  },
  sleep: (): void => {},
};
export default time;
export const { epochSecs, parseFromRfc3339, parseFromStr, epochMsToRfc3339, sleep } = time;
