// Fake `supabase:wrappers/utils@*`: reports are recorded; report-error throws (the real one
// aborts the statement and never returns).
export const reports: [string, string][] = [];
const utils = {
  reportInfo: (m: string): void => void reports.push(["info", m]),
  reportNotice: (m: string): void => void reports.push(["notice", m]),
  reportWarning: (m: string): void => void reports.push(["warning", m]),
  reportError: (m: string): never => {
    throw new Error(`report-error: ${m}`);
  },
  cellToString: (c: { tag: string; val?: unknown } | null | undefined): string => (c == null ? "null" : String(c.val)),
  getVaultSecret: (): string | null => null,
  getVaultSecretByName: (): string | null => null,
  querySetting: (): string | null => null,
};
export default utils;
export const { reportInfo, reportNotice, reportWarning, reportError, cellToString, getVaultSecret, getVaultSecretByName, querySetting } = utils;
