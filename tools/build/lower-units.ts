// The MicroQuickJS polyfills and SWC helpers as units (engines/micro/polyfills/*.js:
// `//@unit Name…` / `//@helper name` sections, `//@needs`, `//@triggers`), and the RegExp features
// MicroQuickJS lacks. Kept apart from lower.ts so that compat.ts does not load SWC.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

export const POLYFILL_DIR = join(repoRoot, "engines", "micro", "polyfills");
/** Polyfill files, in the order their units are prepended. */
const POLYFILL_FILES = ["map.js", "object.js", "array.js", "string.js", "regexp.js", "number.js", "uri.js"];
const HELPER_FILE = "helpers.js";

// ---------------------------------------------------------------------------------------------
// Polyfill and helper units: `//@unit Name…` / `//@helper name` sections of the files above.

export interface Unit {
  /** First provided name (the unit's name). */
  name: string;
  provides: string[];
  needs: string[];
  /** Names whose presence in the code selects the unit (default: last segment of each provided name). */
  triggers: string[];
  code: string;
}

function loadUnits(file: string, marker: "unit" | "helper"): Unit[] {
  const units: Unit[] = [];
  let current: Unit | undefined;
  for (const line of readFileSync(join(POLYFILL_DIR, file), "utf8").split("\n")) {
    const head = /^\/\/@(unit|helper|needs|triggers)\s+(.+)$/.exec(line);
    const names = (head?.[2] ?? "").trim().split(/\s+/);
    if (head !== null && head[1] === marker) {
      current = { name: names[0] as string, provides: names, needs: [], triggers: names.map((p) => p.slice(p.lastIndexOf(".") + 1)), code: "" };
      units.push(current);
    } else if (head !== null && (head[1] === "needs" || head[1] === "triggers")) {
      if (current === undefined) throw new Error(`${file}: //@${head[1]} before any //@${marker}`);
      if (head[1] === "needs") current.needs.push(...names);
      else current.triggers = names;
    } else if (current !== undefined) {
      current.code += `${line}\n`;
    }
  }
  for (const u of units) u.code = `${u.code.trim()}\n`;
  return units;
}

let cachedUnits: { polyfills: Unit[]; helpers: Map<string, Unit> } | undefined;
export function units(): { polyfills: Unit[]; helpers: Map<string, Unit> } {
  if (cachedUnits === undefined) {
    const polyfills = POLYFILL_FILES.flatMap((f) => loadUnits(f, "unit"));
    const helpers = new Map(loadUnits(HELPER_FILE, "helper").map((u) => [u.name, u]));
    cachedUnits = { polyfills, helpers };
  }
  return cachedUnits;
}

/**
 * The code of the polyfill units providing `names` (and their dependencies), in prepend order;
 * all units when `names` is omitted. For tests and for engines that want the whole set.
 */
export function polyfillSource(names?: readonly string[]): string {
  const all = units().polyfills;
  if (names === undefined) return all.map((u) => u.code).join("");
  const wanted = new Set(names);
  const unknown = names.filter((n) => !all.some((u) => u.provides.includes(n)));
  if (unknown.length > 0) throw new Error(`no polyfill provides ${unknown.join(", ")}`);
  // Trigger exactly the units that provide the names (plus what they need).
  const chosen = pickPolyfillsBy((u) => u.provides.some((p) => wanted.has(p)));
  return chosen.map((u) => u.code).join("");
}

/** Every polyfilled built-in (`Map`, `Array.prototype.includes`, …): what compat.ts allows beyond the engine's own. */
export function polyfilledNames(): string[] {
  return units().polyfills.flatMap((u) => u.provides);
}

/** Why a helper SWC asked for has no MicroQuickJS version (what to write instead). */
export function pickPolyfills(names: ReadonlySet<string>): Unit[] {
  // A unit is triggered by the last segment of any name it provides (`includes` for
  // Array.prototype.includes): without types, `x.includes` may be either; an extra unit is harmless.
  return pickPolyfillsBy((u) => u.triggers.some((t) => names.has(t)));
}

function pickPolyfillsBy(selected: (u: Unit) => boolean): Unit[] {
  const all = units().polyfills;
  const chosen = new Set<string>();
  const byName = new Map<string, Unit>();
  for (const u of all) for (const p of u.provides) byName.set(p, u);
  const add = (u: Unit): void => {
    if (chosen.has(u.name)) return;
    chosen.add(u.name);
    for (const n of u.needs) {
      const dep = byName.get(n);
      if (dep === undefined) throw new Error(`polyfill ${u.name} needs unknown unit ${n}`);
      add(dep);
    }
  };
  for (const u of all) if (selected(u)) add(u);
  return all.filter((u) => chosen.has(u.name));
}

export function pickHelpers(requested: readonly string[]): Unit[] {
  const helpers = units().helpers;
  const chosen = new Set<string>();
  const add = (name: string): void => {
    if (chosen.has(name)) return;
    const u = helpers.get(name);
    if (u === undefined) throw new Error(`helper ${name} is not in ${HELPER_FILE}`);
    chosen.add(name);
    for (const n of u.needs) add(n);
  };
  for (const r of requested) add(r);
  // Declaration order of the file: deterministic, and dependencies need no particular order
  // (function declarations are hoisted; the one `var` helper has no dependents).
  return [...helpers.values()].filter((u) => chosen.has(u.name));
}

// ---------------------------------------------------------------------------------------------
// RegExp features MicroQuickJS' regexp engine lacks (mquickjs.c: re_parse_* / js_parse_regexp_flags)

/** Problems of a pattern and flags on MicroQuickJS (empty: fine). */
export function regexProblems(pattern: string, flags: string): { message: string; alternative: string }[] {
  const out: { message: string; alternative: string }[] = [];
  for (const f of flags) {
    if (!"gimsuy".includes(f)) out.push({ message: `the RegExp flag ${f} is not supported on MicroQuickJS`, alternative: f === "d" ? "compute offsets from match.index and the group lengths" : "write the pattern without the v flag (u works)" });
  }
  let inClass = false;
  let nonAsciiCased = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === "k" && pattern[i + 2] === "<") out.push({ message: "a named backreference (\\k<name>) is not supported on MicroQuickJS", alternative: "use a numbered backreference (\\1)" });
      if ((n === "p" || n === "P") && pattern[i + 2] === "{") out.push({ message: "Unicode property escapes (\\p{…}) are not supported on MicroQuickJS", alternative: "list the characters or ranges in a class" });
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") inClass = true;
    else if (c === "(" && pattern[i + 1] === "?") {
      const a = pattern[i + 2];
      const b = pattern[i + 3];
      if (a === "<" && (b === "=" || b === "!")) out.push({ message: "lookbehind ((?<=…), (?<!…)) is not supported on MicroQuickJS", alternative: "match the preceding text in a group and use the group after it" });
      else if (a === "<") out.push({ message: "named groups ((?<name>…)) are not supported on MicroQuickJS", alternative: "use a numbered group and match[n]" });
      else if (a !== ":" && a !== "=" && a !== "!") out.push({ message: "inline modifiers ((?i:…)) are not supported on MicroQuickJS", alternative: "use flags on the whole regular expression" });
    }
    if (c.charCodeAt(0) > 0x7f && c.toLowerCase() !== c.toUpperCase()) nonAsciiCased = true;
  }
  if (flags.includes("i") && nonAsciiCased) {
    out.push({ message: "case-insensitive matching of non-ASCII letters: MicroQuickJS folds ASCII letters only", alternative: "list both cases explicitly ([éÉ])" });
  }
  return out;
}
