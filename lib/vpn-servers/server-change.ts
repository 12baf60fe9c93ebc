/** A change of one stored server (update, client CA import, rename, delete): read the latest server,
 * apply the change, write it on the version that was read; after a lost race, read and apply again. */
import { assertStillAwaited } from '../core/deadline';
import { serverNotFound } from '../core/errors';
import { retryOnConflict, type Attempt } from '../core/optimistic';
import type { ServerSnapshot, UseCasePorts } from './ports';
import type { VpnServerRecord } from './records';

export type ReadSnapshot = ServerSnapshot & { server: VpnServerRecord };

/** `next` undefined: nothing to write (a no-op, or a replay), answer `result` as it is. */
export interface ChangeOutcome<R> {
  next?: VpnServerRecord;
  result: R;
}

export function changeServer<R>(
  ports: UseCasePorts,
  read: () => Promise<ServerSnapshot>,
  change: (snapshot: ReadSnapshot) => Promise<ChangeOutcome<R>> | ChangeOutcome<R>,
  serverId: string,
  signal?: AbortSignal,
): Promise<R> {
  return retryOnConflict(async (): Promise<Attempt<R>> => {
    const snapshot = await read();
    if (!snapshot.server) throw serverNotFound(serverId);
    const { next, result } = await change(snapshot as ReadSnapshot);
    if (!next) return { done: true, result };
    assertStillAwaited(signal);
    return (await ports.store.replaceServer(next, snapshot.server.version)) ? { done: true, result } : { done: false };
  });
}
