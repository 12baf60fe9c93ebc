/** A change of one stored server (update, client CA import, rename, delete): read the latest server,
 * apply the change, write it on the version that was read; after a lost race, read and apply again. */
import { assertStillAwaited } from '../core/deadline';
import { serverNotFound, throttled } from '../core/errors';
import { MAX_CHANGE_ATTEMPTS, MAX_CHANGE_BACKOFF_MS } from '../core/limits';
import type { ServerSnapshot, UseCasePorts } from './ports';
import type { VpnServerRecord } from './records';

export type ReadSnapshot = ServerSnapshot & { server: VpnServerRecord };

/** `next` undefined: nothing to write (a no-op, or a replay), answer `result` as it is. */
export interface ChangeOutcome<R> {
  next?: VpnServerRecord;
  result: R;
}

/** Full jitter, growing with the attempt: racing changes spread out instead of colliding again. */
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_CHANGE_BACKOFF_MS, 5 * 2 ** attempt)));

export async function changeServer<R>(
  ports: UseCasePorts,
  read: () => Promise<ServerSnapshot>,
  change: (snapshot: ReadSnapshot) => Promise<ChangeOutcome<R>> | ChangeOutcome<R>,
  serverId: string,
  signal?: AbortSignal,
): Promise<R> {
  for (let attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt += 1) {
    if (attempt > 1) await backoff(attempt);
    const snapshot = await read();
    if (!snapshot.server) throw serverNotFound(serverId);
    const { next, result } = await change(snapshot as ReadSnapshot);
    if (!next) return result;
    assertStillAwaited(signal);
    if (await ports.store.replaceServer(next, snapshot.server.version)) return result;
  }
  // every attempt met a newer version: as busy as a throttled table, and retried the same way
  throw throttled();
}
