// Installing what the local Postgres host needs, idempotently and with caches outside the clone:
//   1. Debian's postgresql-15 + postgresql-server-dev-15 (+ libclang for pgrx's bindgen), via apt-get as root;
//   2. cargo-pgrx 0.16.1 into <cache>/cargo-pgrx, and `cargo pgrx init --pg15 <Debian pg_config>`
//      with PGRX_HOME=<cache>/pgrx;
//   3. the `tsfdw` extension (host/pg) built and installed into that Postgres
//      (`cargo pgrx install --release`, CARGO_TARGET_DIR=<cache>/pg-target), skipped when nothing changed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cacheDir, repoRoot } from "../paths.js";
import { mustRun, pidAlive, run, since, stderrLog, type Log } from "./proc.js";

export const PG_MAJOR = 15;
export const PG_BINDIR = process.env.TSFDW_PG_BINDIR ?? `/usr/lib/postgresql/${PG_MAJOR}/bin`;
export const PG_CONFIG = join(PG_BINDIR, "pg_config");
export const PGRX_VERSION = "0.16.1";

export const pgrxRoot = join(cacheDir, "cargo-pgrx");
export const cargoPgrxBin = join(pgrxRoot, "bin", "cargo-pgrx");
export const pgrxHome = join(cacheDir, "pgrx");
export const pgTargetDir = join(cacheDir, "pg-target");
export const logDir = join(cacheDir, "logs");
export const extensionDir = join(repoRoot, "host", "pg");

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

let aptUpdated = false;

