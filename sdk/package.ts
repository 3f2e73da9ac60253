// The FDW's package name and version, from its fdw.json: `tsfdw build` injects them with esbuild
// `define`, so fdw.json stays the one place they are written. Outside a build (unit tests) a test
// may set globalThis.TSFDW_PACKAGE_NAME / TSFDW_PACKAGE_VERSION before importing the FDW.

export interface PackageInfo {
  name: string;
  version: string;
}

type Injected = { TSFDW_PACKAGE_NAME?: string; TSFDW_PACKAGE_VERSION?: string };

export function packageInfo(): PackageInfo {
  // Written so that, once the build has defined both constants, esbuild folds this to a literal.
  return {
    name: typeof TSFDW_PACKAGE_NAME === "string" ? TSFDW_PACKAGE_NAME : ((globalThis as Injected).TSFDW_PACKAGE_NAME ?? "unknown"),
    version: typeof TSFDW_PACKAGE_VERSION === "string" ? TSFDW_PACKAGE_VERSION : ((globalThis as Injected).TSFDW_PACKAGE_VERSION ?? "0.0.0-dev"),
  };
}
