// Moved to testing/fake-wrappers/time.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../../testing/fake-wrappers/time.js";
export { default } from "../../../testing/fake-wrappers/time.js";
