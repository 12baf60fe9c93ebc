/** The create of a user group or an access policy (CONTRACT.md sections 11.3 to 11.5): with
 * X-Client-Token, a replay answers the first call's id (also once it was deleted); the record is written, then committed to the
 * roster; a create the roster refuses (a concurrent one took the name or the last place) leaves nothing
 * and frees its token. */
import { reservationFor, reserveClientToken, type TokenReservation } from '../core/client-token';
import { assertStillAwaited } from '../core/deadline';
import { isServiceError } from '../core/errors';
import { timeOrderedId } from '../core/ids';
import { toUtcMillis } from '../core/time';
import type { ServerTarget, UsersPorts } from './ports';
import type { GroupRecord, PolicyRecord, Roster, RosterGroup, RosterPolicy } from './records';
import { changeRoster, withEntries } from './server-roster';

type Kinds =
  | { kind: 'group'; section: 'groups'; record: Omit<GroupRecord, 'id' | 'created_at' | 'updated_at' | 'version'>; entry: RosterGroup }
  | { kind: 'policy'; section: 'policies'; record: Omit<PolicyRecord, 'id' | 'created_at' | 'updated_at' | 'version'>; entry: RosterPolicy };

export type EntryCreate = Kinds & {
  target: ServerTarget;
  clientToken?: string;
  fingerprint: string;
  /** throws when the roster cannot take the entry */
  check: (roster: Roster) => void;
};

export async function createEntry(create: EntryCreate, ports: UsersPorts, roster: Roster, signal?: AbortSignal): Promise<{ id: string }> {
  const { target, clientToken, fingerprint } = create;
  const now = ports.now();
  let reserved: TokenReservation | undefined = clientToken
    ? reservationFor(await ports.store.readToken(target.projectId, clientToken), fingerprint, now)
    : undefined;
  let id = reserved?.member_ids?.[0] ?? timeOrderedId(now);
  if (reserved && (reserved.completed || id in roster[create.section])) return { id };
  create.check(roster);
  if (clientToken && !reserved) {
    assertStillAwaited(signal);
    reserved = await reserveClientToken(ports.store, { project_id: target.projectId, token: clientToken, fingerprint, server_id: target.serverId, member_ids: [id] }, now);
    id = reserved.member_ids?.[0] ?? id;
  }
  const timestamp = toUtcMillis(now);
  await ports.store.putRecords(target, create.kind, [{ ...create.record, id, created_at: timestamp, updated_at: timestamp, version: 1 }]);
  try {
    const created = await changeRoster(
      ports,
      target,
      roster,
      (current) => {
        if (id in current[create.section]) return { result: { id } };
        create.check(current);
        return { next: withEntries(current, create.section, { [id]: create.entry }), result: { id } };
      },
      signal,
    );
    if (reserved) await ports.store.completeToken(reserved);
    return created;
  } catch (error) {
    // only a refusal is sure to have committed nothing: after a throttled or failed write the record stays
    if (!isServiceError(error) || error.status >= 429) throw error;
    await Promise.all([ports.store.deleteRecords(target, create.kind, [id]), reserved ? ports.store.releaseToken(reserved) : undefined]);
    throw error;
  }
}
