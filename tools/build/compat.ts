// Build-time compatibility check of guest sources, on the original TypeScript (so a finding names
// file:line:column a user can open) with TypeScript's own checker (TypeScript 7's API,
// `typescript/unstable/sync`: the tsgo process answers symbol and type queries in batches).
//
// On every engine: Date.now() / new Date() / performance.now() (they trap in the guest: no clock),
// console.* and timers (absent: a call traps). On `micro` (MicroQuickJS, ES5 + polyfills): every
// built-in the code uses must be in MicroQuickJS' standard library or the polyfills
// (compat-builtins.ts, engines/micro/polyfills); no generators, async, BigInt, `using`, classes
// extending built-ins, for…of / spread / array destructuring over non-arrays (by type), RegExp
// features MicroQuickJS' regexp engine lacks, and the few syntax and JSON differences listed below.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { API, type Checker, type Symbol as TsSymbol, type Type } from "typescript/unstable/sync";
import { type Node, type SourceFile, SyntaxKind } from "typescript/unstable/ast";
import { repoRoot } from "../paths.js";
import { LIB_OWNERS, MICRO_ALTERNATIVES, MICRO_NATIVE, MICRO_OWNER_ALTERNATIVES } from "./compat-builtins.js";
import { polyfilledNames, regexProblems } from "./lower-units.js";
import { guestCompilerOptions } from "./typecheck.js";

export type Engine = "quickjs" | "micro";

export interface Finding {
  /** Absolute path of the source file. */
  file: string;
  /** 1-based line and column (UTF-16 units) of the construct in the original source. */
  line: number;
  column: number;
  /** Engines the finding applies to: "all" (traps in every guest) or "micro". */
  engine: "all" | "micro";
  rule: string;
  message: string;
  /** What to write instead. */
  alternative: string;
}

/** One or more findings: the build fails with all of them listed. */
export class CompatError extends Error {
  constructor(
    readonly findings: Finding[],
    engine: Engine,
  ) {
    super(`the guest uses what the ${engine} engine cannot run (${findings.length} finding${findings.length === 1 ? "" : "s"}):\n${formatFindings(findings)}`);
  }
}

