// Node module-resolution hook (registered by ./register.ts) that maps the host modules
// `supabase:wrappers/<iface>@<version>` to the fakes in ./fake-wrappers/, so compiled FDW code
// runs unchanged in Node. (loadFdw in ./load.ts bundles the FDW instead and needs no hook.)
interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
  format?: string | null;
}
type NextResolve = (specifier: string, context?: unknown) => Promise<ResolveResult>;

const HOST_MODULE = /^supabase:wrappers\/(http|jwt|stats|time|types|utils)@0\.[12]\.0$/;

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  const m = HOST_MODULE.exec(specifier);
  if (m !== null) return { url: new URL(`./fake-wrappers/${m[1]}.js`, import.meta.url).href, format: "module", shortCircuit: true };
  return next(specifier, context);
}
