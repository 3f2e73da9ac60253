// sdk/json.ts: BOM, depth guard, errors with position and size, exact number texts (issue 8
// items 7, 9, 11). The engine-specific part (what QuickJS-ng prints) is covered through the built
// component in guest-hostile-*.test.ts; here Node's JSON plays the engine.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_JSON_DEPTH, parseJson, parseJsonExact, rawAt, stringifyJson, utf8Length } from "../sdk/json.js";

describe("parseJson", () => {
  test("a UTF-8 BOM is dropped", () => {
    assert.deepEqual(parseJson('\ufeff[{"a":1}]'), [{ a: 1 }]);
  });

  test("nesting deeper than the limit is an error with position and size, never a stack overflow", () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    assert.throws(() => parseJson(deep, { source: "GET http://h/x" }), { message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels at position ${MAX_JSON_DEPTH} of 10000 bytes from GET http://h/x` });
    const objects = '{"a":'.repeat(200) + "1" + "}".repeat(200);
    assert.throws(() => parseJson(objects, { maxDepth: 150 }), /nested deeper than 150 levels at position 750 of/);
    assert.ok(Array.isArray(parseJson("[".repeat(128) + "]".repeat(128))));
    // brackets inside strings do not count, escaped quotes do not end strings
    assert.doesNotThrow(() => parseJson(JSON.stringify(["[".repeat(1000), '\\"[[[[', "\\\\"])));
    assert.throws(() => parseJson(`["\\\\"${",[".repeat(300)}`), /nested deeper/);
  });

  test("errors: truncated vs invalid, position in bytes (UTF-8), what follows, empty bodies", () => {
    const cases: [string, RegExp][] = [
      ['[{"a":1}', /^truncated JSON at position 8 of 8 bytes$/],
      ['{"é":"ü', /^truncated JSON at position 9 of 9 bytes$/],
      ["[1,2,]", /^invalid JSON at position 5 of 6 bytes near "\]"$/],
      ['{"a" 1}', /^invalid JSON at position 5 of 7 bytes near "1}"$/],
      ["[1]x", /^invalid JSON at position 3 of 4 bytes near "x"$/],
      ['"a\\x"', /^invalid JSON at position 2 of 5 bytes near "\\\\x\\""$/],
      ["[tru", /^truncated JSON at position 4 of 4 bytes$/],
      ["[01]", /^invalid JSON at position 2 of 4 bytes/],
      ["<!doctype html>" + "x".repeat(100), /^invalid JSON at position 0 of 115 bytes near "<!doctype html>x{25}…"$/],
      ["\ufeff[1,", /^truncated JSON at position 6 of 6 bytes$/],
      ["", /^empty body instead of JSON \(0 bytes\)$/],
      [" \n", /^empty body instead of JSON \(2 bytes\)$/],
    ];
    for (const [text, re] of cases) assert.throws(() => parseJson(text), { message: re }, text);
  });

  test("linear on large input: a 20 MB string and 1 MB of escapes", () => {
    const big = JSON.stringify(["x".repeat(20_000_000), "\\\"".repeat(500_000)]);
    assert.equal((parseJson(big) as string[])[0]?.length, 20_000_000);
  });
});

describe("exact numbers", () => {
  test("texts that would not print back are kept and written back; the values are plain numbers", () => {
    const text = '{"a":1.10,"b":[1E+2,3,-0.0,{"x":12345678901234567890}],"c":"s\\"1.5","d":0.5,"e":-0,"f":1e400,"__proto__":{"z":2.50}}';
    const { value, raw } = parseJsonExact(text);
    const v = value as Record<string, unknown>;
    assert.equal(v["a"], 1.1);
    assert.deepEqual(v["b"], [100, 3, -0, { x: 12345678901234567000 }]);
    assert.equal(stringifyJson(value, raw), '{"a":1.10,"b":[1E+2,3,-0.0,{"x":12345678901234567890}],"c":"s\\"1.5","d":0.5,"e":-0,"f":1e400,"__proto__":{"z":2.50}}');
    assert.equal(stringifyJson(v["b"], rawAt(raw, "b")), "[1E+2,3,-0.0,{\"x\":12345678901234567890}]");
    assert.equal(stringifyJson(v["a"], rawAt(raw, "a")), "1.10");
    assert.equal(stringifyJson(v["d"], rawAt(raw, "d")), "0.5");
  });

  test("no annotations when every number prints back; a bare number document", () => {
    assert.equal(parseJsonExact('[1,2.5,-3,"1.10",{"a":1e-7}]').raw, undefined);
    assert.deepEqual(parseJsonExact("1.10"), { value: 1.1, raw: "1.10" });
  });

  test("a changed value is written as it is now; duplicate keys: the last one wins, as in JSON.parse", () => {
    const { value, raw } = parseJsonExact('{"a":1.10,"b":1.10,"d":{"x":1.10,"x":1.1},"e":{"y":2.0},"e":{"y":3.0}}');
    (value as Record<string, unknown>)["b"] = 2;
    assert.equal(stringifyJson(value, raw), '{"a":1.10,"b":2,"d":{"x":1.1},"e":{"y":3.0}}');
  });

  test("pretty-printed JSON: the same numbers, and depth errors at positions in the text as sent", () => {
    const value = { a: [1, { b: "x\ny: 2.50", c: 2.5 }], d: "\\", e: 0 };
    const pretty = JSON.stringify(value, null, 2).replace('"c": 2.5', '"c": 2.50').replace('"e": 0', '"e": 1E+2');
    const { raw } = parseJsonExact(pretty);
    assert.equal(stringifyJson(parseJsonExact(pretty).value, raw), '{"a":[1,{"b":"x\\ny: 2.50","c":2.50}],"d":"\\\\","e":1E+2}');
    assert.throws(() => parseJsonExact(`[\n${"[\n  ".repeat(200)}${"]".repeat(200)}\n]`), { message: /^JSON nested deeper than 128 levels at position 510 of 1004 bytes$/ });
  });

  test("arrays of numbers with escapes and strings around", () => {
    const text = '[["a\\\\",1.0,"]",2.50],{"k\\"ey":[0.10]}]';
    const { value, raw } = parseJsonExact(text);
    assert.equal(stringifyJson(value, raw), text.replace('"k\\"ey"', '"k\\"ey"'));
  });
});

test("utf8Length", () => {
  for (const s of ["", "abc", "é", "€", "😀", "aé€😀x", "x".repeat(10_000) + "é".repeat(5000)]) assert.equal(utf8Length(s), Buffer.byteLength(s), s.slice(0, 10));
});