/** `apt-get install` as root (after one `apt-get update` per process), or a clear error. */
async function aptInstall(packages: string[], why: string, log: Log): Promise<void> {
  if (!isRoot()) {
    throw new Error(
      `${why}: missing Debian packages ${packages.join(", ")}; install them as root ` +
        `(apt-get update && apt-get install -y ${packages.join(" ")}) or run this as root`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const logFile = join(logDir, "apt.log");
  if (!aptUpdated) {
    log(`apt-get update (log: ${logFile})`);
    await mustRun("apt-get", ["update"], { env, logFile });
    aptUpdated = true;
  }
  const t = process.hrtime.bigint();
  log(`apt-get install ${packages.join(" ")} (${why})`);
  await mustRun("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env, logFile });
  log(`installed ${packages.join(", ")} in ${(since(t) / 1000).toFixed(1)} s`);
}

function hasLibclang(): boolean {
  for (const dir of ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"]) {
    try {
      if (readdirSync(dir).some((f) => /^libclang(-[\d.]+)?\.so/.test(f))) return true;
    } catch {
      // no such dir
    }
  }
  try {
    return readdirSync("/usr/lib").some(
      (d) => d.startsWith("llvm-") && existsSync(join("/usr/lib", d, "lib", "libclang.so")),
    );
  } catch {
    return false;
  }
}

/** Debian's Postgres 15 server (for running) and its server headers + libclang (for building). */
export async function ensurePostgresPackages(opts: { forBuild?: boolean; log?: Log } = {}): Promise<void> {
  const log = opts.log ?? stderrLog;
  const missing: string[] = [];
  if (!existsSync(join(PG_BINDIR, "postgres")) || !existsSync(join(PG_BINDIR, "initdb"))) missing.push(`postgresql-${PG_MAJOR}`);
  if (opts.forBuild !== false) {
    if (!existsSync(`/usr/include/postgresql/${PG_MAJOR}/server/postgres.h`) || !existsSync(PG_CONFIG)) {
      missing.push(`postgresql-server-dev-${PG_MAJOR}`);
    }
    if (!hasLibclang()) missing.push("libclang-dev");
  }
  if (missing.length > 0) await aptInstall(missing, "local Postgres host", log);
}

/** cargo-pgrx 0.16.1 in the cache, and PGRX_HOME initialised for the Debian pg_config. */
export async function ensureCargoPgrx(opts: { log?: Log } = {}): Promise<void> {
  const log = opts.log ?? stderrLog;
  let installed = false;
  if (existsSync(cargoPgrxBin)) {
    const v = await run(cargoPgrxBin, ["pgrx", "--version"]);
    installed = v.code === 0 && v.stdout.includes(PGRX_VERSION);
  }
  if (!installed) {
    const logFile = join(logDir, "cargo-pgrx-install.log");
    const t = process.hrtime.bigint();
    log(`cargo install cargo-pgrx ${PGRX_VERSION} into ${pgrxRoot} (several minutes on 2 cores; log: ${logFile})`);
    await mustRun("cargo", ["install", "cargo-pgrx", "--version", PGRX_VERSION, "--locked", "--root", pgrxRoot], {
      // cargo-pgrx only drives cargo and pg_config; optimising it would cost minutes and save
      // milliseconds (the extension itself is still built with the release profile)
      env: {
        ...process.env,
        CARGO_PROFILE_RELEASE_OPT_LEVEL: "0",
        CARGO_PROFILE_RELEASE_LTO: "false",
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS: "16",
        CARGO_PROFILE_RELEASE_DEBUG: "0",
      },
      logFile,
    });
    log(`cargo-pgrx installed in ${(since(t) / 1000).toFixed(0)} s`);
  }
  const config = join(pgrxHome, "config.toml");
  const wanted = `pg${PG_MAJOR} = "${PG_CONFIG}"`;
  if (!existsSync(config) || !readFileSync(config, "utf8").includes(wanted)) {
    log(`cargo pgrx init --pg${PG_MAJOR} ${PG_CONFIG} (PGRX_HOME=${pgrxHome})`);
    mkdirSync(pgrxHome, { recursive: true });
    await mustRun(cargoPgrxBin, ["pgrx", "init", `--pg${PG_MAJOR}`, PG_CONFIG], {
      env: pgrxEnv(),
      logFile: join(logDir, "cargo-pgrx-init.log"),
    });
  }
}

/** Environment for cargo-pgrx commands. */
export function pgrxEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PGRX_HOME: pgrxHome,
    CARGO_TARGET_DIR: pgTargetDir,
    PATH: `${join(pgrxRoot, "bin")}:${process.env.PATH ?? ""}`,
  };
}

async function pgConfigValue(flag: string): Promise<string> {
  return (await mustRun(PG_CONFIG, [flag])).stdout.trim();
}

/** Where the built extension lands in the Debian Postgres. */
export async function installedExtensionFiles(): Promise<{ library: string; control: string }> {
  return {
    library: join(await pgConfigValue("--pkglibdir"), "tsfdw.so"),
    control: join(await pgConfigValue("--sharedir"), "extension", "tsfdw.control"),
  };
}

function listFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** Fingerprint of every input of the extension build (sources, manifests, lock files, toolchain). */
async function sourceFingerprint(): Promise<string> {
  const h = createHash("sha256");
  const files = [
    ...["Cargo.toml", "Cargo.lock", "tsfdw.control", ".cargo/config.toml"].map((f) => join(extensionDir, f)),
    ...listFiles(join(extensionDir, "src")),
    ...listFiles(join(extensionDir, "sql")),
    join(repoRoot, "host", "Cargo.toml"),
    join(repoRoot, "host", "core", "Cargo.toml"),
    ...listFiles(join(repoRoot, "host", "core", "src")),
    ...listFiles(join(repoRoot, "wit")),
  ];
  for (const f of files) {
    if (!existsSync(f)) continue;
    h.update(relative(repoRoot, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  const rustc = await run("rustc", ["--version"]);
  h.update(rustc.stdout).update(PGRX_VERSION).update(PG_CONFIG);
  return h.digest("hex");
}

export interface BuildResult {
  /** false when the installed build was already up to date */
  built: boolean;
  ms: number;
}

/**
 * Build host/pg and install it into the Debian Postgres (`cargo pgrx install --release`).
 * Skipped when the inputs did not change since the last successful install and the files are there.
 */
export async function buildAndInstallExtension(opts: { log?: Log; force?: boolean } = {}): Promise<BuildResult> {
  const log = opts.log ?? stderrLog;
  const t = process.hrtime.bigint();
  const files = await installedExtensionFiles();
  const stamp = join(cacheDir, "pg-extension.stamp");
  const fp = await sourceFingerprint();
  if (!opts.force && existsSync(files.library) && existsSync(files.control) && existsSync(stamp)) {
    if (readFileSync(stamp, "utf8").trim() === fp) return { built: false, ms: since(t) };
  }
  if (!isRoot()) {
    throw new Error(
      `the tsfdw extension must be (re)installed into ${files.library}, which needs root: ` +
        `run \`node out/tools/pg/cli.js setup\` as root`,
    );
  }
  const logFile = join(logDir, "pg-extension-build.log");
  log(`building the tsfdw Postgres extension (host/pg, pgrx ${PGRX_VERSION}, release; first build takes many minutes; log: ${logFile})`);
  await mustRun(cargoPgrxBin, ["pgrx", "install", "--release", "--pg-config", PG_CONFIG], {
    cwd: extensionDir,
    env: pgrxEnv(),
    logFile,
  });
  writeFileSync(stamp, `${fp}\n`);
  const ms = since(t);
  log(`tsfdw extension installed (${files.library}) in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, ms };
}

/**
 * Serialises setup across processes (node --test runs test files in parallel; apt-get and
 * `cargo pgrx install` must not run twice at once). A lock dir holding the owner's pid; a lock
 * whose owner is gone is taken over.
 */
async function withSetupLock<T>(log: Log, fn: () => Promise<T>): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, "pg-setup.lock");
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, "pid"), "utf8"));
      } catch {
        // being created: give its owner a moment
      }
      if (owner > 0 && !pidAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!waited) {
        log(`waiting for another tsfdw Postgres setup to finish (pid ${owner || "?"}, lock ${lock})`);
        waited = true;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** First line of our `wrappers` alias control file; a control file without it is someone else's. */
const ALIAS_MARKER = "# tsfdw: local stand-in for Supabase's `wrappers` extension";

/**
 * Installs `wrappers` as a second name of the tsfdw extension (same library and SQL), so the
 * seed's `create extension if not exists wrappers with schema extensions;` runs verbatim. Never
 * overwrites a real Supabase Wrappers installation: then only `tsfdw` is available.
 * Returns whether the alias is ours and present.
 */
export async function ensureWrappersAlias(log: Log = stderrLog): Promise<boolean> {
  const extDir = join(await pgConfigValue("--sharedir"), "extension");
  const control = join(extDir, "wrappers.control");
  if (existsSync(control) && !readFileSync(control, "utf8").startsWith(ALIAS_MARKER)) {
    log(`${control} belongs to another installation (Supabase Wrappers?): leaving it alone; use \`create extension tsfdw\``);
    return false;
  }
  const ours = readFileSync(join(extDir, "tsfdw.control"), "utf8");
  const version = /default_version\s*=\s*'([^']+)'/.exec(ours)?.[1];
  if (version === undefined) throw new Error(`no default_version in ${join(extDir, "tsfdw.control")}`);
  const wanted = `${ALIAS_MARKER} (the seed's SQL runs verbatim); same library as tsfdw\n${ours}`;
  const script = readFileSync(join(extDir, `tsfdw--${version}.sql`));
  const aliasScript = join(extDir, `wrappers--${version}.sql`);
  if (existsSync(control) && readFileSync(control, "utf8") === wanted && existsSync(aliasScript) && readFileSync(aliasScript).equals(script)) return true;
  if (!isRoot()) throw new Error(`installing the wrappers alias into ${extDir} needs root: run \`node out/tools/pg/cli.js setup\` as root`);
  writeFileSync(control, wanted);
  writeFileSync(aliasScript, script);
  log(`installed the \`wrappers\` alias of the tsfdw extension (${control})`);
  return true;
}

/** Everything needed before `startThrowawayPostgres()` can `create extension tsfdw`. */
export async function ensureLocalPostgresHost(opts: { log?: Log } = {}): Promise<BuildResult> {
  const log = opts.log ?? stderrLog;
  return withSetupLock(log, async () => {
    await ensurePostgresPackages({ log });
    await ensureCargoPgrx({ log });
    const built = await buildAndInstallExtension({ log });
    await ensureWrappersAlias(log);
    return built;
  });
}
