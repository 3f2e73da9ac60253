// `tsfdw update`: the runner's update, with the kit's additions (see runner-command.ts).
import { runnerCommand } from "./runner-command.js";

export const run = runnerCommand("update");
