// Argument parsing shared by the commands: node:util parseArgs with errors that print the
// command's usage and exit 2, and the KEY=VALUE options every command takes.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A mistake on the command line: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage = "",
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed<O extends Options> {
  values: { [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : O[K] extends { multiple: true } ? string[] : string };
  positionals: string[];
  tokens: NonNullable<ReturnType<typeof parseArgs>["tokens"]>;
}

/** parseArgs (strict) with `usage` attached to any error. */
export function parse<O extends Options>(argv: readonly string[], options: O, usage: string, maxPositionals = Infinity): Parsed<O> {
  let r: ReturnType<typeof parseArgs>;
  try {
    r = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // Node's messages name the option ("Unknown option '--x'…"); drop its advice about "--".
    throw new UsageError((e instanceof Error ? e.message : String(e)).replace(/\. To specify a positional argument.*$/s, ""), usage);
  }
  if (r.positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${r.positionals[maxPositionals]}`, usage);
  return r as unknown as Parsed<O>;
}

/** `KEY=VALUE` items → an object (later keys win); the value may contain '='. */
export function keyValues(items: readonly string[] | undefined, flag: string, usage = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const at = item.indexOf("=");
    // The value is not echoed: option values may be credentials.
    if (at <= 0) throw new UsageError(`${flag} needs KEY=VALUE (got an item without '=' or without a key)`, usage);
    out[item.slice(0, at)] = item.slice(at + 1);
  }
  return out;
}

/** Runs a command body, turning errors into messages and exit codes (2 for usage errors). */
export async function guarded(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`tsfdw ${command}: ${message}\n`);
    if (e instanceof UsageError) {
      if (e.usage !== "") process.stderr.write(`\n${e.usage}`);
      return 2;
    }
    return 1;
  }
}

/** True when argv asks for help. */
export const wantsHelp = (argv: readonly string[]): boolean => argv.includes("--help") || argv.includes("-h");
