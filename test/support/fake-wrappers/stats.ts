// Moved to testing/fake-wrappers/stats.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../../testing/fake-wrappers/stats.js";
export { default } from "../../../testing/fake-wrappers/stats.js";