/** `sdk/cells.ts:65:1: class … extends Error … — instead: …`, one per line, paths relative to the repo (or cwd). */
export function formatFindings(findings: readonly Finding[], base = repoRoot): string {
  return findings
    .map((f) => {
      const rel = relative(base, f.file);
      const path = rel.startsWith("..") || isAbsolute(rel) ? f.file : rel;
      return `  ${path}:${f.line}:${f.column}: ${f.message}${f.engine === "micro" ? " [micro]" : ""}\n      instead: ${f.alternative}`;
    })
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Rules that hold on every engine

const NO_CLOCK = "time.epochSecs() from supabase:wrappers/time (the guest has no clock of its own)";
const ALL_ENGINES: Record<string, { message: string; alternative: string }> = {
  "Date.now": { message: "Date.now() traps in the guest", alternative: NO_CLOCK },
  "performance.now": { message: "performance.now() traps in the guest", alternative: NO_CLOCK },
  console: { message: "there is no console in the guest (a call traps)", alternative: "report with utils.reportInfo / utils.reportNotice from supabase:wrappers/utils, or throw an Error" },
  setTimeout: { message: "there are no timers in the guest", alternative: "the guest runs synchronously; time.sleep(ms) from supabase:wrappers/time waits" },
  setInterval: { message: "there are no timers in the guest", alternative: "the guest runs synchronously; loop, and time.sleep(ms) from supabase:wrappers/time between rounds" },
  setImmediate: { message: "there are no timers in the guest", alternative: "call the function directly" },
  clearTimeout: { message: "there are no timers in the guest", alternative: "the guest runs synchronously" },
  clearInterval: { message: "there are no timers in the guest", alternative: "the guest runs synchronously" },
  performance: { message: "there is no performance clock in the guest", alternative: NO_CLOCK },
};

// ---------------------------------------------------------------------------------------------

interface Pending {
  node: Node;
  sf: SourceFile;
}

class Collector {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  add(sf: SourceFile, node: Node, engine: "all" | "micro", rule: string, message: string, alternative: string): void {
    const pos = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const f: Finding = { file: sf.fileName, line: pos.line + 1, column: pos.character + 1, engine, rule, message, alternative };
    const key = `${f.file}:${f.line}:${f.column}:${rule}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(f);
  }
}

const LIB_FILE = /(^|[/\\])lib\.[\w.]+\.d\.ts$/;
const isTypeNode = (k: SyntaxKind): boolean => (k >= SyntaxKind.FirstTypeNode && k <= SyntaxKind.LastTypeNode) || k === SyntaxKind.TypeParameter;
const SKIPPED = new Set<SyntaxKind>([
  SyntaxKind.InterfaceDeclaration,
  SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.ImportDeclaration,
  SyntaxKind.ExportDeclaration,
]);

function text(n: Node | undefined, sf: SourceFile): string {
  return n === undefined ? "" : n.getText(sf);
}

/** Fields of the TS AST the walk reads (the API's node classes carry them; typed loosely here). */
type AnyNode = Node & Record<string, unknown>;
const field = (n: Node, name: string): AnyNode | undefined => (n as AnyNode)[name] as AnyNode | undefined;
const list = (n: Node, name: string): AnyNode[] => ((n as AnyNode)[name] as AnyNode[] | undefined) ?? [];

function hasModifier(n: Node, kind: SyntaxKind): boolean {
  return list(n, "modifiers").some((m) => m.kind === kind);
}

/**
 * Checks the guest's source files for what `engine` cannot run. `files` are the guest's entry (and
 * any other roots, e.g. esbuild's metafile inputs); every non-declaration source file of the
 * program they make (the FDW, the SDK, bundled JS) is checked. Findings are sorted by file and position.
 */
export function checkGuestCompat(files: readonly string[], engine: Engine): Finding[] {
  return run(files, engine).findings;
}

/** How a built-in is provided on micro. */
export type Provision = "native" | "polyfill" | "missing";

/**
 * Every built-in the guest's sources use (`Map`, `String.prototype.includes`, …) with the number
 * of uses and how micro provides it: to see what a guest depends on.
 */
export function listGuestBuiltins(files: readonly string[]): { name: string; uses: number; micro: Provision }[] {
  const used = run(files, "micro").used;
  const polyfilled = new Set(polyfilledNames());
  return [...used]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, uses]) => ({ name, uses, micro: MICRO_NATIVE.has(name) ? "native" : polyfilled.has(name) ? "polyfill" : "missing" }));
}

function run(files: readonly string[], engine: Engine): { findings: Finding[]; used: Map<string, number> } {
  const roots = files.map((f) => resolve(f));
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-compat-"));
  const api = new API({ cwd: dir });
  try {
    const config = join(dir, "tsconfig.json");
    const compilerOptions = { ...guestCompilerOptions(), allowJs: true, checkJs: false };
    writeFileSync(config, JSON.stringify({ compilerOptions, files: [...roots, join(repoRoot, "sdk", "wrappers.d.ts")] }));
    const snapshot = api.updateSnapshot({ openProject: config });
    const project = snapshot.getProjects()[0];
    if (project === undefined) throw new Error("compat check: TypeScript opened no project");
    const program = project.program;
    const checker = project.checker;
    const sources: SourceFile[] = [];
    for (const name of [...program.getSourceFileNames()].sort()) {
      if (name.endsWith(".d.ts") || LIB_FILE.test(name)) continue;
      const sf = program.getSourceFile(name);
      if (sf !== undefined) sources.push(sf);
    }
    const c = new Collector();
    const walker = new Walker(c, engine);
    for (const sf of sources) walker.walk(sf, sf);
    walker.resolve(checker);
    const findings = c.findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
    return { findings, used: walker.used };
  } finally {
    api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The compat stage of `tsfdw build`: throws CompatError listing every finding. */
export function compatStage(files: readonly string[], engine: Engine): { ms: number } {
  const started = Date.now();
  const findings = checkGuestCompat(files, engine);
  if (findings.length > 0) throw new CompatError(findings, engine);
  return { ms: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------

class Walker {
  /** Identifiers in expression position (global built-ins) and member names (built-in members). */
  private readonly globals: Pending[] = [];
  private readonly members: Pending[] = [];
  /** Expressions that must be arrays on micro: what and why. */
  private readonly arrays: (Pending & { what: string; strings: boolean })[] = [];
  /** `class … extends X`: X must not be a built-in on micro. */
  private readonly bases: (Pending & { cls: string; at: Node })[] = [];
  /** `new Date(...)` / `new Error(...)` / `JSON.x(...)` / `re.replace` calls: checked once the callee resolves. */
  private readonly calls: Pending[] = [];
  private readonly micro: boolean;
  /** Built-ins used (ES names) and how often. */
  readonly used = new Map<string, number>();

  constructor(
    private readonly c: Collector,
    engine: Engine,
  ) {
    this.micro = engine === "micro";
  }

  private microOnly(sf: SourceFile, n: Node, rule: string, message: string, alternative: string): void {
    if (this.micro) this.c.add(sf, n, "micro", rule, message, alternative);
  }

  walk(n: Node, sf: SourceFile): void {
    if (isTypeNode(n.kind) || SKIPPED.has(n.kind)) return;
    if (hasModifier(n, SyntaxKind.DeclareKeyword)) return;
    this.visit(n, sf);
    n.forEachChild((child) => {
      // Type annotations, `implements` clauses and type arguments are skipped by kind; the
      // expression part of `extends` is walked.
      this.walk(child, sf);
      return undefined;
    });
  }

  private visit(n: Node, sf: SourceFile): void {
    const parent = n.parent as Node | undefined;
    switch (n.kind) {
      case SyntaxKind.Identifier: {
        // A reference (not a declaration name, not a member name after a dot).
        if (parent !== undefined && isReference(n, parent)) this.globals.push({ node: n, sf });
        break;
      }
      case SyntaxKind.PropertyAccessExpression:
        this.members.push({ node: field(n, "name") as Node, sf });
        break;
      case SyntaxKind.ElementAccessExpression: {
        const arg = field(n, "argumentExpression");
        if (arg !== undefined && (arg.kind === SyntaxKind.StringLiteral || arg.kind === SyntaxKind.NoSubstitutionTemplateLiteral)) this.members.push({ node: arg, sf });
        break;
      }
      case SyntaxKind.CallExpression:
      case SyntaxKind.NewExpression:
        this.calls.push({ node: n, sf });
        break;
      case SyntaxKind.ForOfStatement:
        if (field(n, "awaitModifier") !== undefined) this.microOnly(sf, n, "async", "for await…of: the guest API is synchronous", "a plain for…of over an array");
        this.arrays.push({ node: field(n, "expression") as Node, sf, what: "for…of", strings: false });
        break;
      case SyntaxKind.SpreadElement:
        this.arrays.push({ node: field(n, "expression") as Node, sf, what: "spread (...)", strings: true });
        break;
      case SyntaxKind.VariableDeclaration:
      case SyntaxKind.Parameter:
      case SyntaxKind.BindingElement: {
        const name = field(n, "name");
        const init = field(n, "initializer");
        if (name?.kind === SyntaxKind.ArrayBindingPattern && init !== undefined) this.arrays.push({ node: init, sf, what: "array destructuring", strings: true });
        break;
      }
      case SyntaxKind.BinaryExpression: {
        const op = field(n, "operatorToken")?.kind;
        const left = field(n, "left");
        if (op === SyntaxKind.EqualsToken && left?.kind === SyntaxKind.ArrayLiteralExpression) this.arrays.push({ node: field(n, "right") as Node, sf, what: "array destructuring", strings: true });
        if (op === SyntaxKind.InKeyword && left?.kind === SyntaxKind.PrivateIdentifier) {
          this.microOnly(sf, n, "private-in", "`#field in obj` is not supported on micro (private fields are lowered to properties)", "use instanceof");
        }
        break;
      }
      case SyntaxKind.FunctionDeclaration:
      case SyntaxKind.FunctionExpression:
      case SyntaxKind.MethodDeclaration:
      case SyntaxKind.ArrowFunction: {
        if (field(n, "asteriskToken") !== undefined) this.microOnly(sf, n, "generator", "generators (function*) are not supported on MicroQuickJS", "return an array, or take a callback");
        if (hasModifier(n, SyntaxKind.AsyncKeyword)) this.microOnly(sf, n, "async", "async functions are not supported on MicroQuickJS (the guest API is synchronous)", "a plain function: host calls return their results directly");
        if (n.kind === SyntaxKind.FunctionDeclaration && parent !== undefined && (parent.kind === SyntaxKind.Block || parent.kind === SyntaxKind.CaseClause || parent.kind === SyntaxKind.DefaultClause) && !isFunctionBody(parent)) {
          this.microOnly(sf, n, "block-function", "a function declaration inside a block is a syntax error on MicroQuickJS", "declare it at the function's top level, or `const f = (…) => …` in the block");
        }
        const name = field(n, "name");
        if (n.kind === SyntaxKind.MethodDeclaration && name !== undefined && text(name, sf) === "toJSON") this.toJSON(n, sf);
        break;
      }
      case SyntaxKind.PropertyAssignment: {
        const name = field(n, "name");
        if (name !== undefined && text(name, sf) === "toJSON") this.toJSON(n, sf);
        break;
      }
      case SyntaxKind.YieldExpression:
        this.microOnly(sf, n, "generator", "yield (generators) is not supported on MicroQuickJS", "return an array, or take a callback");
        break;
      case SyntaxKind.AwaitExpression:
        this.microOnly(sf, n, "async", "await is not supported on MicroQuickJS (the guest API is synchronous)", "call the host function directly: it returns its result");
        break;
      case SyntaxKind.BigIntLiteral:
        this.microOnly(sf, n, "bigint", "BigInt literals are not supported on MicroQuickJS", "a number (exact to 2^53) or a decimal string");
        break;
      case SyntaxKind.DebuggerStatement:
        this.microOnly(sf, n, "debugger", "debugger is a syntax error on MicroQuickJS", "remove it");
        break;
      case SyntaxKind.VariableDeclarationList: {
        // NodeFlags: Using = 4, AwaitUsing = 6.
        if ((n.flags & 4) !== 0) this.microOnly(sf, n, "using", "`using` declarations are not supported on MicroQuickJS", "call the resource's drop() in a finally block");
        break;
      }
      case SyntaxKind.ArrayLiteralExpression:
        if (list(n, "elements").some((e) => e.kind === SyntaxKind.OmittedExpression)) {
          this.microOnly(sf, n, "array-hole", "an array literal with holes ([a, , b]) is a syntax error on MicroQuickJS (arrays cannot have holes)", "write undefined for the missing element");
        }
        break;
      case SyntaxKind.ObjectLiteralExpression: {
        const props = list(n, "properties");
        if (props.some((p) => p.kind === SyntaxKind.SpreadAssignment) && props.some((p) => p.kind === SyntaxKind.GetAccessor || p.kind === SyntaxKind.SetAccessor)) {
          this.microOnly(sf, n, "spread-accessor", "a getter or setter in an object literal that also spreads becomes a plain value on micro", "build the object, then Object.defineProperty(obj, name, { get })");
        }
        break;
      }
      case SyntaxKind.RegularExpressionLiteral: {
        if (!this.micro) break;
        const t = text(n, sf);
        const slash = t.lastIndexOf("/");
        for (const p of regexProblems(t.slice(1, slash), t.slice(slash + 1))) this.c.add(sf, n, "micro", "regexp", p.message, p.alternative);
        break;
      }
      case SyntaxKind.ClassDeclaration:
      case SyntaxKind.ClassExpression: {
        for (const h of list(n, "heritageClauses")) {
          if (h["token"] !== SyntaxKind.ExtendsKeyword) continue;
          for (const t of list(h, "types")) {
            const e = field(t, "expression");
            if (e !== undefined) this.bases.push({ node: e, sf, cls: text(field(n, "name"), sf) || "(anonymous)", at: field(n, "name") ?? n });
          }
        }
        break;
      }
      case SyntaxKind.MetaProperty:
        if (text(n, sf) === "import.meta") this.microOnly(sf, n, "import-meta", "import.meta is not available in a guest", "pass the value in");
        break;
    }
  }

  private toJSON(n: Node, sf: SourceFile): void {
    this.microOnly(sf, n, "toJSON", "MicroQuickJS' JSON.stringify ignores toJSON methods", "convert the value yourself before JSON.stringify");
  }

  /** Asks the checker about everything collected, in a few batched calls. */
  resolve(checker: Checker): void {
    const libOwners = new LibOwners(checker);
    // Calls first: `new Date()` is one finding, not also "Date is not available".
    const covered = this.checkCalls(checker);
    // Members: a built-in member resolves to a symbol declared in a lib file.
    const memberSymbols = this.members.length > 0 ? checker.getSymbolAtLocation(this.members.map((m) => m.node)) : [];
    const coveredObjects = covered;
    this.members.forEach((m, i) => {
      const s = memberSymbols[i];
      if (s === undefined || !isLib(s)) return;
      const keys = libOwners.keysOf(s, m.node);
      if (keys.length === 0) return;
      const object = field(m.node.parent as Node, "expression");
      if (object !== undefined) coveredObjects.add(object);
      for (const key of keys) this.builtin(key, m, m.node.parent as Node);
    });
    // Global references: `Map`, `encodeURIComponent`, `console`, … (not when a member access on it was judged).
    const globalSymbols = this.globals.length > 0 ? checker.getSymbolAtLocation(this.globals.map((g) => g.node)) : [];
    this.globals.forEach((g, i) => {
      if (coveredObjects.has(g.node)) return;
      const s = globalSymbols[i];
      const name = text(g.node, g.sf);
      if (s === undefined || s.declarations.every((d) => d.path.endsWith(".d.ts"))) {
        // Undeclared (a type error too) or ambient: the guest has no such global when it is one of these.
        const rule = ALL_ENGINES[name];
        if (rule !== undefined && (s === undefined || !isLib(s) || name === "performance")) {
          this.c.add(g.sf, g.node, "all", "no-trap", rule.message, rule.alternative);
          return;
        }
      }
      if (s !== undefined && isLib(s) && s.getParent() === undefined) this.builtin(name, g, g.node);
    });
    if (this.micro) {
      this.checkArrays(checker);
      this.checkBases(checker);
    }
  }

  /** A use of built-in `key` (`Map`, `Math.floor`, `String.prototype.includes`). */
  private builtin(key: string, at: Pending, node: Node): void {
    this.used.set(key, (this.used.get(key) ?? 0) + 1);
    const everywhere = ALL_ENGINES[key];
    if (everywhere !== undefined) {
      this.c.add(at.sf, node, "all", "no-trap", everywhere.message, everywhere.alternative);
      return;
    }
    if (!this.micro || microAvailable().has(key)) return;
    const owner = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : key;
    const root = key.split(".")[0] as string;
    const alternative =
      MICRO_ALTERNATIVES[key] ??
      MICRO_OWNER_ALTERNATIVES[owner] ??
      MICRO_ALTERNATIVES[root] ??
      "write it with what MicroQuickJS has (ES5 built-ins, see tools/build/compat-builtins.ts) or add a polyfill to engines/micro/polyfills";
    this.c.add(at.sf, node, "micro", "builtin", `${key} is not available on MicroQuickJS (not in its standard library nor in the tsfdw polyfills)`, alternative);
  }

  /** Checks calls; returns the callee identifiers already reported. */
  private checkCalls(checker: Checker): Set<Node> {
    const reported = new Set<Node>();
    const callees = this.calls.map((c) => field(c.node, "expression") as Node);
    const symbols = callees.length > 0 ? checker.getSymbolAtLocation(callees.map((e) => (e.kind === SyntaxKind.PropertyAccessExpression ? (field(e, "name") as Node) : e))) : [];
    this.calls.forEach((c, i) => {
      const s = symbols[i];
      if (s === undefined || !isLib(s)) return;
      const args = list(c.node, "arguments");
      const isNew = c.node.kind === SyntaxKind.NewExpression;
      const parent = s.getParent()?.name;
      if (s.name === "Date" && parent === undefined && isNew && args.length === 0) {
        this.c.add(c.sf, c.node, "all", "no-trap", "new Date() (the current time) traps in the guest", NO_CLOCK);
        reported.add(callees[i] as Node);
      }
      if (!this.micro) return;
      if (s.name === "Error" || (parent === undefined && /Error$/.test(s.name))) {
        if (args.length >= 2) this.c.add(c.sf, c.node, "micro", "error-cause", "MicroQuickJS' Error ignores the options argument (no cause)", "put the cause's message into the message");
      }
      if (parent === "JSON" && s.name === "stringify" && args.length >= 2) {
        this.c.add(c.sf, c.node, "micro", "json", "MicroQuickJS' JSON.stringify ignores the replacer and space arguments", "transform the value first; no indentation on micro");
      }
      if (parent === "JSON" && s.name === "parse" && args.length >= 2) {
        this.c.add(c.sf, c.node, "micro", "json", "MicroQuickJS' JSON.parse ignores the reviver argument", "walk the parsed value afterwards");
      }
      if (s.name === "Function" && parent === undefined) {
        this.c.add(c.sf, c.node, "micro", "function-constructor", "the micro engine has no Function constructor (no JavaScript parser in the guest)", "write the function");
      }
      if (s.name === "RegExp" && parent === undefined && args[0]?.kind !== SyntaxKind.RegularExpressionLiteral) {
        // engines/micro: regexp literals are compiled at build time; the guest has no regexp compiler.
        this.c.add(c.sf, c.node, "micro", "regexp-constructor", "RegExp from a string: the micro engine compiles regular expressions at build time, from literals only", "a regular expression literal (/…/), or string methods (split, indexOf, startsWith) for patterns built at run time");
      }
      if (s.name === "RegExp" && parent === undefined) {
        const pattern = args[0];
        const flags = args[1];
        const literal = (a: AnyNode | undefined): string | undefined =>
          a !== undefined && (a.kind === SyntaxKind.StringLiteral || a.kind === SyntaxKind.NoSubstitutionTemplateLiteral) ? String(a["text"]) : undefined;
        const staticText = (a: AnyNode | undefined): string => {
          if (a === undefined) return "";
          if (a.kind === SyntaxKind.TemplateExpression) return [String((field(a, "head") as AnyNode)["text"]), ...list(a, "templateSpans").map((sp) => String((field(sp, "literal") as AnyNode)["text"]))].join("");
          return literal(a) ?? "";
        };
        const f = flags === undefined ? "" : literal(flags);
        for (const p of regexProblems(staticText(pattern), f ?? "")) this.c.add(c.sf, c.node, "micro", "regexp", p.message, p.alternative);
      }
    });
    return reported;
  }

  private checkArrays(checker: Checker): void {
    if (this.arrays.length === 0) return;
    const types = checker.getTypeAtLocation(this.arrays.map((a) => a.node));
    this.arrays.forEach((a, i) => {
      const t = types[i];
      if (t === undefined) return;
      const verdict = arrayVerdict(checker, t, a.strings);
      if (verdict === "ok") return;
      const shown = checker.typeToString(t);
      const alternative =
        verdict === "string"
          ? "loop over the indices (for (let i = 0; i < s.length; i++)) or over s.split(\"\")"
          : /^(Readonly)?(Map|Set)\b|Iterator/.test(shown)
            ? "iterate a Map or a Set with forEach((value, key) => …); collect into an array first if you need one"
            : "make it an array first (Array.from for array-likes)";
      this.c.add(a.sf, a.node, "micro", "non-array", `${a.what} over ${shown}: MicroQuickJS iterates arrays only`, alternative);
    });
  }

  private checkBases(checker: Checker): void {
    if (this.bases.length === 0) return;
    const symbols = checker.getSymbolAtLocation(this.bases.map((b) => b.node));
    this.bases.forEach((b, i) => {
      const s = symbols[i];
      if (s === undefined || !isLib(s)) return;
      this.c.add(
        b.sf,
        b.at,
        "micro",
        "extends-builtin",
        `class ${b.cls} extends ${s.name}: MicroQuickJS cannot subclass built-in classes`,
        s.name.endsWith("Error")
          ? "throw new Error(message) (a plain Error; tell errors apart by their message or a property you set)"
          : `wrap a ${s.name} in a field instead of extending it`,
      );
    });
  }
}

