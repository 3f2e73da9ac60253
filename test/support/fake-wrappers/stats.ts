// Fake `supabase:wrappers/stats@*`: records increments.
export const recorded: [string, string, number][] = [];
const stats = {
  incStats: (name: string, metric: { tag: string }, inc: number): void => {
    recorded.push([name, metric.tag, inc]);
  },
  getMetadata: (): string | null => null,
  setMetadata: (): void => {},
};
export default stats;
export const { incStats, getMetadata, setMetadata } = stats;
