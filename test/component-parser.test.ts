// The component reader/verifier on crafted binaries (bad inputs the real toolchain rarely makes).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ComponentFormatError, parseComponent } from "../tools/component-parser.js";
import { verifyComponent } from "../tools/build/verify.js";

// ---- a tiny component encoder
const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const str = (s: string): number[] => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** An instance type exporting the given nullary functions. */
const instanceType = (funcs: string[]): number[] => [0x42, ...vec([[0x01, 0x40, 0x00, 0x01, 0x00], ...funcs.map((f) => [0x04, 0x00, ...str(f), 0x01, 0x00])])];

interface Spec {
  imports?: [string, string[]][];
  exports?: string[];
  canon?: number[][];
  nestedCanon?: number[][];
}
function component(spec: Spec): Uint8Array {
  const bytes: number[] = [...PREAMBLE];
  const imports = spec.imports ?? [];
  if (imports.length > 0) {
    bytes.push(...section(7, vec(imports.map(([, f]) => instanceType(f)))));
    bytes.push(...section(10, vec(imports.map(([name], i) => [0x00, ...str(name), 0x05, ...leb(i)]))));
  }
  if (spec.nestedCanon !== undefined) bytes.push(...section(4, [...PREAMBLE, ...section(8, vec(spec.nestedCanon))]));
  if (spec.canon !== undefined) bytes.push(...section(8, vec(spec.canon)));
  if (spec.exports !== undefined) bytes.push(...section(11, vec(spec.exports.map((e) => [0x00, ...str(e), 0x05, 0x00, 0x00]))));
  return Uint8Array.from(bytes);
}

const GOOD: Spec = {
  imports: [["supabase:wrappers/http@0.1.0", ["get", "error-for-status"]], ["supabase:wrappers/types@0.1.0", ["[method]row.push"]]],
  exports: ["supabase:wrappers/routines@0.1.0"],
  canon: [[0x01, 0x00, 0x00, ...vec([[0x03, 0x00], [0x00]])], [0x03, 0x00]],
};

describe("parseComponent", () => {
  test("reads imports with their functions, exports and canon definitions", () => {
    const info = parseComponent(component(GOOD));
    assert.deepEqual(info.imports, [
      { name: "supabase:wrappers/http@0.1.0", kind: "instance", functions: ["get", "error-for-status"] },
      { name: "supabase:wrappers/types@0.1.0", kind: "instance", functions: ["[method]row.push"] },
    ]);
    assert.deepEqual(info.exports, [{ name: "supabase:wrappers/routines@0.1.0", kind: "instance" }]);
    assert.deepEqual(info.canon, [{ op: "lower", options: ["memory", "utf8"] }, { op: "resource.drop", options: [] }]);
  });

  test("rejects non-components with a clear reason", () => {
    assert.throws(() => parseComponent(Buffer.from("hello world")), (e: unknown) => e instanceof ComponentFormatError && /missing \\0asm magic/.test(e.message));
    assert.throws(() => parseComponent(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])), /core WebAssembly module, not a component/);
    const good = component(GOOD);
    assert.throws(() => parseComponent(good.subarray(0, good.length - 3)), ComponentFormatError);
  });
});

describe("verifyComponent", () => {
  test("accepts supabase:wrappers imports with a routines export", () => {
    const v = verifyComponent(component(GOOD));
    assert.equal(v.ok, true, v.errors.join("; "));
    assert.equal(v.routinesVersion, "0.1.0");
    assert.equal(v.minWrappers, "0.4.0");
  });

  test("a wasi:* import fails verification, naming the import", () => {
    const v = verifyComponent(component({ ...GOOD, imports: [["wasi:cli/stdout@0.2.0", ["get-stdout"]], ...(GOOD.imports ?? [])] }));
    assert.equal(v.ok, false);
    assert.match(v.errors.join("\n"), /imports something other than supabase:wrappers.*: wasi:cli\/stdout@0\.2\.0$/m);
    assert.ok(v.imports.includes("wasi:cli/stdout@0.2.0"));
  });

  test("an unknown supabase interface or version fails", () => {
    const v = verifyComponent(component({ ...GOOD, imports: [["supabase:wrappers/http@0.3.0", []], ["supabase:wrappers/sql@0.1.0", []]] }));
    assert.equal(v.ok, false);
    assert.match(v.errors[0] ?? "", /supabase:wrappers\/http@0\.3\.0, supabase:wrappers\/sql@0\.1\.0/);
  });

  test("no routines export fails and lists what is exported", () => {
    const v = verifyComponent(component({ ...GOOD, exports: ["init", "my:pkg/routines@0.1.0"] }));
    assert.equal(v.ok, false);
    assert.match(v.errors.join("\n"), /does not export supabase:wrappers\/routines@0\.1\.0 or @0\.2\.0; exports: init, my:pkg\/routines@0\.1\.0/);
  });

  test("mixed package versions fail", () => {
    const v = verifyComponent(component({ ...GOOD, exports: ["supabase:wrappers/routines@0.2.0"] }));
    assert.equal(v.ok, false);
    assert.match(v.errors.join("\n"), /mixes supabase:wrappers package versions/);
  });

  test("async built-ins and async canonical options fail, also inside nested components", () => {
    const taskReturn = [0x09, 0x01, 0x00, ...vec([])];
    const asyncLift = [0x00, 0x00, 0x00, ...vec([[0x06], [0x07, 0x01]]), 0x00];
    const waitableNew = [0x1f];
    const v = verifyComponent(component({ ...GOOD, canon: [taskReturn, asyncLift], nestedCanon: [waitableNew] }));
    assert.equal(v.ok, false);
    const text = v.errors.join("\n");
    assert.match(text, /async\/thread built-ins the host lacks: waitable-set\.new, task\.return/);
    assert.match(text, /async canonical options on 1 lift\/lower/);
  });

  test("an unknown canon opcode is a failure, not a pass", () => {
    const v = verifyComponent(component({ ...GOOD, canon: [[0x7e]] }));
    assert.equal(v.ok, false);
    assert.match(v.errors[0] ?? "", /cannot read the component: unknown canonical definition opcode 0x7e/);
  });

  test("utils functions added in place raise the minimum Wrappers release", () => {
    const v = verifyComponent(component({ ...GOOD, imports: [["supabase:wrappers/utils@0.1.0", ["report-info", "get-vault-secret-by-name", "query-setting"]]] }));
    assert.equal(v.ok, true);
    assert.equal(v.minWrappers, "0.6.2");
    assert.equal(v.notes.length, 2);
    assert.match(v.notes[1] ?? "", /query-setting, which exists only on Wrappers >= 0\.6\.2/);
  });
});
