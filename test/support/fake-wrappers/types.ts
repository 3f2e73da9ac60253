// Moved to testing/fake-wrappers/types.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../../testing/fake-wrappers/types.js";
export { default } from "../../../testing/fake-wrappers/types.js";
