// sdk/quals.ts: `=` / IN helpers take every cell type Postgres may pass for a constant, and compare
// keys exactly as text (a large id never passes through a double).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Cell } from "../sdk/cells.js";
import { cellText, qualMatches, readQuals, valueText } from "../sdk/quals.js";
import { FakeContext, type FakeQualInit } from "../testing/fake-host.js";

const one = (field: string, cell: Cell, operator = "="): FakeQualInit => ({ field, operator, value: { tag: "cell", val: cell } });
const list = (field: string, cells: Cell[]): FakeQualInit => ({ field, operator: "=", value: { tag: "array", val: cells }, useOr: true });
const quals = (...q: FakeQualInit[]) => readQuals(new FakeContext({ quals: q }));
/** A micro-engine s64 beyond 2^53: the host hands the guest the exact decimal string. */
const big = (digits: string): Cell => ({ tag: "i64", val: digits as unknown as number });

describe("cellText: every cell type Postgres passes as a constant", () => {
  test("integers of every width, and micro's decimal strings beyond 2^53 digit for digit", () => {
    assert.equal(cellText({ tag: "i8", val: -8 }), "-8");
    assert.equal(cellText({ tag: "i16", val: 32767 }), "32767");
    assert.equal(cellText({ tag: "i32", val: 7 }), "7");
    assert.equal(cellText({ tag: "i64", val: 9007199254740991 }), "9007199254740991");
    assert.equal(cellText(big("9007199254740993")), "9007199254740993");
    assert.equal(cellText(big("-9223372036854775808")), "-9223372036854775808");
    assert.equal(cellText(big("+0009223372036854775807")), "9223372036854775807");
    assert.equal(cellText({ tag: "i64", val: -0 }), "0");
  });

  test("f32, f64 and numeric: integral values as integers (7.0 is 7), others as JS prints the double", () => {
    assert.equal(cellText({ tag: "f64", val: 7 }), "7");
    assert.equal(cellText({ tag: "numeric", val: 7.5 }), "7.5");
    assert.equal(cellText({ tag: "f32", val: 0.5 }), "0.5");
    assert.equal(cellText({ tag: "numeric", val: 1e20 }), "100000000000000000000");
    assert.equal(cellText({ tag: "numeric", val: "12.50" as unknown as number }), "12.5");
  });

  test("bool, text, uuid, jsonb as they are; date and timestamps as RFC 3339 UTC", () => {
    assert.equal(cellText({ tag: "bool", val: false }), "false");
    assert.equal(cellText({ tag: "string", val: " a b " }), " a b ");
    assert.equal(cellText({ tag: "uuid", val: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" }), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    assert.equal(cellText({ tag: "json", val: '{"a":1}' }), '{"a":1}');
    assert.equal(cellText({ tag: "date", val: 1_704_067_200 }), "2024-01-01");
    assert.equal(cellText({ tag: "timestamp", val: 1_704_067_200_000_000 }), "2024-01-01T00:00:00+00:00");
    assert.equal(cellText({ tag: "timestamptz", val: 1_704_067_200_123_456 }), "2024-01-01T00:00:00.123456+00:00");
    assert.equal(cellText(null), null);
  });
});

describe("readQuals: = / IN on a column", () => {
  test("take: `id = 7` on a bigint arrives as i32, as i16 (int2 constant) or i64: the same value", () => {
    for (const cell of [{ tag: "i16", val: 7 }, { tag: "i32", val: 7 }, { tag: "i64", val: 7 }, { tag: "f64", val: 7 }, { tag: "numeric", val: 7 }] as Cell[]) {
      const q = quals(one("id", cell));
      assert.equal(q.take("id"), 7, cell.tag);
      assert.ok(q.allApplied());
      assert.deepEqual(quals(one("id", cell)).takeTexts("id"), ["7"], cell.tag);
    }
  });

  test("takeTexts: a large id (micro) stays exact; the same id as i64 and as text is one key", () => {
    assert.deepEqual(quals(one("id", big("12345678901234567891"))).takeTexts("id"), ["12345678901234567891"]);
    assert.equal(quals(one("id", big("12345678901234567891"))).take("id"), "12345678901234567891");
    // neighbours that one double cannot tell apart stay two keys
    assert.deepEqual(quals(list("id", [big("9007199254740993"), big("9007199254740992")])).takeTexts("id"), ["9007199254740993", "9007199254740992"]);
  });

  test("IN with mixed element types: integers of each width, numeric, text, dates; duplicates and NULL left out", () => {
    const q = quals(
      list("id", [
        { tag: "i32", val: 1 },
        { tag: "i64", val: 1 },
        { tag: "i16", val: 2 },
        big("90071992547409930"),
        { tag: "numeric", val: 3 },
        { tag: "f64", val: 4.25 },
        { tag: "string", val: "5" },
      ]),
    );
    assert.deepEqual(q.takeTexts("id"), ["1", "2", "90071992547409930", "3", "4.25", "5"]);
    assert.ok(q.allApplied());
    const d = quals(list("day", [{ tag: "date", val: 0 }, { tag: "date", val: 86_400 }, { tag: "date", val: 0 }]));
    assert.deepEqual(d.takeTexts("day"), ["1970-01-01", "1970-01-02"]);
    const withNull = readQuals(new FakeContext({ quals: [{ field: "id", operator: "=", value: { tag: "array", val: [{ tag: "i32", val: 1 }, null as unknown as Cell] }, useOr: true }] }));
    assert.deepEqual(withNull.takeTexts("id"), ["1"]);
  });

  test("not taken: `<> ALL`, a parameter, another operator, another column", () => {
    assert.equal(quals({ ...list("id", [{ tag: "i32", val: 1 }]), useOr: false }).takeTexts("id"), undefined);
    assert.equal(quals({ ...one("id", { tag: "i32", val: 1 }), param: { id: 1, typeOid: 20 } }).takeTexts("id"), undefined);
    assert.equal(quals(one("id", { tag: "i32", val: 1 }, ">")).takeTexts("id"), undefined);
    const q = quals(one("other", { tag: "i32", val: 1 }));
    assert.equal(q.takeTexts("id"), undefined);
    assert.equal(q.allApplied(), false);
  });
});

describe("qualMatches: an API's value against an = / IN qual", () => {
  test("large integer ids compare as text, never through a double", () => {
    const q = quals(one("id", big("9007199254740993"))).all[0]!;
    assert.equal(qualMatches(q, 9007199254740992, "9007199254740993"), true, "the raw text decides");
    assert.equal(qualMatches(q, 9007199254740992, "9007199254740992"), false);
    assert.equal(qualMatches(q, 9007199254740992), false, "a double alone is not the id");
    assert.equal(qualMatches(q, "9007199254740993"), true, "an id the API sends as a string");
  });

  test("integers of every width, decimals, numbers as strings and strings as numbers", () => {
    assert.equal(qualMatches(quals(one("n", { tag: "i16", val: 7 })).all[0]!, 7), true);
    assert.equal(qualMatches(quals(one("n", { tag: "numeric", val: 12.5 })).all[0]!, 12.5, "12.50"), true);
    assert.equal(qualMatches(quals(one("n", { tag: "numeric", val: 12.5 })).all[0]!, "12.500"), true);
    assert.equal(qualMatches(quals(one("n", { tag: "f64", val: 7 })).all[0]!, 7.0), true);
    assert.equal(qualMatches(quals(one("n", { tag: "string", val: "0042" })).all[0]!, 42), true);
    assert.equal(qualMatches(quals(one("n", { tag: "i32", val: 7 })).all[0]!, 8), false);
    assert.equal(qualMatches(quals(list("n", [{ tag: "i32", val: 1 }, big("18446744073709551615")])).all[0]!, 1.8446744073709552e19, "18446744073709551615"), true);
  });

  test("dates and timestamps as instants, whatever the API's spelling", () => {
    const ts = quals(one("t", { tag: "timestamptz", val: 1_704_067_200_000_000 })).all[0]!;
    assert.equal(qualMatches(ts, "2024-01-01T00:00:00Z"), true);
    assert.equal(qualMatches(ts, "2024-01-01T01:00:00+01:00"), true);
    assert.equal(qualMatches(ts, "2024-01-01T00:00:01Z"), false);
    const d = quals(one("d", { tag: "date", val: 1_704_067_200 })).all[0]!;
    assert.equal(qualMatches(d, "2024-01-01"), true);
    assert.equal(qualMatches(d, "2024-01-02"), false);
  });

  test("text, uuid and bool exactly; NULL and objects match nothing", () => {
    assert.equal(qualMatches(quals(one("s", { tag: "string", val: "a" })).all[0]!, "a"), true);
    assert.equal(qualMatches(quals(one("s", { tag: "string", val: "a" })).all[0]!, "A"), false);
    assert.equal(qualMatches(quals(one("b", { tag: "bool", val: true })).all[0]!, true), true);
    assert.equal(qualMatches(quals(one("b", { tag: "bool", val: true })).all[0]!, "true"), true);
    assert.equal(qualMatches(quals(one("s", { tag: "string", val: "a" })).all[0]!, null), false);
    assert.equal(qualMatches(quals(one("s", { tag: "string", val: "a" })).all[0]!, { a: 1 }), false);
  });

  test("valueText: exact number texts", () => {
    assert.equal(valueText(1.5), "1.5");
    assert.equal(valueText(12345678901234567000, "12345678901234567891"), "12345678901234567891");
    assert.equal(valueText(100, "1e2"), "100");
    assert.equal(valueText(-0), "0");
    assert.equal(valueText([1]), null);
  });
});
