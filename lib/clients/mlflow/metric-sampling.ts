/**
 * The steps metrics/get-history-bulk-interval returns, as MLflow's server computes them
 * (handlers.py `_get_sampled_steps`): sample up to `maxResults` steps evenly across the union of all
 * runs' steps in [startStep, endStep], always add the last step in range, and add back each run's own
 * minimum and maximum step (when in range) so every line starts and ends where it really does.
 * Used by the sandbox's emulation and by the client's fallback for servers without that endpoint.
 */
export function sampleSteps(
  stepsPerRun: number[][],
  maxResults: number,
  range?: { startStep: number; endStep: number },
): number[] {
  const allSteps = [...new Set(stepsPerRun.flat())].sort((a, b) => a - b);
  const startStep = range?.startStep ?? 0;
  const endStep = range?.endStep ?? allSteps.at(-1) ?? 0;
  const minsAndMaxes = new Set<number>();
  for (const steps of stepsPerRun) {
    if (!steps.length) continue;
    for (const step of [Math.min(...steps), Math.max(...steps)])
      if (step >= startStep && step <= endStep) minsAndMaxes.add(step);
  }
  const startIndex = allSteps.findIndex((step) => step >= startStep);
  const endIndex = findLastIndexAtMost(allSteps, endStep) + 1;
  const sampled = new Set<number>();
  if (startIndex >= 0 && endIndex > startIndex) {
    const count = endIndex - startIndex;
    if (count <= maxResults) {
      for (let i = startIndex; i < endIndex; i++) sampled.add(allSteps[i]);
    } else {
      const interval = count / maxResults;
      for (let i = 0; i < maxResults; i++) {
        const index = startIndex + Math.floor(i * interval);
        // MLflow compares the absolute index with the count here; kept so the answers match.
        if (index < count) sampled.add(allSteps[index]);
      }
      sampled.add(allSteps[endIndex - 1]);
    }
  }
  return [...new Set([...sampled, ...minsAndMaxes])].sort((a, b) => a - b);
}

function findLastIndexAtMost(sorted: number[], limit: number): number {
  let index = -1;
  for (let i = 0; i < sorted.length && sorted[i] <= limit; i++) index = i;
  return index;
}
