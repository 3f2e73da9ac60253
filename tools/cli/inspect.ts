// `tsfdw inspect`: the runner's inspect, with the kit's additions (see runner-command.ts).
import { runnerCommand } from "./runner-command.js";

export const run = runnerCommand("inspect");
