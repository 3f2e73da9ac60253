// The `tsfdw` commands of the kit, without Postgres: help and usage errors of every command, `new`
// (what it writes), the runner commands (a stand-in runner via TSFDW_RUNNER records the argv:
// fdw.json's table and server options, --mock), `release` (tags per FDW) and `test` on a
// repository FDW.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { COMMAND_NAMES } from "../tools/cli/index.js";
import { createProject, kebab } from "../tools/cli/new.js";
import { repoRoot } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-kit-cli-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const FIXTURE = join(repoRoot, "test", "fixtures", "kit-fixture-fdw");

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tsfdw(args: readonly string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Result {
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), ...args], { encoding: "utf8", cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Async, for commands that serve a mock from their own process while the runner runs. */
function tsfdwAsync(args: readonly string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A stand-in runner printing its argv, one argument per line. */
const fakeRunner = join(tmp, "fake-runner.sh");
writeFileSync(fakeRunner, '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
chmodSync(fakeRunner, 0o755);

describe("help and usage", () => {
  test("tsfdw help lists every command, and every command has --help", () => {
    const help = tsfdw(["help"]);
    assert.equal(help.status, 0);
    for (const c of COMMAND_NAMES) {
      assert.match(help.stdout, new RegExp(`\\n  ${c} `), `help lists ${c}`);
      const r = tsfdw([c, "--help"]);
      assert.equal(r.status, 0, `${c} --help: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: tsfdw ${c}`), c);
    }
    assert.equal(tsfdw(["help", "dev"]).stdout, tsfdw(["dev", "--help"]).stdout);
  });

  test("unknown options and bad values exit 2 with the command's usage", () => {
    const cases: [string[], RegExp][] = [
      [["scan", "x.wasm", "--frobnicate"], /Unknown option '--frobnicate'/],
      [["dev", FIXTURE, "--sql", "a.sql", "--psql"], /--sql and --psql exclude each other/],
      [["new"], /give the directory to create/],
      [["new", join(tmp, "n"), "--name", "NoColon"], /--name must look like namespace:name/],
      [["new", join(tmp, "n2"), "--name", "acme:record"], /--name "record" is a WIT keyword/],
      [["scan", "x.wasm", "--server", "novalue"], /--server needs KEY=VALUE/],
      [["release", "--tag", "v9.9.9"], /no FDW is released by tag v9\.9\.9; the tags of the current versions are: github-events-v0\.1\.0 \(fdw\/github-events\)/],
    ];
    for (const [args, pattern] of cases) {
      const r = tsfdw(args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, new RegExp(`usage: tsfdw ${args[0]}`));
    }
  });
});

describe("tsfdw new", () => {
  test("writes a standalone project depending on this tsfdw by path", () => {
    const dir = join(tmp, "My Fdw");
    const r = tsfdw(["new", dir, "--name", "acme:crm-fdw"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^created .*: acme:crm-fdw, a read-write FDW/);
    assert.match(r.stdout, /npm install\n  npm test/);
    for (const f of ["package.json", "fdw.json", "tsconfig.json", "src/index.ts", "mock/api.ts", "mock/server.ts", "test/unit.test.ts", "test/runner.test.ts", "test/sql.test.ts", "test/tsconfig.json", "demo.sql", "README.md", ".gitignore", ".github/workflows/release.yml", "scripts/local-dev.sh"]) {
      assert.ok(existsSync(join(dir, f)), f);
    }
    assert.ok(statSync(join(dir, "scripts", "local-dev.sh")).mode & 0o100, "local-dev.sh is executable");
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; scripts: Record<string, string>; devDependencies: Record<string, string>; allowScripts: Record<string, boolean> };
    assert.equal(pkg.name, "my-fdw");
    assert.deepEqual(pkg.scripts, { build: "tsfdw build", test: "tsfdw test", dev: "tsfdw dev" });
    const spec = pkg.devDependencies["tsfdw"] as string;
    assert.match(spec, /^file:/);
    assert.equal(join(dir, spec.slice(5)), join(repoRoot), "the file: path leads to this tsfdw");
    assert.deepEqual(pkg.allowScripts, { [spec]: true });
    const fdw = JSON.parse(readFileSync(join(dir, "fdw.json"), "utf8")) as { name: string; sql: { server: string } };
    assert.equal(fdw.name, "acme:crm-fdw");
    assert.equal(fdw.sql.server, "crm_fdw_server");
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    assert.doesNotMatch(readme, /\{\{\w+\}\}/, "every placeholder is filled");
    assert.match(readme, /create server crm_fdw_server/);
    // The FDW's own code is the template's, untouched.
    assert.equal(readFileSync(join(dir, "src", "index.ts"), "utf8"), readFileSync(join(repoRoot, "templates", "fdw", "src", "index.ts"), "utf8"));
  });

  test("refuses a non-empty directory; names default from the directory", () => {
    const dir = join(tmp, "taken");
    mkdirSync(dir);
    writeFileSync(join(dir, "x"), "");
    const r = tsfdw(["new", dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exists and is not empty/);
    assert.equal(createProject(join(tmp, "2nd_Try")).name, "my-company:n2nd-try");
    assert.equal(kebab("Customers API v2"), "customers-api-v2");
    assert.equal(createProject(join(tmp, "git-dep"), { tsfdw: "github:acme/tsfdw" }).name, "my-company:git-dep");
    const gitPkg = JSON.parse(readFileSync(join(tmp, "git-dep", "package.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual(gitPkg["devDependencies"], { tsfdw: "github:acme/tsfdw" });
    assert.equal(gitPkg["allowScripts"], undefined);
  });
});

describe("runner commands", () => {
  test("a .wasm: the runner gets the arguments in the given order", () => {
    const r = tsfdw(["scan", "x.wasm", "--table", "object=events", "--where", "id = '1'", "--format", "json", "--engine", "strict"], { env: { TSFDW_RUNNER: fakeRunner } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split("\n").filter(Boolean), ["scan", "x.wasm", "--table", "object=events", "--where", "id = '1'", "--format", "json", "--engine", "strict"]);
  });

  test("an FDW directory: built, then its fdw.json table and server options go to the runner", () => {
    for (const [command, extra] of [["scan", ["--limit", "2"]], ["insert", ["--values", '{"id":1}']], ["update", ["--rowid", "1", "--values", "{}"]], ["delete", ["--rowid", "1"]]] as const) {
      const r = tsfdw([command, FIXTURE, "--server", "api_url=http://127.0.0.1:1", ...extra], { env: { TSFDW_RUNNER: fakeRunner } });
      assert.equal(r.status, 0, r.stderr);
      const argv = r.stdout.split("\n").filter(Boolean);
      assert.equal(argv[0], command);
      assert.match(argv[1] ?? "", /dist\/kit_fixture_fdw\.wasm$/);
      assert.deepEqual(argv.slice(2, 6), ["--server", "api_url=http://127.0.0.1:1", "--table", "rowid_column=id"], "the user's --server wins over fdw.json's");
      assert.deepEqual(argv.slice(6, 20), ["--column", "id:bigint", "--column", "name:text", "--column", "at:timestamptz", "--column", "day:date", "--column", "attrs:jsonb", "--column", "quals:text", "--column", "lim:text"]);
      assert.deepEqual(argv.slice(20), extra);
      assert.match(r.stderr, /building test:kit-fixture-fdw/);
    }
    const none = tsfdw(["scan", FIXTURE, "--foreign-table", "nope"], { env: { TSFDW_RUNNER: fakeRunner } });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no table nope in .*fdw\.json \(tables: items\)/);
  });

  test("--mock starts fdw.json's dev mock and uses dev.serverOptions", async () => {
    const dir = join(tmp, "with-mock");
    createProject(dir, { name: "acme:mocked" });
    mkdirSync(join(dir, "node_modules"));
    spawnSync("ln", ["-s", repoRoot, join(dir, "node_modules", "tsfdw")]);
    // A runner that asks the mock for a customer while tsfdw waits for it.
    const probe = join(tmp, "probe-runner.sh");
    writeFileSync(probe, '#!/bin/sh\nfor a in "$@"; do case "$a" in api_url=*) url="${a#api_url=}";; esac; done\ncurl -s -H "authorization: Bearer dev-key" "$url/customers/2"\n');
    chmodSync(probe, 0o755);
    const r = await tsfdwAsync(["scan", dir, "--mock"], { TSFDW_RUNNER: probe });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { name: string }).name, "Bo");
  });
});

describe("tsfdw release", () => {
  test("in Actions: the tagged FDW, its files, outputs for the release step and the release's own URL", () => {
    const out = join(tmp, "release-out");
    const outputs = join(tmp, "github-output");
    writeFileSync(outputs, "");
    const env = { GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/fdws", GITHUB_OUTPUT: outputs };
    const r = tsfdw(["release", "--tag", "github-events-v0.1.0", "--out", out], { env });
    assert.equal(r.status, 0, r.stderr);
    const dir = join(out, "github-events");
    const readme = readFileSync(join(dir, "README.txt"), "utf8");
    assert.match(readme, /fdw_package_url 'https:\/\/github\.com\/acme\/fdws\/releases\/download\/github-events-v0\.1\.0\/github_events_fdw\.wasm'/);
    assert.match(readme, new RegExp(`fdw_package_checksum '${readFileSync(join(dir, "checksum.txt"), "utf8")}'`));
    const o = Object.fromEntries(readFileSync(outputs, "utf8").trim().split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]));
    assert.equal(o["name"], "tsfdw:github-events-fdw");
    assert.deepEqual(o["files"]?.split(" ").map((f) => f.replace(/^.*\//, "")), ["github_events_fdw.wasm", "checksum.txt", "README.txt"]);
    assert.match(o["notes"] ?? "", /github-events\/README\.txt$/);
  });

  test("a project of its own: tag v<version>; another version is refused", () => {
    const dir = join(tmp, "own-release");
    createProject(dir, { name: "acme:own-fdw" });
    mkdirSync(join(dir, "node_modules"));
    spawnSync("ln", ["-s", repoRoot, join(dir, "node_modules", "tsfdw")]);
    const ok = tsfdw(["release", "--tag", "v0.1.0"], { cwd: dir });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^acme:own-fdw 0\.1\.0 \(tag v0\.1\.0\): dist\/release\/own_fdw\.wasm, dist\/release\/checksum\.txt, dist\/release\/README\.txt$/m);
    const bad = tsfdw(["release", "--tag", "v0.2.0"], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no FDW is released by tag v0\.2\.0; the tags of the current versions are: v0\.1\.0 \(\.\)/);
  });
});

describe("tsfdw test", () => {
  test("runs a repository FDW's tests only", () => {
    const r = tsfdw(["test", "fdw/github-events"]);
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    assert.match(r.stderr, /running .*fdw-github-events-feeds\.test\.js, .*fdw-github-events\.test\.js\n/);
    assert.doesNotMatch(r.stderr, /integration-|pg-/);
    assert.match(r.stdout, /# pass \d+\n# fail 0/);
  });
});