function isFunctionBody(block: Node): boolean {
  const p = block.parent as Node | undefined;
  if (p === undefined) return false;
  return (
    p.kind === SyntaxKind.FunctionDeclaration ||
    p.kind === SyntaxKind.FunctionExpression ||
    p.kind === SyntaxKind.ArrowFunction ||
    p.kind === SyntaxKind.MethodDeclaration ||
    p.kind === SyntaxKind.Constructor ||
    p.kind === SyntaxKind.GetAccessor ||
    p.kind === SyntaxKind.SetAccessor
  );
}

/** An identifier that names a value being read (not a declaration, not `x.name`, not a key). */
function isReference(id: Node, parent: Node): boolean {
  const is = (name: string): boolean => field(parent, name) === id;
  switch (parent.kind) {
    case SyntaxKind.PropertyAccessExpression:
      return !is("name");
    case SyntaxKind.VariableDeclaration:
    case SyntaxKind.Parameter:
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ClassDeclaration:
    case SyntaxKind.ClassExpression:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.PropertyDeclaration:
    case SyntaxKind.PropertyAssignment:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
    case SyntaxKind.EnumMember:
    case SyntaxKind.PropertySignature:
    case SyntaxKind.MethodSignature:
      return !is("name");
    case SyntaxKind.BindingElement:
      return !is("name") && !is("propertyName");
    case SyntaxKind.LabeledStatement:
    case SyntaxKind.BreakStatement:
    case SyntaxKind.ContinueStatement:
    case SyntaxKind.ImportSpecifier:
    case SyntaxKind.ImportClause:
    case SyntaxKind.NamespaceImport:
    case SyntaxKind.ExportSpecifier:
    case SyntaxKind.TypeParameter:
    case SyntaxKind.EnumDeclaration:
    case SyntaxKind.ModuleDeclaration:
    case SyntaxKind.QualifiedName:
      return false;
  }
  return true;
}

