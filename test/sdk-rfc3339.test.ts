import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { daysFromCivil, parseDateSeconds, parseRfc3339Micros } from "../sdk/rfc3339.js";

const us = (ms: number): number => ms * 1000;

describe("parseRfc3339Micros", () => {
  test("UTC with Z, lowercase z/t and a space separator", () => {
    const expected = us(Date.UTC(2024, 0, 15, 10, 30, 0));
    assert.equal(parseRfc3339Micros("2024-01-15T10:30:00Z"), expected);
    assert.equal(parseRfc3339Micros("2024-01-15t10:30:00z"), expected);
    assert.equal(parseRfc3339Micros("2024-01-15 10:30:00Z"), expected);
  });

  test("offsets move the instant to UTC", () => {
    assert.equal(parseRfc3339Micros("2024-01-15T16:00:00+05:30"), us(Date.UTC(2024, 0, 15, 10, 30)));
    assert.equal(parseRfc3339Micros("2024-01-15T05:30:00-05:00"), us(Date.UTC(2024, 0, 15, 10, 30)));
    assert.equal(parseRfc3339Micros("2024-01-15T10:30:00-00:00"), us(Date.UTC(2024, 0, 15, 10, 30)));
    assert.equal(parseRfc3339Micros("2024-01-01T00:30:00+01:00"), us(Date.UTC(2023, 11, 31, 23, 30)));
  });

  test("fractions are exact to the microsecond and truncated below it", () => {
    const base = us(Date.UTC(2024, 0, 15, 10, 30, 0));
    assert.equal(parseRfc3339Micros("2024-01-15T10:30:00.1Z"), base + 100_000);
    assert.equal(parseRfc3339Micros("2024-01-15T10:30:00.123456Z"), base + 123_456);
    assert.equal(parseRfc3339Micros("2024-01-15T10:30:00.123456789Z"), base + 123_456);
    assert.equal(parseRfc3339Micros("2024-01-15T10:30:00.000001Z"), base + 1);
    assert.equal(parseRfc3339Micros("2024-01-15T16:00:00.999999+05:30"), base + 999_999);
  });

  test("before the epoch the fraction still counts forward", () => {
    assert.equal(parseRfc3339Micros("1970-01-01T00:00:00Z"), 0);
    assert.equal(parseRfc3339Micros("1969-12-31T23:59:59.5Z"), -500_000);
    assert.equal(parseRfc3339Micros("1900-01-01T00:00:00Z"), us(Date.UTC(1900, 0, 1)));
  });

  test("leap years, leap seconds and month lengths", () => {
    assert.equal(parseRfc3339Micros("2024-02-29T00:00:00Z"), us(Date.UTC(2024, 1, 29)));
    assert.equal(parseRfc3339Micros("2000-02-29T00:00:00Z"), us(Date.UTC(2000, 1, 29)));
    assert.equal(parseRfc3339Micros("2016-12-31T23:59:60Z"), us(Date.UTC(2017, 0, 1)));
    for (const bad of ["2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z"]) {
      assert.throws(() => parseRfc3339Micros(bad), /out of range/, bad);
    }
  });

  test("rejects out-of-range fields and non-RFC 3339 forms", () => {
    for (const bad of ["2024-01-15T24:00:00Z", "2024-01-15T10:60:00Z", "2024-01-15T10:30:61Z", "2024-01-15T10:30:00+24:00", "2024-01-15T10:30:00+05:60"]) {
      assert.throws(() => parseRfc3339Micros(bad), /out of range/, bad);
    }
    for (const bad of ["2024-01-15", "2024-01-15T10:30Z", "2024-01-15T10:30:00", "2024-1-15T10:30:00Z", "2024-01-15T10:30:00+0530", "2024-01-15T10:30:00.Z", "not a date", ""]) {
      assert.throws(() => parseRfc3339Micros(bad), /expected an RFC 3339 timestamp/, bad);
    }
  });

  test("refuses instants whose microseconds are not exact JS numbers", () => {
    assert.throws(() => parseRfc3339Micros("2300-01-01T00:00:00Z"), /microsecond range/);
    assert.throws(() => parseRfc3339Micros("1600-01-01T00:00:00Z"), /microsecond range/);
    assert.ok(Number.isSafeInteger(parseRfc3339Micros("2250-12-31T23:59:59.999999Z")));
  });
});

describe("parseDateSeconds", () => {
  test("a date is 00:00 UTC of that day, in seconds", () => {
    assert.equal(parseDateSeconds("2024-01-15"), Date.UTC(2024, 0, 15) / 1000);
    assert.equal(parseDateSeconds("1969-12-31"), -86_400);
    assert.equal(parseDateSeconds("9999-12-31"), Date.UTC(9999, 11, 31) / 1000);
  });
  test("a timestamp is reduced to the UTC date of its instant", () => {
    assert.equal(parseDateSeconds("2024-01-15T23:30:00-05:00"), Date.UTC(2024, 0, 16) / 1000);
    assert.equal(parseDateSeconds("2024-01-15T00:00:00.5Z"), Date.UTC(2024, 0, 15) / 1000);
    assert.equal(parseDateSeconds("1969-12-31T12:00:00Z"), -86_400);
  });
  test("rejects invalid dates", () => {
    assert.throws(() => parseDateSeconds("2023-02-29"), /out of range/);
    assert.throws(() => parseDateSeconds("15/01/2024"), /expected a date/);
  });
});

test("daysFromCivil agrees with Date.UTC across eras", () => {
  for (const [y, m, d] of [[1970, 1, 1], [2000, 3, 1], [1600, 2, 29], [2400, 12, 31], [1, 1, 1], [1969, 12, 31]] as const) {
    const date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    assert.equal(daysFromCivil(y, m, d), Math.floor(date.getTime() / 86_400_000), `${y}-${m}-${d}`);
  }
});
