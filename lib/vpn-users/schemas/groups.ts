/** The user groups' bodies (CONTRACT.md section 11.3). */
import * as z from 'zod/mini';
import { absentIfNull, parseClientToken } from '../../core/fields';
import { lowercaseId } from '../../core/ids';
import { parseOrThrow } from '../../core/issues';
import { requestFingerprint } from '../../core/client-token';
import type { ServerTarget } from '../ports';
import { descriptionSchema, groupNameSchema, userIdsBodySchema } from './fields';

export const createVpnUserGroupBodySchema = z.strictObject({
  user_group: z.strictObject({ name: groupNameSchema, description: absentIfNull(descriptionSchema) }),
});
export const updateVpnUserGroupBodySchema = z.strictObject({
  user_group: z.strictObject({ name: absentIfNull(groupNameSchema), description: absentIfNull(descriptionSchema) }),
});
export { userIdsBodySchema as groupUsersBodySchema };

export interface GroupTarget extends ServerTarget {
  groupId: string;
}

export interface CreateVpnUserGroupCommand extends ServerTarget {
  clientToken?: string;
  name: string;
  description: string;
}

export interface UpdateVpnUserGroupCommand extends GroupTarget {
  name?: string;
  description?: string;
}

type Input = { ids: Readonly<Record<string, string>>; clientToken?: unknown; clientTokenField: string; body: unknown };

export const parseGroupTarget = ({ ids }: { ids: Readonly<Record<string, string>> }): GroupTarget => ({
  projectId: ids.project_id!,
  serverId: ids.vpn_server_id!,
  groupId: ids.group_id!,
});

export function parseCreateVpnUserGroup(input: Input): CreateVpnUserGroupCommand {
  const { user_group: group } = parseOrThrow(createVpnUserGroupBodySchema, input.body);
  const clientToken = parseClientToken(input.clientToken, input.clientTokenField);
  return {
    projectId: input.ids.project_id!,
    serverId: input.ids.vpn_server_id!,
    ...(clientToken !== undefined ? { clientToken } : {}),
    name: group.name,
    description: group.description ?? '',
  };
}

export function parseUpdateVpnUserGroup(input: Input): UpdateVpnUserGroupCommand {
  const { user_group: group } = parseOrThrow(updateVpnUserGroupBodySchema, input.body);
  return { ...parseGroupTarget(input), ...(group.name != null ? { name: group.name } : {}), ...(group.description != null ? { description: group.description } : {}) };
}

export function parseGroupUsers(input: Input): GroupTarget & { userIds: string[] } {
  const body = parseOrThrow(userIdsBodySchema, input.body);
  return { ...parseGroupTarget(input), userIds: [...new Set(body.users.map((user) => lowercaseId(user.id)))] };
}

export const groupFingerprint = (serverId: string, name: string, description: string): string =>
  requestFingerprint('CreateVpnUserGroup', { serverId, name, description });
