import assert from "node:assert/strict";
import { test } from "node:test";
import { defineRoutines, defineRoutinesV2 } from "../sdk/routines.js";
import { toError } from "../sdk/errors.js";
import { FakeContext, FakeRow } from "../testing/fake-host.js";

type Ctx = SupabaseWrappers.V1.Context;
type Row = SupabaseWrappers.V1.Row;
const ctx = new FakeContext({ table: { object: "events" } }) as unknown as Ctx;
const row = new FakeRow() as unknown as Row;

/** Calls fn and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

test("toError turns any thrown value into an Error with a non-empty string message", () => {
  assert.equal(toError(new TypeError("boom")).message, "boom");
  assert.equal(toError(new Error("")).message, "Error");
  assert.equal(toError("plain").message, "plain");
  assert.equal(toError("").message, "unknown error");
  assert.equal(toError(42).message, "non-Error value thrown: number 42");
  assert.equal(toError({}).message, "non-Error value thrown: object {}");
  assert.equal(toError(null).message, "non-Error value thrown: null");
  assert.equal(toError(undefined).message, "non-Error value thrown: undefined");
  assert.equal(toError({ message: "duck" }).message, "duck");
  assert.equal(Object.getPrototypeOf(toError(new RangeError("x"))), Error.prototype);
});

test("every routine turns non-Error throws into plain Errors (a non-Error throw would trap)", () => {
  const values: unknown[] = [42, {}, null, undefined, "text", new TypeError("t"), Symbol("s")];
  for (const v of values) {
    const r = defineRoutines({ name: "t" }, {
      init: () => {
        throw v;
      },
      beginScan: () => {
        throw v;
      },
      iterScan: () => {
        throw v;
      },
    });
    for (const call of [() => r.init(ctx), () => r.beginScan(ctx), () => r.iterScan(ctx, row)]) {
      const e = thrown(call);
      assert.ok(e instanceof Error, `threw ${String(e)}`);
      assert.equal(Object.getPrototypeOf(e), Error.prototype);
      assert.equal(typeof e.message, "string");
      assert.notEqual(e.message, "");
    }
  }
});

test("routines pass return values through", () => {
  let n = 0;
  const r = defineRoutines({ name: "t" }, { iterScan: () => (n++ < 1 ? 0 : null) });
  assert.equal(r.iterScan(ctx, row), 0);
  assert.equal(r.iterScan(ctx, row), null);
});

test("defaults: modify routines are read-only and name the table object", () => {
  const r = defineRoutines({ name: "github_events_fdw" }, {});
  const expected = "github_events_fdw: foreign table (object 'events') is read-only: INSERT, UPDATE and DELETE are not supported";
  assert.throws(() => r.beginModify(ctx), { message: expected });
  assert.throws(() => r.insert(ctx, row), { message: expected });
  assert.throws(() => r.update(ctx, { tag: "string", val: "1" }, row), { message: expected });
  assert.throws(() => r.delete(ctx, { tag: "string", val: "1" }), { message: expected });
  const noObject = new FakeContext({}) as unknown as Ctx;
  assert.throws(() => r.beginModify(noObject), { message: "github_events_fdw: this foreign table is read-only: INSERT, UPDATE and DELETE are not supported" });
  const broken = { getOptions: () => { throw 42; } } as unknown as Ctx;
  assert.throws(() => r.beginModify(broken), /this foreign table is read-only/);
});

test("defaults: init/endScan/endModify succeed (EXPLAIN calls end-scan without begin-scan), scans are not implemented", () => {
  const r = defineRoutines({ name: "x" }, {});
  assert.equal(r.init(ctx), undefined);
  assert.equal(r.endScan(ctx), undefined);
  assert.equal(r.endModify(ctx), undefined);
  assert.throws(() => r.beginScan(ctx), { message: "x: scanning is not implemented" });
  assert.throws(() => r.reScan(ctx), { message: "x: re-scan is not implemented" });
  assert.ok(!("importForeignSchema" in r), "v1 routines must not carry the v2 routine");
});

test("hostVersionRequirement never throws", () => {
  assert.equal(defineRoutines({ name: "x" }, {}).hostVersionRequirement(), "^0.1.0");
  assert.equal(defineRoutines({ name: "x", hostVersion: ">=0.1.5" }, {}).hostVersionRequirement(), ">=0.1.5");
  assert.equal(defineRoutines({ name: "x" }, { hostVersionRequirement: () => "^0.1.2" }).hostVersionRequirement(), "^0.1.2");
  const throwing = defineRoutines({ name: "x", hostVersion: "^0.1.0" }, {
    hostVersionRequirement: () => {
      throw 42;
    },
  });
  assert.equal(throwing.hostVersionRequirement(), "^0.1.0");
});

test("v2: import-foreign-schema defaults to a clear error, or runs the FDW's", () => {
  const stmt = { serverName: "s", remoteSchema: "r", localSchema: "l", listType: { tag: "all" as const }, tableList: [] };
  const v2ctx = ctx as unknown as SupabaseWrappers.V2.Context;
  assert.throws(() => defineRoutinesV2({ name: "x" }, {}).importForeignSchema(v2ctx, stmt), { message: "x: IMPORT FOREIGN SCHEMA is not supported" });
  const r = defineRoutinesV2({ name: "x" }, { importForeignSchema: (_c, s) => [`create foreign table ${s.localSchema}.t () server ${s.serverName}`] });
  assert.deepEqual(r.importForeignSchema(v2ctx, stmt), ["create foreign table l.t () server s"]);
});
