// `tsfdw build [fdw-dir] [--out DIR] [--url URL] [--repo OWNER/NAME] [--release-files]`:
// resolve → type-check → bundle → componentize → borrow-fix → verify → report. Any failing stage
// stops the build with a message saying what failed; a component that would not load on the
// Supabase host (wrong imports/exports, async built-ins) is a failed build.
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { bundleGuest } from "./bundle.js";
import { compatStage } from "./compat.js";
import { fixBorrowDrops } from "./borrow-fix.js";
import { componentizeGuest } from "./componentize.js";
import { narrowWit } from "./narrow-wit.js";
import { compatibility, formatReport, writeOutputs, type BuildOutput } from "./report.js";
import { type FdwProject, resolveProject } from "./resolve.js";
import { releaseUrl } from "./sql.js";
import { typecheckGuest } from "./typecheck.js";
import { lowerForMicro } from "./lower.js";
import { sourceLocator } from "./sourcemap.js";
import { buildMicro } from "./micro/stage.js";
import { type Verification, describeFailure, verifyComponent } from "./verify.js";

export interface BuildArgs {
  fdwDir: string;
  /** Output directory; default dist/ of the project holding the FDW (see defaultOutDir). */
  outDir?: string;
  url?: string;
  repository?: string;
  releaseFiles: boolean;
  typecheck: boolean;
  /** Run the borrow-fix stage (default true; false gives the raw componentize-qjs output, for tests). */
  borrowFix?: boolean;
  /** `micro` (MicroQuickJS, engines/micro; the default) or `quickjs` (componentize-qjs). */
  engine?: Engine;
}

export type Engine = "quickjs" | "micro";
export const ENGINES: readonly Engine[] = ["quickjs", "micro"];

/**
 * The default engine: $TSFDW_BUILD_ENGINE (so whole test suites can build with either), else micro:
 * a sixth of quickjs' code, so a sixth of the compile time the Supabase host pays on every query,
 * with the same rows (test/engine-parity.test.ts).
 */
export function defaultEngine(): Engine {
  const e = process.env["TSFDW_BUILD_ENGINE"];
  if (e === undefined || e === "") return "micro";
  if (!(ENGINES as readonly string[]).includes(e)) throw new UsageError(`TSFDW_BUILD_ENGINE must be one of ${ENGINES.join(", ")}, got ${e}`);
  return e as Engine;
}

export class UsageError extends Error {}

export const BUILD_USAGE = `usage: tsfdw build [fdw-dir] [options]

Builds the FDW in fdw-dir (the directory holding fdw.json; default: the current directory if it
holds one, else fdw/github-events) into a Wasm component for the Supabase Wasm FDW host, verifies
it, and prints its size, sha256 and ready SQL.

options:
  --out DIR          output directory (default dist/ of the project: the nearest directory above
                     fdw-dir holding a package.json)
  --url URL          fdw_package_url for the printed SQL (default: the GitHub release URL)
  --repo OWNER/NAME  repository of the default release URL (default: $GITHUB_REPOSITORY, else fdw.json)
  --release-files    also write DIR/checksum.txt (bare sha256 hex) and DIR/README.txt (the SQL)
  --no-typecheck     skip the guest type-check (faster edit loops)
  --no-borrow-fix    skip the borrow fix (raw componentize-qjs output: borrowed handles are dropped
                     in post-return, which wasmtime >= 38 rejects; for tests)
  --engine E         micro (MicroQuickJS: about a sixth of the code to compile per query; ES5 guest
                     code after lowering, see engines/micro/README.md; the default, or
                     $TSFDW_BUILD_ENGINE) or quickjs (componentize-qjs, QuickJS-ng, ES2023)
`;


export function parseBuildArgs(argv: readonly string[]): BuildArgs {
  const args: BuildArgs = { fdwDir: defaultFdwDir(), releaseFiles: false, typecheck: true };
  let positional = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--out") args.outDir = value();
    else if (a === "--url") args.url = value();
    else if (a === "--repo") {
      const repo = value();
      if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError(`--repo must look like owner/name, got ${repo}`);
      args.repository = repo;
    } else if (a === "--release-files") args.releaseFiles = true;
    else if (a === "--no-typecheck") args.typecheck = false;
    else if (a === "--no-borrow-fix") args.borrowFix = false;
    else if (a === "--engine") {
      const e = value();
      if (!(ENGINES as readonly string[]).includes(e)) throw new UsageError(`--engine must be one of ${ENGINES.join(", ")}, got ${e}`);
      args.engine = e as Engine;
    }
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (positional++ === 0) args.fdwDir = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (args.outDir !== undefined && !isAbsolute(args.outDir)) args.outDir = resolve(process.cwd(), args.outDir);
  return args;
}

/** The current directory when it holds an FDW (a project made by `tsfdw new`), else the repository's GitHub FDW. */
export function defaultFdwDir(): string {
  return existsSync(join(process.cwd(), "fdw.json")) ? "." : "fdw/github-events";
}

/** dist/ of the nearest directory at or above the FDW's holding a package.json (the repository or the FDW's project). */
export function defaultOutDir(fdwDir: string): string {
  for (let d = fdwDir; ; d = dirname(d)) {
    if (existsSync(join(d, "package.json"))) return join(d, "dist");
    if (dirname(d) === d) return join(fdwDir, "dist");
  }
}

export interface BuildResult {
  project: FdwProject;
  output: BuildOutput;
  verification: Verification;
  jsBytes: number;
  report: string;
}

