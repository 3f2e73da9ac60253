// The FDW's package name and version, from its fdw.json: `tsfdw build` injects them with esbuild
// `define`, so fdw.json stays the one place they are written. Outside a build (unit tests) a test
// may set globalThis.TSFDW_PACKAGE_NAME / TSFDW_PACKAGE_VERSION before importing the FDW.

export interface PackageInfo {
  name: string;
  version: string;
}

export function packageInfo(): PackageInfo {
  const g = globalThis as { TSFDW_PACKAGE_NAME?: string; TSFDW_PACKAGE_VERSION?: string };
  return {
    name: typeof TSFDW_PACKAGE_NAME === "string" ? TSFDW_PACKAGE_NAME : (g.TSFDW_PACKAGE_NAME ?? "unknown"),
    version: typeof TSFDW_PACKAGE_VERSION === "string" ? TSFDW_PACKAGE_VERSION : (g.TSFDW_PACKAGE_VERSION ?? "0.0.0-dev"),
  };
}
