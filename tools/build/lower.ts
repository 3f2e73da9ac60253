// Stage for `--engine micro`: lowers the esbuild bundle (an ES2023 module) to an ES5 *script* that
// MicroQuickJS parses, with SWC (@swc/core, one native package; TypeScript 7 cannot emit ES5, and
// Babel would mean @babel/core, preset-env and their dependency tree). MicroQuickJS is ES5 plus
// for…of over arrays, typed arrays, `**` and a few string methods; no Symbol/Reflect/Promise/Map/Set,
// no getOwnPropertyDescriptor, no `new` on bound functions, catch variables that are plain
// function-scope variables. So:
// - SWC lowers with assumptions that need no Symbol/Reflect (classes by plain prototype assignment,
//   super() as a call, spread by Object.assign semantics) and keeps native for…of (arrays only: the
//   engine throws a TypeError on anything else);
// - SWC's helpers are replaced by our own (engines/micro/polyfills/helpers.js); one we have no
//   version of fails the build naming the construct;
// - catch parameters get unique names (MicroQuickJS rejects a catch name already used in the function);
// - polyfills (engines/micro/polyfills/*.js) are prepended for the built-ins the code names;
// - the guest runs in a function (its top-level names are locals, not globals); imports of host
//   modules become `var http = __tsfdw_imports["supabase:wrappers/http@0.2.0"]` and the module's
//   exports `__tsfdw_guest = { routines: … }` — the JS ↔ glue contract of engines/micro/README.md
//   (the engine's prelude defines both globals).
// Output is deterministic: the same bundle gives byte-identical output.
import { parseSync, transformSync, type Options } from "@swc/core";
import { type Unit, pickHelpers, pickPolyfills, regexProblems, units } from "./lower-units.js";
import { type OriginalPosition, formatPosition, sourceLocator } from "./sourcemap.js";

type Locate = (line: number, column: number) => OriginalPosition | undefined;

export { POLYFILL_DIR, polyfilledNames, polyfillSource, regexProblems } from "./lower-units.js";

/** The global object the engine's prelude defines: host module specifier → the module's functions. */
export const MICRO_IMPORTS_VAR = "__tsfdw_imports";
/** The global the lowered script assigns its exports to: `{ routines: {…} }` (declared by the prelude). */
export const MICRO_GUEST_VAR = "__tsfdw_guest";

export interface LowerOptions {
  /** esbuild's source map of the bundle (JSON); with it the result's map points into the TS sources. */
  inputSourceMap?: string;
  /** Produce a source map of the lowered script (default false). */
  sourcemap?: boolean;
  /** Strip whitespace (default true; no renaming, no compression). */
  minify?: boolean;
  /** The directory the input map's sources are relative to: with it, LowerError names TypeScript positions. */
  sourceBase?: string;
}

export interface LowerResult {
  /** The ES5 script: "use strict", polyfills, then a function with the helpers and the guest that ends `__tsfdw_guest = {…}`. */
  js: string;
  /** Source map of `js` (when `sourcemap` was set). */
  map?: string;
  /** Polyfill units prepended, e.g. `Map`, `Array.prototype.includes` (one unit may provide several names). */
  polyfills: string[];
  /** SWC helpers inlined (our MicroQuickJS versions). */
  helpers: string[];
  /** Host modules imported, in order. */
  imports: string[];
  /** Names of the module's exports, keys of `__tsfdw_guest`. */
  exports: string[];
  /** UTF-8 bytes: the input bundle, the output, and the polyfill and helper code within it (whitespace-stripped). */
  bytes: { input: number; output: number; polyfills: number; helpers: number };
  ms: number;
}

