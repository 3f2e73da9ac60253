// Stage 4 — turn the bundled JS into a WebAssembly component with componentize-qjs (QuickJS-ng).
// The flags are what the Supabase host needs: `sync` (wasmtime 36 there has no
// component-model-async), `stubWasi` (the host links no WASI), `optSize` (a third smaller and
// faster to compile — the host compiles the component for every query).
import { componentize } from "componentize-qjs";

export interface ComponentizeResult {
  wasm: Uint8Array;
  ms: number;
}

export interface ComponentizeOptions {
  witDir: string;
  world: string;
  js: string;
  /** For tests of the verifier only: produce an async and/or WASI-importing component. */
  unsafe?: { sync?: boolean; stubWasi?: boolean };
}

export async function componentizeGuest(opts: ComponentizeOptions): Promise<ComponentizeResult> {
  const started = Date.now();
  const { component } = await componentize({
    witPath: opts.witDir,
    world: opts.world,
    jsSource: opts.js,
    sync: opts.unsafe?.sync ?? true,
    stubWasi: opts.unsafe?.stubWasi ?? true,
    optSize: true,
  });
  return { wasm: new Uint8Array(component.buffer, component.byteOffset, component.byteLength), ms: Date.now() - started };
}