function isLib(s: TsSymbol): boolean {
  return s.declarations.length > 0 && s.declarations.some((d) => LIB_FILE.test(d.path));
}

let available: Set<string> | undefined;
function microAvailable(): Set<string> {
  available ??= new Set([...MICRO_NATIVE, ...polyfilledNames()]);
  return available;
}

/** ES keys of a lib member symbol: `String.prototype.includes`; both owners of a union member. */
class LibOwners {
  private readonly cache = new Map<number, string[]>();
  constructor(private readonly checker: Checker) {}

  keysOf(s: TsSymbol, at: Node): string[] {
    void this.checker;
    const cached = this.cache.get(s.id);
    if (cached !== undefined) return cached;
    let interfaces: string[];
    const parent = s.getParent();
    if (parent !== undefined) interfaces = [parent.name];
    else {
      // A member of a union type (string | string[]) has no parent: ask its declarations.
      interfaces = [];
      for (const d of s.declarations) {
        if (!LIB_FILE.test(d.path)) continue;
        const decl = d.resolve();
        const owner = decl?.parent as AnyNode | undefined;
        const name = owner !== undefined ? field(owner, "name") : undefined;
        if (name !== undefined && owner?.kind === SyntaxKind.InterfaceDeclaration) interfaces.push(String(name["text"]));
      }
      // `globalThis.Map` and friends: a global, not a member.
      if (interfaces.length === 0 && (s.flags & (1 | 2 | 16 | 32)) !== 0 && at.kind === SyntaxKind.Identifier) interfaces = ["<global>"];
    }
    const keys = [
      ...new Set(
        interfaces.flatMap((i) => {
          if (i === "<global>") return [s.name];
          const owner = LIB_OWNERS[i];
          return owner === undefined ? [] : [`${owner}.${s.name}`];
        }),
      ),
    ].sort();
    this.cache.set(s.id, keys);
    return keys;
  }
}

