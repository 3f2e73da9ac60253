// `tsfdw delete`: the runner's delete, with the kit's additions (see runner-command.ts).
import { runnerCommand } from "./runner-command.js";

export const run = runnerCommand("delete");
