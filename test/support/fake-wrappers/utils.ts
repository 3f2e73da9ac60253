// Fake `supabase:wrappers/utils@*`: reports are recorded; report-error throws (the real one
// aborts the statement and never returns); Vault secrets come from fakeVault (no match: the host
// aborts the query, here a throw).
import { fakeVault } from "../fake-host.js";

const vault = (arg: string): string | null => {
  const secret = fakeVault.get(arg);
  if (secret === undefined) throw new Error(`query vault failed "${arg}": no secret found`);
  return secret;
};
export const reports: [string, string][] = [];
const utils = {
  reportInfo: (m: string): void => void reports.push(["info", m]),
  reportNotice: (m: string): void => void reports.push(["notice", m]),
  reportWarning: (m: string): void => void reports.push(["warning", m]),
  reportError: (m: string): never => {
    throw new Error(`report-error: ${m}`);
  },
  cellToString: (c: { tag: string; val?: unknown } | null | undefined): string => (c == null ? "null" : String(c.val)),
  getVaultSecret: vault,
  getVaultSecretByName: vault,
  querySetting: (): string | null => null,
};
export default utils;
export const { reportInfo, reportNotice, reportWarning, reportError, cellToString, getVaultSecret, getVaultSecretByName, querySetting } = utils;
