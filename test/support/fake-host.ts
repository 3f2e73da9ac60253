// Moved to testing/fake-host.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../testing/fake-host.js";
