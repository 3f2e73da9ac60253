// The `tsfdw` command: help, unknown commands, and `scan` passing everything through to the runner
// (a stand-in script via TSFDW_RUNNER) with its stdio and exit code.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-cli-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tsfdw(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("help lists the commands; unknown commands exit 2", () => {
  const help = tsfdw(["help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /build \[fdw-dir\]/);
  assert.match(help.stdout, /scan COMPONENT/);
  const bad = tsfdw(["frobnicate"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
});

test("scan runs the runner with all arguments, forwarding output and exit code", () => {
  const fake = join(tmp, "fake-runner.sh");
  writeFileSync(fake, '#!/bin/sh\necho "args: $*"\necho "to stderr" >&2\nexit 7\n');
  chmodSync(fake, 0o755);
  const r = tsfdw(["scan", "x.wasm", "--table", "object=events", "--where", "id = '1'", "--format", "json"], { TSFDW_RUNNER: fake });
  assert.equal(r.status, 7);
  assert.equal(r.stdout, "args: scan x.wasm --table object=events --where id = '1' --format json\n");
  assert.equal(r.stderr, "to stderr\n");
});

test("build with a bad option explains and exits 2", () => {
  const r = tsfdw(["build", "--nope"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --nope/);
  assert.match(r.stderr, /usage: tsfdw build/);
});
