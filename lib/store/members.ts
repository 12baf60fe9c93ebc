/** The users, groups and policies of each server (lib/vpn-users/ports.ts): one partition per server with
 * its roster and a record per user, group and policy. Reads are consistent; the roster and the records
 * change by conditional puts on their version. */
import type { ClientTokenStore } from '../core/client-token';
import type { MemberStore, ServerTarget } from '../vpn-users/ports';
import { EMPTY_ROSTER, type RecordKind, type RecordKinds, type Roster } from '../vpn-users/records';
import type { ServerRepository, ServerUsers } from '../vpn-servers/ports';
import { keyId, keys } from './keys';
import { withoutKey, type TableClient } from './table-client';

type MemberRepository = Omit<MemberStore, keyof ClientTokenStore> & ServerUsers;

export function memberRepository(table: TableClient, servers: Pick<ServerRepository, 'readServer'>): MemberRepository {
  const readRoster = async (projectId: string, serverId: string) => (await table.get<Roster>(keys.roster(projectId, serverId))) ?? EMPTY_ROSTER;
  const recordKey = (target: ServerTarget, kind: RecordKind, id: string) => keys.member(target.projectId, target.serverId, kind, id);
  return {
    async readServerFacts({ projectId, serverId }) {
      const { server } = await servers.readServer({ projectId, serverId });
      return server && { id: server.id, client_auth_type: server.client_auth_type, client_cidr: server.client_cidr, created_at: server.created_at };
    },

    readRoster: ({ projectId, serverId }) => readRoster(projectId, serverId),

    async readUserStaticIps(projectId, serverId) {
      const { users } = await readRoster(projectId, serverId);
      return Object.values(users).flatMap((user) => (user.static_ip ? [{ name: user.name, address: user.static_ip }] : []));
    },

    replaceRoster: ({ projectId, serverId }, next, readVersion) =>
      table.putIf(
        keys.roster(projectId, serverId),
        { ...next, version: readVersion + 1 },
        readVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :read',
        readVersion === 0 ? undefined : { ':read': readVersion },
      ),

    async readRecords<K extends RecordKind>(target: ServerTarget, kind: K, ids: readonly string[]) {
      const wanted = ids.map((id) => recordKey(target, kind, id));
      const found = wanted.length > 0 ? await table.batchGet(wanted) : new Map<string, Record<string, unknown>>();
      const records = new Map<string, RecordKinds[K]>();
      ids.forEach((id, index) => {
        const record = withoutKey<RecordKinds[K]>(found.get(keyId(wanted[index]!)));
        if (record) records.set(id, record);
      });
      return records;
    },

    async putRecords(target, kind, records) {
      await table.batchWrite(records.map((record) => ({ ...(record as object), ...recordKey(target, kind, record.id) })));
    },

    replaceRecord: (target, kind, next, readVersion) =>
      table.putIf(recordKey(target, kind, next.id), { ...next, version: readVersion + 1 }, 'version = :read', { ':read': readVersion }),

    async deleteRecords(target, kind, ids) {
      await table.batchWrite([], ids.map((id) => recordKey(target, kind, id)));
    },
  };
}
