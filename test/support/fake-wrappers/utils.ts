// Moved to testing/fake-wrappers/utils.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../../testing/fake-wrappers/utils.js";
export { default } from "../../../testing/fake-wrappers/utils.js";
