// RFC 3339 parsing in plain JS, exact to the microsecond. Why not Date.parse: it keeps only
// milliseconds, accepts many non-RFC forms, and the guest has no Intl; the host's
// time.parse-from-rfc3339 costs a boundary crossing per value. Behaviour follows chrono's
// parse_from_rfc3339 (what the Supabase host uses): `T`, `t` or a space between date and time,
// `Z`/`z` or ±HH:MM offset, any number of fraction digits (truncated below the microsecond),
// second 60 accepted as a leap second.

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;
/**
 * Largest |seconds| whose microsecond value stays a safe integer (about years 1685–2255):
 * floor(MAX_SAFE_INTEGER / 1e6) - 1, written out so that bundles that don't use this module drop it.
 */
const MAX_SAFE_SECONDS = 9_007_199_253;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// One short message for every out-of-range field: callers show the offending text next to it.
const RANGE = "a date or time field is out of range";

function checkDate(year: number, month: number, day: number): void {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new Error(RANGE);
}

/** Seconds since the Unix epoch of a timestamp (throws with a reason when invalid). */
function parseParts(text: string): { seconds: number; micros: number } {
  const m = DATE_TIME.exec(text);
  if (m === null) throw new Error("expected an RFC 3339 timestamp such as 2024-01-15T10:30:00Z");
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  checkDate(year, month, day);
  let offsetSeconds = 0;
  const oh = Number(m[10] ?? 0);
  const om = Number(m[11] ?? 0);
  if (hour > 23 || minute > 59 || second > 60 || oh > 23 || om > 59) throw new Error(RANGE);
  if (m[9] !== undefined) offsetSeconds = (m[9] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  // Fraction digits past the sixth are truncated (chrono keeps nanoseconds, then µs = ns / 1000).
  const micros = m[7] === undefined ? 0 : Number(m[7].slice(0, 6).padEnd(6, "0"));
  const seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds;
  return { seconds, micros };
}

/** Microseconds since the Unix epoch (UTC) of an RFC 3339 timestamp; throws with a reason. */
export function parseRfc3339Micros(text: string): number {
  const { seconds, micros } = parseParts(text);
  if (Math.abs(seconds) > MAX_SAFE_SECONDS) {
    throw new Error("outside the microsecond range of a JS number (years 1685-2255)");
  }
  // seconds * 1e6 + micros is exact here; for negative instants the fraction still counts forward.
  return seconds * MICROS_PER_SECOND + micros;
}

/**
 * Seconds since the Unix epoch at 00:00 UTC of a date. Accepts `YYYY-MM-DD`, or an RFC 3339
 * timestamp, whose instant is reduced to its UTC calendar date.
 */
export function parseDateSeconds(text: string): number {
  const d = DATE_ONLY.exec(text);
  if (d !== null) {
    const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    checkDate(year, month, day);
    return daysFromCivil(year, month, day) * SECONDS_PER_DAY;
  }
  if (!DATE_TIME.test(text)) throw new Error("expected a date such as 2024-01-15 or an RFC 3339 timestamp");
  const { seconds } = parseParts(text);
  return Math.floor(seconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
}

// ---------------------------------------------------------------------------------------------
// Formatting: the other direction, for cell → JSON (writes, qual values) and messages. Plain
// arithmetic on the epoch (the guest has no usable Date: MicroQuickJS has no Date objects, and
// `new Date()` without arguments traps under componentize-qjs).

/** [year, month, day] of a day number since 1970-01-01 (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? "-" : "") + (s.length >= width ? s : "0".repeat(width - s.length) + s);
}

/** `YYYY-MM-DD` of the UTC calendar day holding `seconds` since the epoch (a date cell's value). */
export function formatDate(seconds: number): string {
  const [y, m, d] = civilFromDays(Math.floor(seconds / SECONDS_PER_DAY));
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

export interface TimestampFormat {
  /** Between date and time: `T` (default) or a space. */
  separator?: string;
  /** Appended: `+00:00` (default, as chrono's to_rfc3339), `Z`, ` UTC`, or "" for a wall-clock time. */
  zone?: string;
}

/**
 * RFC 3339 text of `micros` since the epoch in UTC: `2024-05-01T08:00:00+00:00`, with a fraction
 * only when there is one — 3 digits when it is whole milliseconds, else 6 (chrono's AutoSi, which
 * `time.epoch-ms-to-rfc3339` uses, so writes look the same with or without the host's function).
 */
export function formatTimestamp(micros: number, format: TimestampFormat = {}): string {
  const seconds = Math.floor(micros / MICROS_PER_SECOND);
  const frac = micros - seconds * MICROS_PER_SECOND;
  const t = seconds - Math.floor(seconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  const time = `${pad(Math.floor(t / 3600), 2)}:${pad(Math.floor(t / 60) % 60, 2)}:${pad(t % 60, 2)}`;
  const fraction = frac === 0 ? "" : frac % 1000 === 0 ? `.${pad(frac / 1000, 3)}` : `.${pad(frac, 6)}`;
  return `${formatDate(seconds)}${format.separator ?? "T"}${time}${fraction}${format.zone ?? "+00:00"}`;
}
