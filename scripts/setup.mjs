#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test`, `npm run build` and `npm run bench`.
// It installs and builds whatever the job uses and is missing (npm packages, the TypeScript
// output, the Rust runner, the local Postgres host), saying what it does on the long steps, then
// runs the requested job. Plain JS with
// no dependencies, because it must run before `npm ci` has.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [job = "help", ...args] = process.argv.slice(2);

const cacheDir = process.env.TSFDW_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tsfdw");
const cargoTarget = process.env.CARGO_TARGET_DIR ?? join(cacheDir, "cargo-target");

function say(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit", ...opts });
  if (r.error) {
    say(`could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  return r.status ?? 1;
}

function must(cmd, cmdArgs, opts) {
  const status = run(cmd, cmdArgs, opts);
  if (status !== 0) {
    say(`${cmd} ${cmdArgs.join(" ")} failed (exit ${status})`);
    process.exit(status);
  }
}

function checkNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) {
    say(`Node.js ${process.versions.node} is too old: tsfdw needs Node.js 20 or newer`);
    process.exit(1);
  }
}

// npm ci when node_modules is missing or older than the lock file.
function ensureNodeModules() {
  const lock = join(root, "package-lock.json");
  const installed = join(root, "node_modules", ".package-lock.json");
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  say("installing npm packages (npm ci)…");
  must("npm", ["ci", "--no-audit", "--no-fund"]);
}

function compileTypeScript() {
  say("compiling TypeScript (tsc)…");
  must(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"]);
}

function ensureRunner() {
  const probe = spawnSync("cargo", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    say("cargo (Rust) is not installed: install it with rustup (https://rustup.rs), then rerun");
    process.exit(1);
  }
  const bin = join(cargoTarget, "release", "tsfdw-runner");
  say(
    existsSync(bin)
      ? "checking the runner is up to date (cargo build --release)…"
      : `building the runner (wasmtime 36 and a strict current wasmtime; cargo build --release, the first build takes 10–15 minutes; cache: ${cargoTarget})…`,
  );
  must("cargo", ["build", "--release", "--locked", "--manifest-path", "host/Cargo.toml"], {
    env: { ...process.env, CARGO_TARGET_DIR: cargoTarget },
  });
}

// The micro engine (tsfdw build --engine micro): Debian's clang-14, lld-14 and wasi-libc (apt-get as
// root, only when missing), wit-bindgen-cli and wasm-tools from crates.io (cargo install into the
// cache), MicroQuickJS' C sources from crates.io, then the engine variants — built once, cached in
// <cache>/engines/micro-<hash of the inputs> (tools/build/micro/engine.ts).
function ensureMicroEngine() {
  say("checking the micro engine (MicroQuickJS; the first build installs clang/lld/wasi-libc and two cargo tools, then builds the engine: several minutes)…");
  must(process.execPath, [
    "--input-type=module",
    "-e",
    `import { ensureMicroEngine } from ${JSON.stringify(join(root, "out", "tools", "build", "micro", "engine.js"))};\n` +
      `ensureMicroEngine((m) => process.stderr.write("[setup] " + m + "\\n"));`,
  ]);
}

// Debian's Postgres 15, cargo-pgrx and the tsfdw extension (tools/pg/install.ts; cached, as root).
function ensurePostgresHost() {
  say("checking the local Postgres host (Postgres 15 + the tsfdw extension; the first setup takes many minutes)…");
  must(process.execPath, [join(root, "out", "tools", "pg", "cli.js"), "setup"]);
}

function testFiles() {
  const dir = join(root, "out", "test");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".test.js"))
    .sort()
    .map((f) => join("out", "test", f));
}

checkNode();
switch (job) {
  case "build":
    ensureNodeModules();
    compileTypeScript();
    // micro is the default engine; only an explicit quickjs build does without it.
    if (!(args.includes("quickjs") || process.env.TSFDW_BUILD_ENGINE === "quickjs")) ensureMicroEngine();
    process.exit(run(process.execPath, [join(root, "bin", "tsfdw.mjs"), "build", ...args]));
  case "start":
    ensureNodeModules();
    compileTypeScript();
    // Only what the demo uses: the runner (two wasmtimes, the longest build) for --runner, else
    // the Postgres host (which has its own copy of the host core).
    if (args.includes("--runner")) ensureRunner();
    else ensurePostgresHost();
    // the demo builds the FDW with the default engine (micro) unless quickjs is asked for
    if (process.env.TSFDW_BUILD_ENGINE !== "quickjs") ensureMicroEngine();
    process.exit(run(process.execPath, [join(root, "bin", "tsfdw.mjs"), "start", ...args]));
  case "test": {
    ensureNodeModules();
    compileTypeScript();
    ensureRunner();
    ensureMicroEngine();
    ensurePostgresHost();
    say("running the Rust host's unit tests (cargo test --release)…");
    must("cargo", ["test", "--release", "--locked", "--manifest-path", "host/Cargo.toml"], {
      env: { ...process.env, CARGO_TARGET_DIR: cargoTarget },
    });
    say("running the tests (node --test)…");
    const env = { ...process.env, CARGO_TARGET_DIR: cargoTarget };
    const all = run(process.execPath, ["--test", ...args, ...testFiles()], { env });
    // The runner integration suite again on the strict engine (current wasmtime): the same built
    // components must pass on both.
    say("running the runner integration suite on the strict engine (TSFDW_ENGINE=strict)…");
    const strict = run(process.execPath, ["--test", ...args, ...testFiles().filter((f) => /\/(integration-|component-runner)/.test(f))], {
      env: { ...env, TSFDW_ENGINE: "strict" },
    });
    process.exit(all !== 0 ? all : strict);
  }
  case "bench":
    ensureNodeModules();
    compileTypeScript();
    ensureRunner();
    ensureMicroEngine();
    ensurePostgresHost();
    process.exit(run(process.execPath, [join(root, "out", "bench", "bench.js"), ...args]));
  default:
    process.stdout.write("usage: node scripts/setup.mjs build|start|test|bench [args…]\n");
    process.exit(job === "help" ? 0 : 2);
}
