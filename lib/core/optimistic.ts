/** Optimistic concurrency for a change of one stored item: read it, apply the change, write it on the
 * version that was read; after a lost race, pause (full jitter, growing with the attempt: racing changes
 * spread out instead of colliding again) and read and apply again. */
import { throttled } from './errors';
import { MAX_CHANGE_ATTEMPTS, MAX_CHANGE_BACKOFF_MS } from './limits';

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_CHANGE_BACKOFF_MS, 5 * 2 ** attempt)));

/** What one attempt did: wrote (or had nothing to write) and answers `result`, or met another change. */
export type Attempt<R> = { done: true; result: R } | { done: false };

export async function retryOnConflict<R>(attempt: () => Promise<Attempt<R>>): Promise<R> {
  for (let round = 1; round <= MAX_CHANGE_ATTEMPTS; round += 1) {
    if (round > 1) await backoff(round);
    const outcome = await attempt();
    if (outcome.done) return outcome.result;
  }
  // every attempt met a newer version: as busy as a throttled table, and retried the same way
  throw throttled();
}
