import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ColumnInfo, type TypeName, hostTime, pushRow, readColumns, rowPusher, toCell } from "../sdk/cells.js";
import { FakeContext, FakeRow } from "../testing/fake-host.js";

const col = (type: TypeName, name = "c"): ColumnInfo => ({ name, type, num: 1 });
const ALL_TYPES: TypeName[] = ["bool", "i8", "i16", "f32", "i32", "f64", "i64", "numeric", "string", "date", "timestamp", "timestamptz", "json", "uuid"];

describe("toCell", () => {
  test("absent (undefined) and null are SQL NULL for every type", () => {
    for (const t of ALL_TYPES) {
      assert.equal(toCell(undefined, col(t)), null, t);
      assert.equal(toCell(null, col(t)), null, t);
    }
  });

  test("bool", () => {
    assert.deepEqual(toCell(true, col("bool")), { tag: "bool", val: true });
    assert.deepEqual(toCell("FALSE", col("bool")), { tag: "bool", val: false });
    assert.throws(() => toCell(1, col("bool", "public")), /column "public" of type bool/);
  });

  test("integers: every width, numeric strings, range checks", () => {
    assert.deepEqual(toCell(-128, col("i8")), { tag: "i8", val: -128 });
    assert.deepEqual(toCell(32767, col("i16")), { tag: "i16", val: 32767 });
    assert.deepEqual(toCell("2147483647", col("i32")), { tag: "i32", val: 2147483647 });
    assert.deepEqual(toCell("10115855396", col("i64")), { tag: "i64", val: 10115855396 });
    assert.deepEqual(toCell(" -42 ", col("i64")), { tag: "i64", val: -42 });
    assert.deepEqual(toCell(5.0, col("i32")), { tag: "i32", val: 5 });
    assert.throws(() => toCell(128, col("i8")), /out of range -128\.\.127/);
    assert.throws(() => toCell(-32769, col("i16")), /out of range/);
    assert.throws(() => toCell(2147483648, col("i32")), /out of range/);
    assert.throws(() => toCell("9007199254740993", col("i64")), /out of range/);
    assert.throws(() => toCell(1.5, col("i32")), /expected an integer/);
    assert.throws(() => toCell("12abc", col("i64")), /expected an integer/);
    assert.throws(() => toCell(true, col("i32")), /expected an integer/);
  });

  test("floats and numeric", () => {
    assert.deepEqual(toCell(1.5, col("f32")), { tag: "f32", val: 1.5 });
    assert.deepEqual(toCell("2.25", col("f64")), { tag: "f64", val: 2.25 });
    assert.deepEqual(toCell("NaN", col("f64")), { tag: "f64", val: NaN });
    assert.deepEqual(toCell("12345.678", col("numeric")), { tag: "numeric", val: 12345.678 });
    assert.deepEqual(toCell(42, col("numeric")), { tag: "numeric", val: 42 });
    assert.throws(() => toCell(1e39, col("f32")), /out of range for real/);
    assert.throws(() => toCell("Infinity", col("numeric")), /finite number/);
    assert.throws(() => toCell("abc", col("f64")), /expected a number/);
    assert.throws(() => toCell({}, col("numeric")), /expected a number/);
  });

  test("text: strings as is, anything else as its JSON text", () => {
    assert.deepEqual(toCell("hello", col("string")), { tag: "string", val: "hello" });
    assert.deepEqual(toCell(22249084964, col("string")), { tag: "string", val: "22249084964" });
    assert.deepEqual(toCell(false, col("string")), { tag: "string", val: "false" });
    assert.deepEqual(toCell({ a: [1, "x"] }, col("string")), { tag: "string", val: '{"a":[1,"x"]}' });
  });

  test("json: any value as JSON text", () => {
    assert.deepEqual(toCell({ login: "octocat" }, col("json")), { tag: "json", val: '{"login":"octocat"}' });
    assert.deepEqual(toCell([1, 2], col("json")), { tag: "json", val: "[1,2]" });
    assert.deepEqual(toCell("text", col("json")), { tag: "json", val: '"text"' });
    assert.deepEqual(toCell(0, col("json")), { tag: "json", val: "0" });
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    assert.throws(() => toCell(cyclic, col("json", "payload")), /column "payload" of type json: not serialisable/);
  });

  test("date: seconds at 00:00 UTC", () => {
    assert.deepEqual(toCell("2024-01-15", col("date")), { tag: "date", val: Date.UTC(2024, 0, 15) / 1000 });
    assert.deepEqual(toCell("2024-01-15T22:00:00Z", col("date")), { tag: "date", val: Date.UTC(2024, 0, 15) / 1000 });
    assert.deepEqual(toCell(1705314600, col("date")), { tag: "date", val: Date.UTC(2024, 0, 15) / 1000 });
    assert.throws(() => toCell("yesterday", col("date", "day")), /column "day" of type date/);
  });

  test("timestamp and timestamptz: microseconds", () => {
    const micros = Date.UTC(2022, 5, 8, 23, 29, 25) * 1000;
    assert.deepEqual(toCell("2022-06-08T23:29:25Z", col("timestamp")), { tag: "timestamp", val: micros });
    assert.deepEqual(toCell("2022-06-09T01:29:25.000042+02:00", col("timestamptz")), { tag: "timestamptz", val: micros + 42 });
    assert.deepEqual(toCell(1654730965, col("timestamptz")), { tag: "timestamptz", val: micros });
    assert.deepEqual(toCell(1654730965.25, col("timestamp")), { tag: "timestamp", val: micros + 250_000 });
    assert.throws(() => toCell(true, col("timestamp")), /expected an RFC 3339 string or epoch seconds/);
  });

  test("uuid (v2): accepted forms normalised to lowercase hyphenated", () => {
    const want = { tag: "uuid", val: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" };
    assert.deepEqual(toCell("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", col("uuid")), want);
    assert.deepEqual(toCell("{a0eebc999c0b4ef8bb6d6bb9bd380a11}", col("uuid")), want);
    assert.deepEqual(toCell("urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", col("uuid")), want);
    assert.throws(() => toCell("not-a-uuid", col("uuid")), /expected a UUID/);
  });

  test("unsupported type: clear error", () => {
    assert.throws(() => toCell("x", col("other", "weird")), /column "weird" of type other: this column type is not supported/);
  });

  test("errors name the column, its type and a truncated value", () => {
    const long = "x".repeat(500);
    let err: unknown;
    try {
      toCell(long, col("timestamp", "created_at"));
    } catch (e) {
      err = e;
    }
    // A plain Error (no subclass: MicroQuickJS cannot extend Error).
    assert.ok(err instanceof Error && Object.getPrototypeOf(err) === Error.prototype);
    assert.match(err.message, /^cannot convert string "x{20,}…\(502 chars\) for column "created_at" of type timestamp: /);
    assert.ok(err.message.length < 250, err.message);
  });
});

describe("readColumns / pushRow", () => {
  const columns: [string, TypeName][] = [["id", "string"], ["public", "bool"], ["created_at", "timestamp"], ["missing", "json"]];

  test("readColumns reads name, type and attnum once", () => {
    const ctx = new FakeContext({ columns });
    const info = readColumns(ctx);
    assert.equal(ctx.columnCalls, 1);
    assert.deepEqual(info.map((c) => [c.name, c.type, c.num]), [["id", "string", 1], ["public", "bool", 2], ["created_at", "timestamp", 3], ["missing", "json", 4]]);
  });

  test("pushRow pushes one cell per column in order, NULL for absent keys", () => {
    const row = new FakeRow(columns);
    pushRow(row, readColumns(new FakeContext({ columns })), { created_at: "2022-06-08T23:29:25Z", id: "1", public: true, extra: 1 });
    assert.deepEqual(row.cells(), [
      { tag: "string", val: "1" },
      { tag: "bool", val: true },
      { tag: "timestamp", val: Date.UTC(2022, 5, 8, 23, 29, 25) * 1000 },
      null,
    ]);
  });

  test("inherited property names never match a column", () => {
    const cols: [string, TypeName][] = [["constructor", "string"], ["toString", "json"]];
    const row = new FakeRow(cols);
    pushRow(row, readColumns(new FakeContext({ columns: cols })), {});
    assert.deepEqual(row.cells(), [null, null]);
  });

  test("a failing column pushes nothing (no half rows)", () => {
    const row = new FakeRow(columns);
    assert.throws(() => pushRow(row, readColumns(new FakeContext({ columns })), { id: "1", public: "maybe" }), /column "public"/);
    assert.deepEqual(row.cells(), []);
  });
});

describe("host time parsers (hostTime, rowPusher)", () => {
  // A stand-in for the host's time.parse-from-rfc3339 (chrono): exact µs, throws on bad input.
  const calls: string[] = [];
  const time = {
    parseFromRfc3339(this: unknown, text: string): number {
      assert.equal(this, time, "called as a method of the host module");
      calls.push(text);
      const ms = Date.parse(text);
      if (!/Z|[+-]\d\d:\d\d$/.test(text) || Number.isNaN(ms)) throw new Error("input contains invalid characters");
      return ms * 1000;
    },
  };
  const parsers = hostTime(time);

  test("timestamps and dates go through the host's parser; a bare date is midnight UTC", () => {
    assert.deepEqual(toCell("2022-06-08T23:29:25Z", { name: "t", type: "timestamp", num: 1 }, parsers), { tag: "timestamp", val: Date.UTC(2022, 5, 8, 23, 29, 25) * 1000 });
    assert.deepEqual(toCell("2024-01-15", { name: "d", type: "date", num: 1 }, parsers), { tag: "date", val: Date.UTC(2024, 0, 15) / 1000 });
    assert.deepEqual(toCell("2024-01-15T23:30:00-05:00", { name: "d", type: "date", num: 1 }, parsers), { tag: "date", val: Date.UTC(2024, 0, 16) / 1000 });
    assert.deepEqual(calls, ["2022-06-08T23:29:25Z", "2024-01-15T00:00:00Z", "2024-01-15T23:30:00-05:00"]);
    assert.throws(() => toCell("yesterday", { name: "t", type: "timestamptz", num: 1 }, parsers), {
      message: 'cannot convert string "yesterday" for column "t" of type timestamptz: input contains invalid characters',
    });
  });

  test("rowPusher pushes like pushRow, with the given parsers and picker", () => {
    const columns: [string, TypeName][] = [["id", "string"], ["at", "timestamptz"]];
    const row = new FakeRow(columns);
    rowPusher(parsers)(row, readColumns(new FakeContext({ columns })), { id: "1", nested: { at: "2022-06-08T23:29:25Z" } }, (s, c) => (c.name === "at" ? (s["nested"] as { at: string }).at : s[c.name]));
    assert.deepEqual(row.cells(), [{ tag: "string", val: "1" }, { tag: "timestamptz", val: Date.UTC(2022, 5, 8, 23, 29, 25) * 1000 }]);
  });
});
