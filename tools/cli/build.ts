// `tsfdw build`: the stages live in tools/build/ (their own argument parsing in index.ts).
export { runBuild as run } from "../build/index.js";