export class VerificationError extends Error {
  constructor(readonly verification: Verification) {
    super(describeFailure(verification));
  }
}

/** Runs every stage; throws (VerificationError for a bad component) on failure. */
export async function build(args: BuildArgs, log: (msg: string) => void = () => {}): Promise<BuildResult> {
  const started = Date.now();
  const project = resolveProject(args.fdwDir);
  log(`building ${project.name} ${project.version} from ${project.entry}`);
  const typecheckMs = args.typecheck ? typecheckGuest(project.entry).ms : 0;
  const engine = args.engine ?? defaultEngine();
  // What traps in the guest (Date.now(), new Date(), console, timers) or what the engine lacks
  // fails the build with file:line:column and the alternative.
  compatStage([project.entry], engine);
  if (engine === "micro") {
    // micro's glue drops borrowed handles before each export returns: there is no fix to skip.
    if (args.borrowFix === false) throw new UsageError("--no-borrow-fix applies to --engine quickjs only (micro components drop borrowed handles before returning)");
    return buildWithMicro(args, project, started, typecheckMs, log);
  }
  const bundle = await bundleGuest(project.entry, project);
  const wit = narrowWit(project.witDir, bundle.js);
  if (wit.dropped.length > 0) log(`imports narrowed to what the guest uses (dropped ${wit.dropped.join(", ")})`);
  let component: Awaited<ReturnType<typeof componentizeGuest>>;
  try {
    component = await componentizeGuest({ witDir: wit.witDir, world: project.world, js: bundle.js });
  } finally {
    wit.cleanup();
  }
  let wasm = component.wasm;
  if (args.borrowFix !== false) {
    let fixed: ReturnType<typeof fixBorrowDrops>;
    try {
      fixed = fixBorrowDrops(component.wasm);
    } catch (e) {
      // A component the host would reject anyway: report that rather than the unrecognised shape.
      const raw = verifyComponent(component.wasm);
      throw raw.ok ? e : new VerificationError(raw);
    }
    wasm = fixed.component;
    log(`borrow-fix: ${fixed.fixedExports.length} exports now drop their borrowed handles before returning (+${wasm.byteLength - component.wasm.byteLength} bytes)`);
  } else log("borrow-fix skipped (--no-borrow-fix): borrowed handles are dropped in post-return, which wasmtime >= 38 rejects");
  const verification = verifyComponent(wasm);
  if (!verification.ok) throw new VerificationError(verification);
  const repository = args.repository ?? process.env["GITHUB_REPOSITORY"] ?? project.repository;
  const url = args.url ?? releaseUrl(project, repository);
  const output = writeOutputs(project, wasm, args.outDir ?? defaultOutDir(project.dir), url, args.releaseFiles, compatibility(verification));
  const report = formatReport(project, output, bundle.bytes, verification, {
    typecheckMs,
    bundleMs: bundle.ms,
    componentizeMs: component.ms,
    totalMs: Date.now() - started,
  });
  return { project, output, verification, jsBytes: bundle.bytes, report };
}

/** CLI entry: prints the report on stdout, failures on stderr; returns the exit code. */
export async function runBuild(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(BUILD_USAGE);
    return 0;
  }
  try {
    const result = await build(parseBuildArgs(argv), (m) => process.stderr.write(`tsfdw build: ${m}\n`));
    process.stdout.write(`${result.report}`);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`tsfdw build failed: ${message}\n`);
    if (e instanceof UsageError) process.stderr.write(BUILD_USAGE);
    return e instanceof UsageError ? 2 : 1;
  }
}

/** `--engine micro`: bundle → ES5 script → bytecode → the cached engine component. */
async function buildWithMicro(args: BuildArgs, project: FdwProject, started: number, typecheckMs: number, log: (msg: string) => void): Promise<BuildResult> {
  // Source maps (esbuild's, composed by SWC) so that the lowering's and the bytecode compiler's
  // errors name the TypeScript file:line:column.
  const bundle = await bundleGuest(project.entry, project, { sourcemap: true });
  const loweredStart = Date.now();
  const lowered = lowerForMicro(bundle.js, { sourcemap: true, ...(bundle.map !== undefined ? { inputSourceMap: bundle.map } : {}), ...(bundle.mapBase !== undefined ? { sourceBase: bundle.mapBase } : {}) });
  const script = lowered.js;
  const lowerMs = Date.now() - loweredStart;
  const locate = lowered.map !== undefined && bundle.mapBase !== undefined ? sourceLocator(lowered.map, bundle.mapBase) : undefined;
  const micro = buildMicro(project, script, log, locate);
  log(`micro engine: variant ${micro.variant.key}, ${micro.bytecodeBytes} bytes of bytecode, ${micro.memoryMiB} MiB JS heap`);
  const verification = verifyComponent(micro.wasm);
  if (!verification.ok) throw new VerificationError(verification);
  const repository = args.repository ?? process.env["GITHUB_REPOSITORY"] ?? project.repository;
  const url = args.url ?? releaseUrl(project, repository);
  const output = writeOutputs(project, micro.wasm, args.outDir ?? defaultOutDir(project.dir), url, args.releaseFiles, compatibility(verification));
  const report = formatReport(project, output, Buffer.byteLength(script), verification, {
    typecheckMs,
    bundleMs: bundle.ms + lowerMs,
    componentizeMs: micro.ms,
    totalMs: Date.now() - started,
    engine: `micro (MicroQuickJS; ${micro.bytecodeBytes} bytes of bytecode)`,
  });
  return { project, output, verification, jsBytes: Buffer.byteLength(script), report };
}
