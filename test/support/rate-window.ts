/** The most start times inside any half-open window of `ms` (amoCRM's "requests per second", measured at any offset). */
export function busiestWindow(starts: number[], ms = 1000): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