/** The bundle uses something the lowering cannot give MicroQuickJS. */
export class LowerError extends Error {
  constructor(readonly problems: string[]) {
    super(`the guest cannot be lowered to ES5 for MicroQuickJS:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

// ---------------------------------------------------------------------------------------------
// SWC configuration

// Everything lowered to ES5 (`targets: ie 11`) except what MicroQuickJS runs natively or what the
// compatibility check rejects before we get here: for…of (native, arrays only), typeof (no Symbol
// to tell apart), and the RegExp rewrites (their helpers need Symbol/Reflect; the flags s, u and y
// are native, named groups are a build error).
const KEEP = [
  "transform-for-of",
  "transform-typeof-symbol",
  "transform-sticky-regex",
  "transform-unicode-regex",
  "transform-dotall-regex",
  "transform-named-capturing-groups-regex",
  "transform-unicode-property-regex",
];

function swcOptions(opts: LowerOptions): Options {
  return {
    swcrc: false,
    configFile: false,
    isModule: true,
    sourceMaps: opts.sourcemap === true,
    inputSourceMap: opts.sourcemap === true && opts.inputSourceMap !== undefined ? opts.inputSourceMap : false,
    env: { targets: { ie: "11" }, exclude: KEEP },
    module: { type: "es6" },
    jsc: {
      parser: { syntax: "ecmascript" },
      externalHelpers: true,
      assumptions: {
        // Arrays only (for…of is native; destructuring/spread helpers reject non-arrays at run time).
        iterableIsArray: true,
        // Classes as ES5 constructor functions: no Reflect.construct, no defineProperty per method.
        superIsCallableConstructor: true,
        setClassMethods: true,
        setPublicClassFields: true,
        noClassCalls: true,
        constantSuper: true,
        // Private #fields become properties with generated names (no WeakMap on MicroQuickJS).
        privateFieldsAsProperties: true,
        // Object spread as Object.assign: no getOwnPropertyDescriptor/getOwnPropertySymbols.
        setSpreadProperties: true,
        objectRestNoSymbols: true,
        setComputedProperties: true,
        noDocumentAll: true,
        ignoreFunctionLength: true,
        ignoreToPrimitiveHint: true,
        mutableTemplateObject: true,
        noNewArrows: true,
      },
    },
  };
}

/** Helpers SWC may ask for that have no MicroQuickJS version: the construct, and what to write instead. */
const UNSUPPORTED_HELPERS: Record<string, string> = {
  _wrap_native_super: "a class that extends a built-in (e.g. `class X extends Error`): throw `new Error(message)` instead",
  _wrap_reg_exp: "a regular expression with named groups: use numbered groups",
  _async_to_generator: "async functions: the guest API is synchronous",
  _ts_generator: "generators or async functions: write a loop or a callback",
  _ts_values: "generators (yield*): write a loop",
  _async_generator: "async generators",
  _await_async_generator: "async generators",
  _async_iterator: "for await…of",
  _using: "`using` declarations: call the resource's drop() in a finally block",
  _using_ctx: "`using` declarations: call the resource's drop() in a finally block",
  _ts_add_disposable_resource: "`using` declarations: call the resource's drop() in a finally block",
  _ts_dispose_resources: "`using` declarations: call the resource's drop() in a finally block",
  _create_for_of_iterator_helper_loose: "for…of over a non-array",
  _class_private_method_init: "private methods",
  _class_private_field_init: "private fields",
  _class_private_field_get: "private fields",
};

// ---------------------------------------------------------------------------------------------
// A small view of SWC's AST (plain JSON objects with `type` and byte `span`s).

interface Span {
  start: number;
  end: number;
}
interface AstNode {
  type: string;
  span?: Span;
  [key: string]: unknown;
}

function isNode(x: unknown): x is AstNode {
  return typeof x === "object" && x !== null && typeof (x as { type?: unknown }).type === "string";
}

/** Children of a node in a fixed order (object key order of SWC's JSON). */
function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === "span" || key === "ctxt") continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) {
        if (isNode(x)) out.push(x);
        else if (x !== null && typeof x === "object" && isNode((x as { expression?: unknown }).expression)) {
          // ExprOrSpread { spread, expression }
          out.push({ type: "ExprOrSpread", ...(x as object) } as AstNode);
        }
      }
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

/**
 * Parses `code` (UTF-8 `bytes`) and returns its AST with spans turned into byte offsets into
 * `bytes`. SWC spans are global positions; a leading `0;` statement gives their origin.
 */
function parse(code: string, isModule: boolean): { ast: AstNode; offset: (pos: number) => number } {
  const program = parseSync(`0;${code}`, { syntax: "ecmascript", target: "es2022", script: !isModule, comments: false }) as unknown as AstNode;
  const body = program["body"] as AstNode[];
  const first = body[0];
  if (first?.span === undefined) throw new Error("SWC parse: no leading statement");
  const base = first.span.start + 2;
  program["body"] = body.slice(1);
  return { ast: program, offset: (pos) => pos - base };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(bytes: Buffer, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error("overlapping edits in the lowered bundle");
    parts.push(bytes.subarray(at, e.start), Buffer.from(e.text));
    at = e.end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts).toString("utf8");
}

/** 1-based line and column (UTF-16 units) of a byte offset. */
function lineCol(bytes: Buffer, offset: number): [number, number] {
  const before = bytes.subarray(0, offset).toString("utf8");
  return [before.split("\n").length, before.length - before.lastIndexOf("\n")];
}

// ---------------------------------------------------------------------------------------------
// The passes over SWC's output

/** The member name of a non-computed or string-keyed member expression. */
function memberName(n: unknown): string | undefined {
  if (!isNode(n) || n.type !== "MemberExpression" || !isNode(n["property"])) return undefined;
  const p = n["property"];
  if (p.type === "Identifier") return String(p["value"]);
  const e = p["expression"];
  return p.type === "Computed" && isNode(e) && e.type === "StringLiteral" ? String(e["value"]) : undefined;
}

/**
 * Identifier names and string-keyed member names: what triggers polyfills. Plus `name()fn` for a
 * call `x.name(a, f)` whose second argument is not a string literal (a replacement function may
 * need the replace polyfill; a literal never does).
 */
function collectNames(node: AstNode, out: Set<string>): void {
  if (node.type === "Identifier" && typeof node["value"] === "string") out.add(node["value"]);
  if (node.type === "CallExpression") {
    const name = memberName(node["callee"]);
    const second = (node["arguments"] as { expression?: AstNode }[] | undefined)?.[1]?.expression;
    if (name !== undefined && second !== undefined && second.type !== "StringLiteral") out.add(`${name}()fn`);
  }
  if (node.type === "Computed" && isNode(node["expression"]) && node["expression"].type === "StringLiteral") out.add(String(node["expression"]["value"]));
  if (node.type === "MemberExpression" && isNode(node["property"]) && node["property"].type === "Computed") {
    const e = node["property"]["expression"];
    if (isNode(e) && e.type === "StringLiteral") out.add(String(e["value"]));
  }
  for (const c of children(node)) collectNames(c, out);
}

/** Names a function binds itself (params, own name, var/function declarations), not inner functions'. */
function functionBinds(fn: AstNode, name: string): boolean {
  const ident = fn["identifier"];
  if (isNode(ident) && ident["value"] === name) return true;
  for (const p of (fn["params"] as AstNode[] | undefined) ?? []) {
    const pat = isNode(p["pat"]) ? p["pat"] : p;
    if (pat.type === "Identifier" && pat["value"] === name) return true;
  }
  let found = false;
  const walk = (n: AstNode): void => {
    if (found) return;
    if (n.type === "VariableDeclarator" && isNode(n["id"]) && n["id"]["value"] === name) found = true;
    if (n.type === "FunctionDeclaration" && isNode(n["identifier"]) && n["identifier"]["value"] === name) found = true;
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") return;
    for (const c of children(n)) walk(c);
  };
  const body = fn["body"];
  if (isNode(body)) walk(body);
  return found;
}

/** Spans of the identifiers in `node` that refer to a catch parameter `name` (not shadowed). */
function referencesTo(node: AstNode, name: string, out: Span[]): void {
  switch (node.type) {
    case "Identifier":
      if (node["value"] === name && node.span !== undefined) out.push(node.span);
      return;
    case "FunctionDeclaration":
    case "FunctionExpression":
      // A function declaration's own name binds in the enclosing scope; a function's params,
      // vars and expression name shadow the catch parameter inside it.
      if (node.type === "FunctionDeclaration" && isNode(node["identifier"])) referencesTo(node["identifier"], name, out);
      if (functionBinds(node, name)) return;
      for (const p of (node["params"] as AstNode[] | undefined) ?? []) referencesTo(p, name, out);
      if (isNode(node["body"])) referencesTo(node["body"], name, out);
      return;
    case "CatchClause":
      // An inner catch of the same name shadows (it is renamed on its own).
      if (isNode(node["param"]) && node["param"]["value"] === name) return;
      break;
    case "MemberExpression":
      if (isNode(node["object"])) referencesTo(node["object"], name, out);
      if (isNode(node["property"]) && node["property"].type === "Computed") referencesTo(node["property"], name, out);
      return;
    case "KeyValueProperty":
    case "GetterProperty":
    case "SetterProperty":
    case "MethodProperty":
      // Keys are names, not references (computed keys are `Computed` nodes).
      for (const c of children(node)) if (c !== node["key"] || c.type === "Computed") referencesTo(c, name, out);
      return;
    case "LabeledStatement":
      if (isNode(node["body"])) referencesTo(node["body"], name, out);
      return;
    case "BreakStatement":
    case "ContinueStatement":
      return;
  }
  for (const c of children(node)) referencesTo(c, name, out);
}

/** Renames every catch parameter to a name unused in the script (MicroQuickJS scoping). */
function renameCatchParams(ast: AstNode, used: Set<string>, offset: (pos: number) => number, edits: Edit[]): void {
  let n = 0;
  const fresh = (): string => {
    let name: string;
    do name = `$c${n++}`;
    while (used.has(name));
    used.add(name);
    return name;
  };
  const walk = (node: AstNode): void => {
    if (node.type === "CatchClause" && isNode(node["param"]) && node["param"].type === "Identifier") {
      const param = node["param"];
      const name = String(param["value"]);
      const renamed = fresh();
      const spans: Span[] = [param.span as Span];
      if (isNode(node["body"])) referencesTo(node["body"], name, spans);
      for (const s of spans) edits.push({ start: offset(s.start), end: offset(s.end), text: renamed });
    }
    for (const c of children(node)) walk(c);
  };
  walk(ast);
}

/** Syntax MicroQuickJS does not parse, should any survive the lowering (the compat check runs first). */
function leftovers(ast: AstNode, bytes: Buffer, offset: (pos: number) => number, locate: Locate | undefined): string[] {
  const problems: string[] = [];
  // The original TypeScript position when a source map says, else the lowered script's.
  const at = (n: AstNode): string => {
    if (n.span === undefined) return "an unknown position of the lowered script";
    const [line, col] = lineCol(bytes, offset(n.span.start));
    const orig = locate?.(line, col);
    return orig !== undefined ? formatPosition(orig) : `${line}:${col} of the lowered script`;
  };
  const bad: Record<string, string> = {
    ArrowFunctionExpression: "an arrow function",
    ClassDeclaration: "a class",
    ClassExpression: "a class",
    TemplateLiteral: "a template literal",
    TaggedTemplateExpression: "a tagged template",
    YieldExpression: "yield",
    AwaitExpression: "await",
    ObjectPattern: "object destructuring",
    ArrayPattern: "array destructuring",
    AssignmentPattern: "a default value",
    RestElement: "a rest element",
    OptionalChainingExpression: "optional chaining",
    MetaProperty: "new.target / import.meta",
    Import: "dynamic import()",
    PrivateName: "a #private name",
    AssignmentPatternProperty: "a shorthand property",
    MethodProperty: "a method shorthand",
    BigIntLiteral: "a BigInt literal",
    DebuggerStatement: "debugger",
    WithStatement: "with",
  };
  const walk = (node: AstNode, inBlock: boolean): void => {
    const what = bad[node.type];
    if (what !== undefined) problems.push(`${what} at ${at(node)}`);
    if (node.type === "VariableDeclaration" && node["kind"] !== "var") problems.push(`${String(node["kind"])} at ${at(node)}`);
    if (node.type === "FunctionDeclaration" && inBlock) problems.push(`a function declaration inside a block at ${at(node)} (MicroQuickJS: declare it at function level)`);
    if ((node.type === "BinaryExpression" || node.type === "AssignmentExpression") && ["**", "??", "**=", "||=", "&&=", "??="].includes(String(node["operator"]))) {
      problems.push(`the operator ${String(node["operator"])} at ${at(node)}`);
    }
    if (node.type === "ArrayExpression" && (node["elements"] as unknown[]).some((e) => e === null || e === undefined)) {
      problems.push(`an array literal with holes at ${at(node)}`);
    }
    if (node.type === "ExprOrSpread" && node["spread"] !== null && node["spread"] !== undefined) problems.push(`spread at ${at(node["expression"] as AstNode)}`);
    if (node.type === "KeyValueProperty" && isNode(node["key"]) && node["key"].type === "Computed") problems.push(`a computed key at ${at(node)}`);
    if (node.type === "RegExpLiteral") {
      for (const p of regexProblems(String(node["pattern"]), String(node["flags"]))) problems.push(`${p.message} at ${at(node)}: ${p.alternative}`);
    }
    if (node.type === "ObjectExpression") {
      for (const p of node["properties"] as AstNode[]) {
        if (p.type === "Identifier") problems.push(`a shorthand property at ${at(p)}`);
        if (p.type === "SpreadElement") problems.push(`object spread at ${at(p)}`);
      }
    }
    const isFunction = node.type === "FunctionDeclaration" || node.type === "FunctionExpression";
    for (const c of children(node)) {
      // Function bodies and the script's top level are not blocks; every other BlockStatement is.
      const body = isFunction && c === node["body"];
      walk(c, body ? false : c.type === "BlockStatement" || c.type === "SwitchCase" ? true : inBlock && !isFunction);
    }
  };
  walk(ast, false);
  return problems;
}

// ---------------------------------------------------------------------------------------------

function minifyWhitespace(code: string, map: string | undefined, sourcemap: boolean): { code: string; map?: string } {
  const r = transformSync(code, {
    swcrc: false,
    configFile: false,
    isModule: false,
    minify: true,
    sourceMaps: sourcemap,
    inputSourceMap: sourcemap && map !== undefined ? map : false,
    // es2022: transform nothing (es5 would turn the native for…of into an iterator helper).
    jsc: { parser: { syntax: "ecmascript" }, target: "es2022", minify: { compress: false, mangle: false, format: { comments: false } } },
  });
  return r.map === undefined ? { code: r.code } : { code: r.code, map: r.map };
}

// Per unit, computed once per process: its whitespace-stripped size.
const unitSizeCache = new WeakMap<Unit, number>();
function unitMinifiedBytes(u: Unit): number {
  let size = unitSizeCache.get(u);
  if (size === undefined) {
    size = Buffer.byteLength(minifyWhitespace(u.code, undefined, false).code);
    unitSizeCache.set(u, size);
  }
  return size;
}

/** Prepends `lines` empty lines to a source map (the script grew a prefix of that many lines). */
function shiftMap(map: string, lines: number): string {
  const m = JSON.parse(map) as { mappings: string };
  m.mappings = ";".repeat(lines) + m.mappings;
  return JSON.stringify(m);
}

/** Lowers an ES2023 module bundle to an ES5 script with the polyfills and helpers it needs. */
export function lowerForMicro(bundleJs: string, opts: LowerOptions = {}): LowerResult {
  const started = Date.now();
  const sourcemap = opts.sourcemap === true;
  const lowered = transformSync(bundleJs, swcOptions(opts));
  const bytes = Buffer.from(lowered.code, "utf8");
  const { ast, offset } = parse(lowered.code, true);

  const edits: Edit[] = [];
  const problems: string[] = [];
  const helperNames: string[] = [];
  const helperAliases: string[] = [];
  const imports: string[] = [];
  const exportPairs: [string, string][] = [];
  const names = new Set<string>();
  collectNames(ast, names);

  const span = (n: AstNode): Edit => ({ start: offset((n.span as Span).start), end: offset((n.span as Span).end), text: "" });
  // Keeps the line count of what is replaced (source maps stay line-accurate).
  const sameLines = (n: AstNode, text: string): Edit => {
    const e = span(n);
    const newlines = bytes.subarray(e.start, e.end).toString("utf8").split("\n").length - 1;
    return { ...e, text: text + "\n".repeat(newlines) };
  };

  const locate = sourcemap && lowered.map !== undefined && opts.sourceBase !== undefined ? sourceLocator(lowered.map, opts.sourceBase) : undefined;
  /** Where the lowered code first calls `name` (a helper), as a TypeScript position when the map says. */
  const firstCall = (name: string): string => {
    let found: AstNode | undefined;
    const walk = (n: AstNode): void => {
      if (found !== undefined) return;
      const callee = n["callee"];
      if (n.type === "CallExpression" && isNode(callee) && callee.type === "Identifier" && callee["value"] === name) found = n;
      else for (const c of children(n)) walk(c);
    };
    walk(ast);
    // The first argument is usually the user's own code (`extends Error` → _wrap_native_super(Error)).
    const arg = ((found?.["arguments"] as { expression?: AstNode }[] | undefined)?.[0]?.expression ?? found) as AstNode | undefined;
    if (arg?.span === undefined) return "";
    const [line, col] = lineCol(bytes, offset(arg.span.start));
    const orig = locate?.(line, col);
    return orig !== undefined ? `${formatPosition(orig)}: ` : `${line}:${col} of the lowered script: `;
  };

  for (const stmt of ast["body"] as AstNode[]) {
    if (stmt.type === "ImportDeclaration") {
      const source = String((stmt["source"] as AstNode)["value"]);
      const specifiers = (stmt["specifiers"] as AstNode[]) ?? [];
      const helper = /^@swc\/helpers\/_\/(\w+)$/.exec(source)?.[1];
      if (helper !== undefined) {
        const local = String(((specifiers[0] as AstNode)["local"] as AstNode)["value"]);
        if (units().helpers.has(helper)) {
          helperNames.push(helper);
          if (local !== helper) helperAliases.push(`var ${local} = ${helper};`);
        } else {
          problems.push(`${firstCall(local)}${UNSUPPORTED_HELPERS[helper] ?? `a construct that needs SWC's ${helper} helper`} (no MicroQuickJS version of ${helper})`);
        }
        edits.push(sameLines(stmt, ""));
        continue;
      }
      imports.push(source);
      const call = `${MICRO_IMPORTS_VAR}[${JSON.stringify(source)}]`;
      const decls = specifiers.map((s) => {
        const local = String((s["local"] as AstNode)["value"]);
        if (s.type === "ImportSpecifier") {
          const imported = isNode(s["imported"]) ? String(s["imported"]["value"]) : local;
          return `${local} = ${call}[${JSON.stringify(imported)}]`;
        }
        return `${local} = ${call}`; // default and namespace imports: the module's object
      });
      edits.push(sameLines(stmt, decls.length > 0 ? `var ${decls.join(", ")};` : `${call};`));
    } else if (stmt.type === "ExportNamedDeclaration") {
      if (stmt["source"] !== null && stmt["source"] !== undefined) {
        problems.push(`a re-export from ${String((stmt["source"] as AstNode)["value"])} (export … from): bundle it`);
        continue;
      }
      for (const s of (stmt["specifiers"] as AstNode[]) ?? []) {
        const orig = String((s["orig"] as AstNode)["value"]);
        const exported = isNode(s["exported"]) ? String(s["exported"]["value"]) : orig;
        exportPairs.push([exported, orig]);
      }
      edits.push(sameLines(stmt, ""));
    } else if (stmt.type === "ExportDeclaration") {
      // `export var a = …` / `export function f…`: keep the declaration, drop `export`.
      const decl = stmt["declaration"] as AstNode;
      const e = span(stmt);
      edits.push({ start: e.start, end: offset((decl.span as Span).start), text: "" });
      if (decl.type === "VariableDeclaration") {
        for (const d of decl["declarations"] as AstNode[]) {
          const id = d["id"] as AstNode;
          if (id.type !== "Identifier") problems.push("an exported destructuring declaration: export plain names");
          else exportPairs.push([String(id["value"]), String(id["value"])]);
        }
      } else {
        const id = String((decl["identifier"] as AstNode)["value"]);
        exportPairs.push([id, id]);
      }
    } else if (stmt.type === "ExportDefaultExpression") {
      const e = span(stmt);
      edits.push({ start: e.start, end: offset(((stmt["expression"] as AstNode).span as Span).start), text: "var __tsfdw_default = " });
      exportPairs.push(["default", "__tsfdw_default"]);
    } else if (stmt.type.startsWith("Export")) {
      problems.push(`an export form the lowering does not handle (${stmt.type}): end the module with export { … }`);
    }
  }
  renameCatchParams(ast, names, offset, edits);
  problems.push(...leftovers(ast, bytes, offset, locate));
  if (problems.length > 0) throw new LowerError([...new Set(problems)]);

  const exportsLine = `${MICRO_GUEST_VAR} = {${exportPairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}};`;
  const body = `${applyEdits(bytes, edits).trimEnd()}\n${exportsLine}\n})();\n`;

  const helpers = pickHelpers(helperNames);
  const helperCode = helpers.map((h) => h.code).join("") + helperAliases.map((a) => `${a}\n`).join("");
  // Helpers use only MicroQuickJS' own built-ins (they mention Map/Set only behind typeof checks).
  const polyfills = pickPolyfills(names);
  const polyfillCode = polyfills.map((p) => p.code).join("");

  const prefix = `"use strict";\n${polyfillCode}(function () {\n${helperCode}`;
  const prefixLines = prefix.split("\n").length - 1;
  let js = prefix + body;
  let map = sourcemap && lowered.map !== undefined ? shiftMap(lowered.map, prefixLines) : undefined;
  if (opts.minify !== false) {
    const m = minifyWhitespace(js, map, sourcemap);
    js = m.code;
    map = m.map;
  }
  const size = (list: Unit[]): number => list.reduce((sum, u) => sum + (opts.minify !== false ? unitMinifiedBytes(u) : Buffer.byteLength(u.code)), 0);
  const result: LowerResult = {
    js,
    polyfills: polyfills.map((p) => p.name),
    helpers: helpers.map((h) => h.name),
    imports,
    exports: exportPairs.map(([k]) => k),
    bytes: { input: Buffer.byteLength(bundleJs), output: Buffer.byteLength(js), polyfills: size(polyfills), helpers: size(helpers) },
    ms: 0,
  };
  if (map !== undefined) result.map = map;
  result.ms = Date.now() - started;
  return result;
}
