// `tsfdw new <dir> [--name org:name] [--tsfdw SPEC]`: a standalone FDW project from templates/fdw/
// — a read-write example FDW with its mock API, tests at three levels, a release workflow and a
// local-dev script — depending on this tsfdw (a `file:` path to where it lives, unless --tsfdw
// gives another npm spec, e.g. a git URL).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { packageNameProblem } from "../build/resolve.js";
import { repoRoot } from "../paths.js";
import { UsageError, guarded, parse, wantsHelp } from "./args.js";

export const USAGE = `usage: tsfdw new <dir> [--name org:name] [--tsfdw SPEC]

Creates a standalone FDW project in <dir> (new or empty): fdw.json, src/index.ts (a read-write FDW
for a customers REST API: paging, WHERE id = N pushed down, INSERT/UPDATE/DELETE by rowid, typed
columns), mock/ (that API on loopback), test/ (unit on the fake host, runner, local Postgres),
demo.sql, a release workflow, scripts/local-dev.sh (Supabase CLI) and a README with the SQL.

  --name org:name   the package name (fdw_package_name and WIT package; default my-company:<dir>)
  --tsfdw SPEC      how the project depends on tsfdw (default: file:<path of this tsfdw>), e.g.
                    github:OWNER/tsfdw

Then: cd <dir> && npm install && npm test
`;

const TEMPLATE = join(repoRoot, "templates", "fdw");
/** Template names that npm or git would not keep as they are. */
const RENAMES: Record<string, string> = { _gitignore: ".gitignore", _github: ".github" };
const TEXT = /\.(ts|json|md|sql|sh|yml|txt)$|^_gitignore$/;

/** `My FDW` → `my-fdw`: WIT kebab-case (words start with a letter). */
export function kebab(text: string): string {
  const words = text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== "");
  const fixed = words.map((w) => (/^[a-z]/.test(w) ? w : `n${w}`));
  return fixed.join("-") || "my-fdw";
}

export interface NewProject {
  dir: string;
  name: string;
  files: string[];
}

/** The tokens filled in the template's text files. */
function tokens(name: string, dir: string): Record<string, string> {
  const [org, part] = name.split(":") as [string, string];
  return {
    name,
    namePart: part,
    server: `${part.replaceAll("-", "_")}_server`,
    output: `${part.replaceAll("-", "_")}.wasm`,
    repository: `${org}/${basename(dir)}`,
    dir: basename(dir),
  };
}

function copyTree(from: string, to: string, values: Record<string, string>, files: string[]): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from).sort()) {
    const src = join(from, entry);
    const dst = join(to, RENAMES[entry] ?? entry);
    if (statSync(src).isDirectory()) {
      copyTree(src, dst, values, files);
      continue;
    }
    const data = readFileSync(src);
    writeFileSync(dst, TEXT.test(entry) ? data.toString("utf8").replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m) : data);
    if (entry.endsWith(".sh")) chmodSync(dst, 0o755);
    files.push(dst);
  }
}

/** Creates the project; throws if `dir` holds anything. */
export function createProject(dir: string, opts: { name?: string; tsfdw?: string } = {}): NewProject {
  const abs = resolve(dir);
  if (existsSync(abs) && (!statSync(abs).isDirectory() || readdirSync(abs).length > 0)) throw new UsageError(`${dir} exists and is not empty`, USAGE);
  const name = opts.name ?? `my-company:${kebab(basename(abs))}`;
  const problem = packageNameProblem(name);
  if (problem !== undefined) throw new UsageError(`--name ${problem}`, USAGE);
  const files: string[] = [];
  copyTree(TEMPLATE, abs, tokens(name, abs), files);
  // A file: path relative to the project, as npm records it (and as allowScripts must name it).
  const root = realpathSync(repoRoot);
  const spec = opts.tsfdw ?? `file:${relative(realpathSync(abs), root) || "."}`;
  const pkg = {
    name: kebab(basename(abs)),
    version: "0.1.0",
    private: true,
    type: "module",
    description: `${name}: a Postgres foreign data wrapper in TypeScript (a Wasm component for Supabase Wrappers)`,
    scripts: { build: "tsfdw build", test: "tsfdw test", dev: "tsfdw dev" },
    devDependencies: { tsfdw: spec },
    // tsfdw compiles its CLI when installed (its prepare script); npm asks projects to allow that.
    ...(spec.startsWith("file:") && { allowScripts: { [spec]: true } }),
  };
  writeFileSync(join(abs, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  files.push(join(abs, "package.json"));
  return { dir: abs, name, files };
}

export async function run(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(USAGE);
    return 0;
  }
  return guarded("new", async () => {
    const { values, positionals } = parse(argv, { name: { type: "string" }, tsfdw: { type: "string" } }, USAGE, 1);
    const dir = positionals[0];
    if (dir === undefined) throw new UsageError("give the directory to create", USAGE);
    const p = createProject(dir, { ...(values.name !== undefined && { name: values.name }), ...(values.tsfdw !== undefined && { tsfdw: values.tsfdw }) });
    const rel = relative(process.cwd(), p.dir) || ".";
    process.stdout.write(
      `created ${rel}: ${p.name}, a read-write FDW for a customers REST API, with a mock of the API, tests and a release workflow\n\n` +
        `next:\n` +
        `  cd ${rel}\n` +
        `  npm install\n` +
        `  npm test                        # unit (fake host), runner (wasmtime 36) and SQL (local Postgres) tests\n` +
        `  npm run dev -- --sql demo.sql   # build, start local Postgres and the mock API, run demo.sql\n` +
        `  npm run build                   # dist/<name>.wasm and the SQL for Supabase\n`,
    );
    return 0;
  });
}
