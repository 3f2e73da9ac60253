// Fake `supabase:wrappers/stats@*`: records increments in fakeHost.stats; metadata per fdw name.
import { fakeHost, recordedStats } from "../fake-host.js";

export const recorded = recordedStats;
const stats = {
  incStats: (name: string, metric: { tag: string }, inc: number): void => {
    recordedStats.push([name, metric.tag, inc]);
  },
  getMetadata: (name: string): string | null => fakeHost.metadata.get(name) ?? null,
  setMetadata: (name: string, metadata: string | null | undefined): void => {
    fakeHost.metadata.set(name, metadata ?? null);
  },
};
export default stats;
export const { incStats, getMetadata, setMetadata } = stats;
