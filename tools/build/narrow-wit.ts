// Stage 3b — narrow the world's imports to what the bundled guest uses. componentize-qjs imports
// every function of every interface the world names, and the Supabase host links an import only if
// it has every function in it: a guest that imports `utils` whole needs Wrappers >= 0.6.2
// (query-setting) even if it never calls it. So the build copies the WIT to a temp dir, drops the
// interfaces the bundle never imports, and drops the functions its code never names.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface NarrowedWit {
  /** A temporary copy of the WIT directory; call `cleanup()` when done. */
  witDir: string;
  /** `supabase:wrappers/<iface>@<version>` the guest imports. */
  interfaces: string[];
  /** Functions dropped from imported interfaces, as `iface.function`. */
  dropped: string[];
  cleanup(): void;
}

const HOST_IMPORT = /["']supabase:wrappers\/([a-z][a-z0-9-]*)@(\d+\.\d+\.\d+)["']/g;
const WORLD_IMPORT = /^(\s*)import\s+supabase:wrappers\/([a-z][a-z0-9-]*)@(\d+\.\d+\.\d+)\s*;\s*$/;
const FUNC_LINE = /^\s*([a-z][a-z0-9-]*)\s*:\s*func\b.*;\s*$/;

const camel = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function witFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? witFiles(path) : name.endsWith(".wit") ? [path] : [];
  });
}

/** The file that defines `interface <iface>` in package supabase:wrappers@<version>. */
function interfaceFile(files: readonly string[], iface: string, version: string): string | undefined {
  const pkg = new RegExp(`^\\s*package\\s+supabase:wrappers@${version.replace(/\./g, "\\.")}\\s*;`, "m");
  const decl = new RegExp(`^\\s*interface\\s+${iface}\\s*\\{`, "m");
  return files.find((f) => {
    const text = readFileSync(f, "utf8");
    return pkg.test(text) && decl.test(text);
  });
}

/** Removes one interface's function declarations whose JS names do not occur in `js`. */
function dropUnusedFunctions(text: string, iface: string, js: string): { text: string; dropped: string[] } {
  const lines = text.split("\n");
  const dropped: string[] = [];
  let inside = false;
  let depth = 0;
  const kept = lines.filter((line) => {
    if (!inside) {
      if (new RegExp(`^\\s*interface\\s+${iface}\\s*\\{`).test(line)) {
        inside = true;
        depth = 1;
      }
      return true;
    }
    const fn = depth === 1 ? FUNC_LINE.exec(line) : null;
    depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
    if (depth === 0) inside = false;
    // A name anywhere in the minified bundle keeps the function: over-keeping is safe.
    if (fn?.[1] !== undefined && !new RegExp(`\\b${camel(fn[1])}\\b`).test(js)) {
      dropped.push(`${iface}.${fn[1]}`);
      return false;
    }
    return true;
  });
  return { text: kept.join("\n"), dropped };
}

export function narrowWit(witDir: string, js: string): NarrowedWit {
  const used = new Map<string, string>();
  for (const m of js.matchAll(HOST_IMPORT)) used.set(m[1] as string, m[2] as string);

  const tmp = mkdtempSync(join(tmpdir(), "tsfdw-wit-"));
  const cleanup = (): void => rmSync(tmp, { recursive: true, force: true });
  try {
    cpSync(witDir, tmp, { recursive: true });
    // The guest's own package (the world) lives in the top-level .wit files; deps/ holds the host's.
    const declared = new Set<string>();
    for (const name of readdirSync(tmp).filter((n) => n.endsWith(".wit"))) {
      const world = join(tmp, name);
      const text = readFileSync(world, "utf8")
        .split("\n")
        .filter((line) => {
          const m = WORLD_IMPORT.exec(line);
          if (m === null) return true;
          declared.add(`${m[2]}@${m[3]}`);
          return used.get(m[2] as string) === m[3] || m[2] === "types";
        })
        .join("\n");
      writeFileSync(world, text);
    }
    const missing = [...used].map(([i, v]) => `${i}@${v}`).filter((i) => !declared.has(i) && !i.startsWith("types@"));
    if (missing.length > 0) {
      throw new Error(`the guest imports supabase:wrappers/${missing.join(", supabase:wrappers/")} but its world does not: add an import line for it`);
    }

    const files = witFiles(tmp);
    const dropped: string[] = [];
    for (const [iface, version] of used) {
      // `types` holds resources whose methods the host calls through handles: keep it whole.
      if (iface === "types") continue;
      const file = interfaceFile(files, iface, version);
      if (file === undefined) throw new Error(`no WIT defines supabase:wrappers/${iface}@${version}`);
      const narrowed = dropUnusedFunctions(readFileSync(file, "utf8"), iface, js);
      writeFileSync(file, narrowed.text);
      dropped.push(...narrowed.dropped);
    }
    return { witDir: tmp, interfaces: [...used].map(([i, v]) => `supabase:wrappers/${i}@${v}`).sort(), dropped, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}
