// fdw.json's dev mock: a module exporting `startMock(): Promise<{ url, close() }>` (a loopback
// server standing in for the FDW's API), started by `tsfdw dev` and `tsfdw scan … --mock`; its URL
// replaces `{mock}` in fdw.json's dev.serverOptions.
import { pathToFileURL } from "node:url";
import type { FdwProject } from "../build/resolve.js";
import { bundleForNode, cacheDirFor } from "./node-bundle.js";

export interface StartedMock {
  url: string;
  close(): Promise<void>;
}

export async function startDevMock(project: FdwProject): Promise<StartedMock> {
  const file = project.dev.mock;
  if (file === undefined) throw new Error(`${project.dir}/fdw.json has no dev.mock (a module exporting startMock())`);
  const [out] = await bundleForNode([file], cacheDirFor(project.dir, "mock"));
  const mod = (await import(`${pathToFileURL(out as string).href}?t=${Date.now()}`)) as { startMock?: () => Promise<StartedMock> };
  if (typeof mod.startMock !== "function") throw new Error(`${file} does not export startMock()`);
  const mock = await mod.startMock();
  if (typeof mock?.url !== "string" || typeof mock.close !== "function") throw new Error(`${file}: startMock() must resolve to { url, close() }`);
  return mock;
}

/** fdw.json's server options for local development: sql.serverOptions, then dev.serverOptions with {mock} filled in. */
export function devServerOptions(project: FdwProject, mockUrl?: string): Record<string, string> {
  const dev: Record<string, string> = {};
  for (const [k, v] of Object.entries(project.dev.serverOptions)) {
    if (v.includes("{mock}") && mockUrl === undefined) continue;
    dev[k] = mockUrl === undefined ? v : v.replaceAll("{mock}", mockUrl);
  }
  return { ...project.sql.serverOptions, ...dev };
}
