/** Stored users, groups and policies in the API's shapes (CONTRACT.md section 11.1): the roster's part
 * (names, memberships, static IPs) beside the record's (descriptions, times). Never a password hash. */
import { derivedId } from '../core/ids';
import { STATIC_IP_DISABLED } from '../core/static-ip';
import { toUtcMillis } from '../core/time';
import type { GroupRecord, PolicyRecord, Roster, ServerFacts, UserRecord } from './records';
import type { ApiAccessPolicy, ApiGroupMember, ApiUser, ApiUserGroup } from './schemas/answers';

/** the namespace of every server's default group id (UUIDv5 of the server id) */
const DEFAULT_GROUP_NAMESPACE = '0b8c5cf4-5a3e-4f7c-9a51-3c2f1d6e8a47';
export const DEFAULT_GROUP_NAME = 'default';

/** The server's default group: the same UUID for the server's life, created with the server. */
export const defaultGroupId = (serverId: string): string => derivedId(serverId, DEFAULT_GROUP_NAMESPACE);

/** A group id as the roster holds it: absent for the default group. */
export const rosterGroupOf = (server: ServerFacts, groupId: string): string | undefined =>
  groupId === defaultGroupId(server.id) ? undefined : groupId;

/** Whether `groupId` is the server's default group or one of its custom groups. */
export const isGroupOf = (server: ServerFacts, roster: Roster, groupId: string): boolean =>
  groupId === defaultGroupId(server.id) || groupId in roster.groups;

const groupNameOf = (roster: Roster, groupId: string | undefined): string =>
  groupId === undefined ? DEFAULT_GROUP_NAME : (roster.groups[groupId]?.name ?? DEFAULT_GROUP_NAME);

export const membersOf = (roster: Roster, groupId: string | undefined): string[] =>
  Object.keys(roster.users)
    .filter((id) => roster.users[id]!.group === groupId)
    .sort();

export function userView(server: ServerFacts, roster: Roster, user: UserRecord): ApiUser {
  const entry = roster.users[user.id]!;
  return {
    id: user.id,
    name: user.name,
    description: user.description,
    user_group_id: entry.group ?? defaultGroupId(server.id),
    user_group_name: groupNameOf(roster, entry.group),
    static_ip: entry.static_ip ?? STATIC_IP_DISABLED,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}

export const memberView = (user: UserRecord): ApiGroupMember => ({ id: user.id, name: user.name, description: user.description });

export function defaultGroupView(server: ServerFacts, roster: Roster): ApiUserGroup {
  const createdAt = toUtcMillis(new Date(server.created_at));
  return {
    id: defaultGroupId(server.id),
    name: DEFAULT_GROUP_NAME,
    description: '',
    type: 'Default',
    user_number: membersOf(roster, undefined).length,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export const customGroupView = (roster: Roster, group: GroupRecord): ApiUserGroup => ({
  id: group.id,
  name: roster.groups[group.id]!.name,
  description: group.description,
  type: 'Custom',
  user_number: membersOf(roster, group.id).length,
  created_at: group.created_at,
  updated_at: group.updated_at,
});

export function policyView(server: ServerFacts, roster: Roster, policy: PolicyRecord): ApiAccessPolicy {
  const entry = roster.policies[policy.id]!;
  return {
    id: policy.id,
    name: entry.name,
    type: 'Custom',
    user_group_id: entry.group,
    user_group_name: groupNameOf(roster, rosterGroupOf(server, entry.group)),
    description: policy.description,
    dest_ip_cidrs: policy.dest_ip_cidrs,
    created_at: policy.created_at,
    updated_at: policy.updated_at,
  };
}
