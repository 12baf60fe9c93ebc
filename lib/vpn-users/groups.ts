/** The user groups' use cases (CONTRACT.md section 11.3): the server's default group, and up to
 * MAX_CUSTOM_GROUPS_PER_SERVER custom ones; membership lives in the roster, one group per user. */
import { invalidRequest, userGroupNotFound } from '../core/errors';
import { MAX_CUSTOM_GROUPS_PER_SERVER } from '../core/limits';
import { listAnswer, pageOfIds, type PageRequest } from '../core/paging';
import { toUtcMillis } from '../core/time';
import { createEntry } from './entry-create';
import type { ServerTarget, UsersPorts } from './ports';
import type { GroupRecord, Roster, ServerFacts } from './records';
import { nameHolder, policiesOfGroup } from './roster';
import type { ApiUserGroup } from './schemas/answers';
import { groupFingerprint, type CreateVpnUserGroupCommand, type GroupTarget, type UpdateVpnUserGroupCommand } from './schemas/groups';
import { changeRecord, changeRoster, pageOf, readServerRoster, requirePasswordServer, withEntries, type ServerRoster } from './server-roster';
import { customGroupView, defaultGroupId, defaultGroupView, membersOf, memberView, rosterGroupOf } from './view';

const nameProblem = (roster: Roster, name: string, groupId?: string): string | undefined => {
  const holder = nameHolder(roster.groups, name);
  return holder !== undefined && holder !== groupId ? `user_group.name: "${name}" is already the name of a user group of this vpn server` : undefined;
};

export async function createVpnUserGroup(command: CreateVpnUserGroupCommand, ports: UsersPorts, signal?: AbortSignal): Promise<{ id: string }> {
  const { server, roster } = await readServerRoster(ports, command);
  requirePasswordServer(server);
  return createEntry(
    {
      kind: 'group',
      section: 'groups',
      record: { description: command.description },
      entry: { name: command.name },
      target: command,
      ...(command.clientToken ? { clientToken: command.clientToken } : {}),
      fingerprint: groupFingerprint(command.serverId, command.name, command.description),
      check: (current) => {
        const taken = nameProblem(current, command.name);
        if (taken) throw invalidRequest([taken]);
        if (Object.keys(current.groups).length >= MAX_CUSTOM_GROUPS_PER_SERVER) {
          throw invalidRequest([`the vpn server already has ${MAX_CUSTOM_GROUPS_PER_SERVER} custom user groups`]);
        }
      },
    },
    ports,
    roster,
    signal,
  );
}

async function readGroup(ports: UsersPorts, target: GroupTarget): Promise<ServerRoster & { view: ApiUserGroup }> {
  const [loaded, records] = await Promise.all([readServerRoster(ports, target), ports.store.readRecords(target, 'group', [target.groupId])]);
  if (target.groupId === defaultGroupId(target.serverId)) return { ...loaded, view: defaultGroupView(loaded.server, loaded.roster) };
  const record = records.get(target.groupId);
  if (!record || !(target.groupId in loaded.roster.groups)) throw userGroupNotFound(target.groupId);
  return { ...loaded, view: customGroupView(loaded.roster, record) };
}

export const showVpnUserGroup = async (target: GroupTarget, ports: UsersPorts): Promise<ApiUserGroup> => (await readGroup(ports, target)).view;

export async function listVpnUserGroups(query: ServerTarget & PageRequest, ports: UsersPorts) {
  const { server, roster } = await readServerRoster(ports, query);
  const lead = defaultGroupId(server.id);
  const page = pageOfIds(Object.keys(roster.groups).sort(), query, lead);
  const records = await ports.store.readRecords(query, 'group', page.ids.filter((id) => id !== lead));
  // the default group has no record: its view stands in for one
  const shown = new Map<string, GroupRecord | ApiUserGroup>([...records, [lead, defaultGroupView(server, roster)]]);
  return listAnswer('user_groups', pageOf(page, shown, Object.keys(roster.groups).length + 1), (group) =>
    group.id === lead ? (group as ApiUserGroup) : customGroupView(roster, group as GroupRecord),
  );
}

const refuseDefault = (server: ServerFacts, groupId: string, what: string) => {
  if (groupId === defaultGroupId(server.id)) throw invalidRequest([`the default user group cannot be ${what}`]);
};

