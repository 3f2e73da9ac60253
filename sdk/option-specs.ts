// Declared options: an FDW lists its server options once, with type, default and whether they are
// required or secret, and gets them typed and checked at the start of every scan and modify
// (sdk/fdw.ts). Errors are those of sdk/options.ts: they name the option and where to set it.
//
//   const SERVER = {
//     api_url: { type: "url", required: true, example: "options (api_url 'https://api.example.com/v1')" },
//     api_key: { type: "secret" },
//     page_size: { type: "int", default: 100, min: 1, max: 1000 },
//   } as const;
//   // ctx.server.api_url: string, ctx.server.api_key: string | undefined, ctx.server.page_size: number

import { type OptionSet, boolOption, enumOption, intOption, requireOption } from "./options.js";
import { addSecret } from "./secrets.js";

export interface OptionSpec {
  /**
   * `text` (default: as written), `url` (spaces and trailing `/` dropped), `int`, `bool` (Postgres
   * spellings), `secret` (text, redacted from every message from the moment it is read).
   */
  readonly type?: "text" | "url" | "int" | "bool" | "secret";
  /** Missing or blank is an error saying where to set it. */
  readonly required?: boolean;
  readonly default?: string | number | boolean;
  /** Bounds of an `int`. */
  readonly min?: number;
  readonly max?: number;
  /** The allowed values of a `text` option. */
  readonly oneOf?: readonly string[];
  /** What the user should write, for the missing-option error: `options (api_url 'https://…')`. */
  readonly example?: string;
  /** One line for the FDW's documentation (not used at run time). */
  readonly doc?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type Base<O> = O extends { type: "int" } ? number : O extends { type: "bool" } ? boolean : string;
type Present<O> = O extends { required: true } ? true : O extends { default: string | number | boolean } ? true : false;
/** The JS type of a declared option: absent options are undefined unless required or defaulted. */
export type OptionValue<O> = Present<O> extends true ? Base<O> : Base<O> | undefined;
export type OptionValues<S extends OptionSpecs> = { readonly [K in keyof S]: OptionValue<S[K]> };

/** Reads and checks every declared option of `set` (secrets are registered for redaction first). */
export function readDeclaredOptions<S extends OptionSpecs>(set: OptionSet, specs: S): OptionValues<S> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(specs)) {
    const spec = specs[key] as OptionSpec;
    const type = spec.type ?? "text";
    if (type === "secret") addSecret(set.get(key));
    let value: unknown;
    if (type === "int") {
      value = set.get(key) === undefined && spec.default === undefined ? undefined : intOption(set, key, Number(spec.default ?? 0), spec.min, spec.max);
    } else if (type === "bool") {
      value = set.get(key) === undefined && spec.default === undefined ? undefined : boolOption(set, key, spec.default === true);
    } else {
      let text = spec.required === true ? requireOption(set, key, spec.example) : set.get(key);
      if (text === undefined && spec.default !== undefined) text = String(spec.default);
      if (text !== undefined && type === "url") text = text.trim().replace(/\/+$/, "");
      if (text !== undefined && spec.oneOf !== undefined) text = enumOption(set, key, spec.oneOf, text);
      value = text;
    }
    out[key] = value;
  }
  return out as OptionValues<S>;
}
