// Fake `supabase:wrappers/time@*`: a fixed clock so tests are deterministic.
export const fakeNowSecs = 1_705_314_600; // 2024-01-15T10:30:00Z

const time = {
  epochSecs: (): number => fakeNowSecs,
  parseFromRfc3339: (s: string): number => {
    const ms = Date.parse(s);
    if (Number.isNaN(ms)) throw new Error("input contains invalid characters");
    return ms * 1000;
  },
  parseFromStr: (): number => {
    throw new Error("parse-from-str is not faked");
  },
  epochMsToRfc3339: (micros: number): string => new Date(micros / 1000).toISOString(),
  sleep: (): void => {},
};
export default time;
export const { epochSecs, parseFromRfc3339, parseFromStr, epochMsToRfc3339, sleep } = time;