export async function updateVpnUserGroup(command: UpdateVpnUserGroupCommand, ports: UsersPorts, signal?: AbortSignal): Promise<ApiUserGroup> {
  const { server, roster, view } = await readGroup(ports, command);
  refuseDefault(server, command.groupId, 'updated');
  let renamed = false;
  const finalRoster = await changeRoster(ports, command, roster, (current) => {
    const entry = current.groups[command.groupId];
    if (!entry) throw userGroupNotFound(command.groupId);
    if (command.name === undefined || command.name === entry.name) return { result: current };
    const taken = nameProblem(current, command.name, command.groupId);
    if (taken) throw invalidRequest([taken]);
    const next = withEntries(current, 'groups', { [command.groupId]: { name: command.name } });
    renamed = true;
    return { next, result: next };
  }, signal);
  const described = command.description !== undefined && command.description !== view.description;
  if (!renamed && !described) return view;
  const first = (await ports.store.readRecords(command, 'group', [command.groupId])).get(command.groupId);
  if (!first) throw userGroupNotFound(command.groupId);
  const written = await changeRecord(ports, command, 'group', command.groupId, first, (current) => ({
    ...current,
    ...(command.description !== undefined ? { description: command.description } : {}),
    updated_at: toUtcMillis(ports.now()),
  }), () => userGroupNotFound(command.groupId), signal);
  return customGroupView(finalRoster, written);
}

/** Its users move to the default group; a group a policy names stays. */
export async function deleteVpnUserGroup(target: GroupTarget, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  const { server, roster } = await readServerRoster(ports, target);
  refuseDefault(server, target.groupId, 'deleted');
  await changeRoster(ports, target, roster, (current) => {
    if (!(target.groupId in current.groups)) throw userGroupNotFound(target.groupId);
    const policies = policiesOfGroup(current, target.groupId);
    if (policies.length > 0) throw invalidRequest([`user group ${target.groupId} is named by access policies ${policies.join(', ')}`]);
    const moved = Object.fromEntries(membersOf(current, target.groupId).map((id) => [id, withoutGroup(current, id)]));
    return { next: withEntries(withEntries(current, 'users', moved), 'groups', { [target.groupId]: undefined }), result: undefined };
  }, signal);
  await ports.store.deleteRecords(target, 'group', [target.groupId]);
}

const withoutGroup = (roster: Roster, userId: string) => {
  const { group: _group, ...entry } = roster.users[userId]!;
  return entry;
};

const unknownUsers = (ids: readonly string[]) => invalidRequest([`users: no vpn user ${ids.join(', ')} in this vpn server`]);

/** Moves each user into the group from wherever it was (into the default group: back to it). */
export async function addVpnUsersToGroup(command: GroupTarget & { userIds: string[] }, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  const { server, roster } = await readServerRoster(ports, command);
  requirePasswordServer(server);
  const group = rosterGroupOf(server, command.groupId);
  await changeRoster(ports, command, roster, (current) => {
    if (group !== undefined && !(group in current.groups)) throw userGroupNotFound(command.groupId);
    const unknown = command.userIds.filter((id) => !(id in current.users));
    if (unknown.length > 0) throw unknownUsers(unknown);
    const moving = command.userIds.filter((id) => current.users[id]!.group !== group);
    if (moving.length === 0) return { result: undefined };
    const moved = Object.fromEntries(moving.map((id) => [id, group ? { ...current.users[id]!, group } : withoutGroup(current, id)]));
    return { next: withEntries(current, 'users', moved), result: undefined };
  }, signal);
}

/** Moves each user back to the default group; every one must be a member of this group. */
export async function removeVpnUsersFromGroup(command: GroupTarget & { userIds: string[] }, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  const { server, roster } = await readServerRoster(ports, command);
  refuseDefault(server, command.groupId, 'left (add the users to another group instead)');
  await changeRoster(ports, command, roster, (current) => {
    if (!(command.groupId in current.groups)) throw userGroupNotFound(command.groupId);
    const unknown = command.userIds.filter((id) => !(id in current.users));
    if (unknown.length > 0) throw unknownUsers(unknown);
    const others = command.userIds.filter((id) => current.users[id]!.group !== command.groupId);
    if (others.length > 0) throw invalidRequest([`users: ${others.join(', ')} are not members of user group ${command.groupId}`]);
    return { next: withEntries(current, 'users', Object.fromEntries(command.userIds.map((id) => [id, withoutGroup(current, id)]))), result: undefined };
  }, signal);
}

export async function listVpnUsersInGroup(query: GroupTarget & PageRequest, ports: UsersPorts) {
  const { server, roster } = await readGroup(ports, query);
  const members = membersOf(roster, rosterGroupOf(server, query.groupId));
  const page = pageOfIds(members, query);
  const records = await ports.store.readRecords(query, 'user', page.ids);
  return listAnswer('users', pageOf(page, records, members.length), memberView);
}