/** "ok", "string" (a string where only arrays work) or "other". */
function arrayVerdict(checker: Checker, t: Type, stringsOk: boolean): "ok" | "string" | "other" {
  const flags = t.flags as number;
  // any/unknown: cannot tell; the run-time helpers and the engine still reject non-arrays.
  if ((flags & (1 | 2)) !== 0) return "ok";
  // null/undefined/never parts of a union fail at run time anyway, whatever the engine.
  if ((flags & (4 | 8 | 262144)) !== 0) return "ok";
  if ((flags & 12583968) !== 0) return stringsOk ? "ok" : "string";
  if ((flags & 524288) !== 0) {
    const constraint = checker.getBaseConstraintOfType(t);
    return constraint === undefined || constraint === t ? "ok" : arrayVerdict(checker, constraint, stringsOk);
  }
  if (t.isUnionType()) {
    let worst: "ok" | "string" | "other" = "ok";
    for (const part of t.getTypes() ?? []) {
      const v = arrayVerdict(checker, part, stringsOk);
      if (v === "other") return "other";
      if (v === "string") worst = "string";
    }
    return worst;
  }
  if (t.isIntersectionType()) {
    return (t.getTypes() ?? []).some((part) => arrayVerdict(checker, part, stringsOk) === "ok") ? "ok" : "other";
  }
  if (checker.isArrayType(t) || checker.isTupleType(t)) return "ok";
  return "other";
}
