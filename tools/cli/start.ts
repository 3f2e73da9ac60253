// `tsfdw start` (npm start): the seed's demo, in tools/start.ts.
export { start as run } from "../start.js";
