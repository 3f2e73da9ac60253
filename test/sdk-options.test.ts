import assert from "node:assert/strict";
import { test } from "node:test";
import { boolOption, enumOption, intOption, optionSet, readOptions, requireOption } from "../sdk/options.js";
import { FakeContext } from "../testing/fake-host.js";

test("readOptions reads the right kind and asks the host once per key", () => {
  let calls = 0;
  const opts = optionSet({ get: (k) => (calls++, k === "a" ? "1" : null) }, "server");
  assert.equal(opts.get("a"), "1");
  assert.equal(opts.get("a"), "1");
  assert.equal(opts.get("b"), undefined);
  assert.equal(opts.get("b"), undefined);
  assert.equal(calls, 2);
  const ctx = new FakeContext({ server: { api_url: "http://s" }, table: { object: "events" } });
  assert.equal(readOptions(ctx, "server").get("api_url"), "http://s");
  assert.equal(readOptions(ctx, "table").get("object"), "events");
  assert.equal(readOptions(ctx, "table").get("api_url"), undefined);
});

test("requireOption: value, or an error naming the option, its kind and where to set it", () => {
  const table = readOptions(new FakeContext({ table: { object: "events", blank: "  " } }), "table");
  assert.equal(requireOption(table, "object"), "events");
  assert.throws(() => requireOption(table, "missing", "options (missing 'x')"), {
    message: "missing table option 'missing': it is required; set it with CREATE FOREIGN TABLE … OPTIONS (…) or ALTER FOREIGN TABLE … OPTIONS (ADD …), e.g. options (missing 'x')",
  });
  assert.throws(() => requireOption(table, "blank"), /missing table option 'blank'/);
  const server = readOptions(new FakeContext({}), "server");
  assert.throws(() => requireOption(server, "api_key"), /missing server option 'api_key'.*CREATE SERVER/);
});

test("intOption: default, parsing, bounds", () => {
  const o = optionSet({ get: (k) => ({ n: " 42 ", neg: "-3", bad: "4x", big: "1e3" })[k] ?? null }, "table");
  assert.equal(intOption(o, "unset", 7), 7);
  assert.equal(intOption(o, "n", 0), 42);
  assert.equal(intOption(o, "neg", 0), -3);
  assert.throws(() => intOption(o, "neg", 0, 0, 100), { message: "invalid table option neg '-3': expected an integer from 0 to 100" });
  assert.throws(() => intOption(o, "bad", 0), /invalid table option bad '4x'/);
  assert.throws(() => intOption(o, "big", 0), /expected an integer/);
});

test("boolOption and enumOption", () => {
  const o = optionSet({ get: (k) => ({ on: "ON", off: "false", bad: "maybe", mode: "fast" })[k] ?? null }, "server");
  assert.equal(boolOption(o, "on", false), true);
  assert.equal(boolOption(o, "off", true), false);
  assert.equal(boolOption(o, "unset", true), true);
  assert.throws(() => boolOption(o, "bad", false), { message: "invalid server option bad 'maybe': expected true or false" });
  assert.equal(enumOption(o, "mode", ["fast", "slow"] as const, "slow"), "fast");
  assert.equal(enumOption(o, "unset", ["fast", "slow"] as const, "slow"), "slow");
  assert.throws(() => enumOption(o, "on", ["fast", "slow"] as const, "slow"), /expected one of 'fast', 'slow'/);
});
