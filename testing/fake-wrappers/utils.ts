// Fake `supabase:wrappers/utils@*`: reports are recorded (fakeHost.reports); report-error throws (the
// real one aborts the statement and never returns); Vault secrets come from fakeHost.vault (no
// match: the host aborts the query, here a throw); query-setting reads fakeHost.settings.
import { fakeHost, recordedReports } from "../fake-host.js";

const vault = (arg: string): string | null => {
  const secret = fakeHost.vault.get(arg);
  if (secret === undefined) throw new Error(`query vault failed "${arg}": no secret found`);
  return secret;
};
export const reports = recordedReports;
const utils = {
  reportInfo: (m: string): void => void recordedReports.push(["info", m]),
  reportNotice: (m: string): void => void recordedReports.push(["notice", m]),
  reportWarning: (m: string): void => void recordedReports.push(["warning", m]),
  reportError: (m: string): never => {
    recordedReports.push(["error", m]);
    throw new Error(`report-error: ${m}`);
  },
  cellToString: (c: { tag: string; val?: unknown } | null | undefined): string => (c == null ? "null" : String(c.val)),
  getVaultSecret: vault,
  getVaultSecretByName: vault,
  querySetting: (name: string): string | null => fakeHost.settings.get(name) ?? null,
};
export default utils;
export const { reportInfo, reportNotice, reportWarning, reportError, cellToString, getVaultSecret, getVaultSecretByName, querySetting } = utils;
