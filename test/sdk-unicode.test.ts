// Lone surrogates never reach the host (a WIT string is UTF-8; componentize-qjs traps on one).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toCell } from "../sdk/cells.js";
import { MAX_MESSAGE, safeError } from "../sdk/errors.js";
import { wellFormed } from "../sdk/unicode.js";

const isWellFormed = (s: string): boolean => Buffer.from(s, "utf8").toString("utf8") === s;

describe("wellFormed", () => {
  test("keeps well-formed text, pairs included, as it is", () => {
    for (const s of ["", "abc", "é€", "😀 x 😀", "\ud83d\ude00"]) assert.equal(wellFormed(s), s);
  });

  test("replaces each lone high or low surrogate, wherever it is, by U+FFFD", () => {
    assert.equal(wellFormed("\ud800"), "\ufffd");
    assert.equal(wellFormed("a\udfffb"), "a\ufffdb");
    assert.equal(wellFormed("\ud83d"), "\ufffd");
    assert.equal(wellFormed("x\ude00\ud83d"), "x\ufffd\ufffd");
    assert.equal(wellFormed("\ud800\ud83d\ude00\udc00"), "\ufffd\ud83d\ude00\ufffd");
    assert.equal(wellFormed("\udc00\ud800"), "\ufffd\ufffd"); // low before high is not a pair
  });
});

describe("cells and messages are well-formed", () => {
  test("text and json cells", () => {
    const col = { name: "c", type: "string" as const, num: 1 };
    assert.deepEqual(toCell("x\ud800y", col), { tag: "string", val: "x\ufffdy" });
    assert.deepEqual(toCell({ a: "\udfff" }, col), { tag: "string", val: '{"a":"\\udfff"}' });
    const json = toCell({ a: "\ud800" }, { ...col, type: "json" });
    assert.ok(json !== null && typeof json.val === "string" && isWellFormed(json.val), JSON.stringify(json));
  });

  test("a message cut between the halves of a pair, or quoting a lone surrogate", () => {
    const cut = safeError(new Error("a".repeat(MAX_MESSAGE - 1) + "😀".repeat(10)));
    assert.ok(isWellFormed(cut.message));
    assert.match(cut.message, /^a+\ufffd…\(\d+ chars\)$/);
    assert.equal(safeError("server said \ud800").message, "server said \ufffd");
  });
});
