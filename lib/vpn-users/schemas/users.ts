/** The users' bodies (CONTRACT.md section 11.2): create, batch create, update, batch delete and the two
 * password calls; each parser gives its use case's command. */
import * as z from 'zod/mini';
import { requestFingerprint } from '../../core/client-token';
import { absentIfNull, always, parseClientToken } from '../../core/fields';
import { lowercaseId } from '../../core/ids';
import { parseOrThrow, validate } from '../../core/issues';
import { MAX_USERS_PER_BATCH } from '../../core/limits';
import { STATIC_IP_DISABLED } from '../../core/static-ip';
import type { ServerTarget } from '../ports';
import { passwordProblem } from '../rules';
import { descriptionSchema, groupIdSchema, groupNameSchema, passwordSchema, refusing, staticIpSchema, userIdsBodySchema, userNameSchema } from './fields';

type Context = { addIssue: (issue: z.core.$ZodRawIssue) => void };

/** The password's rule needs the name beside it. */
const passwordOfName = (passwordField: string) =>
  z.superRefine((user: unknown, ctx: Context) => {
    if (typeof user !== 'object' || user === null) return;
    const { name, [passwordField]: password } = user as Record<string, unknown>;
    if (typeof name !== 'string' || typeof password !== 'string') return;
    const problem = passwordProblem(password, name);
    if (problem) ctx.addIssue({ code: 'custom', path: [passwordField], message: problem, input: undefined });
  }, always);

const newUserSchema = z
  .strictObject({
    name: userNameSchema,
    password: passwordSchema,
    description: absentIfNull(descriptionSchema),
    user_group_id: absentIfNull(groupIdSchema),
    static_ip: absentIfNull(staticIpSchema),
  })
  .check(passwordOfName('password'));

export const createVpnUserBodySchema = z.strictObject({ user: newUserSchema });

/** A batch entry's fields are its own rules: a broken one is an invalid user of the 201, not a 400. */
const batchEntrySchema = z
  .strictObject({
    name: userNameSchema,
    password: passwordSchema,
    description: absentIfNull(descriptionSchema),
    user_group_name: absentIfNull(groupNameSchema),
    static_ip: absentIfNull(staticIpSchema),
  })
  .check(passwordOfName('password'));

/** What the 400 of a batch checks: the shape only. */
export const batchCreateVpnUsersBodySchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        name: z.optional(z.unknown()),
        password: z.optional(z.unknown()),
        description: z.optional(z.unknown()),
        user_group_name: z.optional(z.unknown()),
        static_ip: z.optional(z.unknown()),
      }),
    )
    .check(z.minLength(1), z.maxLength(MAX_USERS_PER_BATCH)),
});

export const updateVpnUserBodySchema = z.strictObject({
  user: z
    .strictObject({
      description: absentIfNull(descriptionSchema),
      user_group_id: absentIfNull(groupIdSchema),
      static_ip: absentIfNull(staticIpSchema),
      name: z.optional(z.unknown()),
      password: z.optional(z.unknown()),
    })
    .check(refusing(['name'], 'cannot be updated'), refusing(['password'], 'cannot be updated here (use the password calls)')),
});

export const changePasswordBodySchema = z.strictObject({ old_password: passwordSchema, new_password: passwordSchema });
export const resetPasswordBodySchema = z.strictObject({ new_password: passwordSchema });
export { userIdsBodySchema as batchDeleteVpnUsersBodySchema };

export interface NewUser {
  name: string;
  password: string;
  description: string;
  /** undefined: the default group */
  groupId?: string;
  /** undefined: none ("disable") */
  staticIp?: string;
}

export interface CreateVpnUserCommand extends ServerTarget {
  clientToken?: string;
  user: NewUser;
}

/** A batch entry as checked: the user to create, or the echo and cause of an invalid one. */
type BatchEntry =
  | { user: NewUser & { groupName?: string }; echo: InvalidUserEcho }
  | { cause: string; echo: InvalidUserEcho };

export interface InvalidUserEcho {
  name?: string;
  description?: string;
  user_group_name?: string;
  static_ip?: string;
}

export interface BatchCreateVpnUsersCommand extends ServerTarget {
  clientToken?: string;
  entries: BatchEntry[];
}

export interface UserTarget extends ServerTarget {
  userId: string;
}

export interface UpdateVpnUserCommand extends UserTarget {
  description?: string;
  groupId?: string;
  /** STATIC_IP_DISABLED removes it */
  staticIp?: string;
}

export interface PasswordCommand extends UserTarget {
  /** the change's; the reset has none */
  oldPassword?: string;
  newPassword: string;
}

const staticIpOf = (ip: string | undefined) => (ip === undefined || ip === STATIC_IP_DISABLED ? undefined : ip);

const newUserOf = (user: {
  name: string;
  password: string;
  description?: string | undefined | null;
  user_group_id?: string | undefined | null;
  static_ip?: string | undefined | null;
}): NewUser => {
  const staticIp = staticIpOf(user.static_ip ?? undefined);
  return {
    name: user.name,
    password: user.password,
    description: user.description ?? '',
    ...(user.user_group_id ? { groupId: lowercaseId(user.user_group_id) } : {}),
    ...(staticIp ? { staticIp } : {}),
  };
};

type Input = { ids: Readonly<Record<string, string>>; clientToken?: unknown; clientTokenField: string; body: unknown };
const serverOf = ({ ids }: { ids: Readonly<Record<string, string>> }): ServerTarget => ({ projectId: ids.project_id!, serverId: ids.vpn_server_id! });
const userOf = (input: { ids: Readonly<Record<string, string>> }): UserTarget => ({ ...serverOf(input), userId: input.ids.user_id! });
const tokenOf = (input: Input) => {
  const token = parseClientToken(input.clientToken, input.clientTokenField);
  return token !== undefined ? { clientToken: token } : {};
};

export function parseCreateVpnUser(input: Input): CreateVpnUserCommand {
  const body = parseOrThrow(createVpnUserBodySchema, input.body);
  return { ...serverOf(input), ...tokenOf(input), user: newUserOf(body.user) };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function parseBatchCreateVpnUsers(input: Input): BatchCreateVpnUsersCommand {
  const body = parseOrThrow(batchCreateVpnUsersBodySchema, input.body);
  const entries = body.users.map((raw, index): BatchEntry => {
    const echo: InvalidUserEcho = {
      ...(text(raw.name) !== undefined ? { name: text(raw.name) } : {}),
      description: text(raw.description) ?? '',
      ...(text(raw.user_group_name) !== undefined ? { user_group_name: text(raw.user_group_name) } : {}),
      static_ip: text(raw.static_ip) ?? STATIC_IP_DISABLED,
    };
    const checked = validate(batchEntrySchema, raw, `users[${index}]`);
    if (checked.problems) return { cause: checked.problems.join('; '), echo };
    const { user_group_name: groupName, ...user } = checked.data;
    return { user: { ...newUserOf(user), ...(groupName ? { groupName } : {}) }, echo };
  });
  return { ...serverOf(input), ...tokenOf(input), entries };
}

export function parseUpdateVpnUser(input: Input): UpdateVpnUserCommand {
  const { user } = parseOrThrow(updateVpnUserBodySchema, input.body);
  return {
    ...userOf(input),
    ...(user.description != null ? { description: user.description } : {}),
    ...(user.user_group_id != null ? { groupId: lowercaseId(user.user_group_id) } : {}),
    ...(user.static_ip != null ? { staticIp: user.static_ip } : {}),
  };
}

export const parseUserTarget = (input: { ids: Readonly<Record<string, string>> }): UserTarget => userOf(input);

export function parseBatchDeleteVpnUsers(input: Input): ServerTarget & { userIds: string[] } {
  const body = parseOrThrow(userIdsBodySchema, input.body);
  return { ...serverOf(input), userIds: [...new Set(body.users.map((user) => lowercaseId(user.id)))] };
}

export function parseChangePassword(input: Input): PasswordCommand {
  const body = parseOrThrow(changePasswordBodySchema, input.body);
  return { ...userOf(input), oldPassword: body.old_password, newPassword: body.new_password };
}

export function parseResetPassword(input: Input): PasswordCommand {
  const body = parseOrThrow(resetPasswordBodySchema, input.body);
  return { ...userOf(input), newPassword: body.new_password };
}

/** Identifies a user create for X-Client-Token: everything but the password (the reservation never holds
 * one, nor an unsalted digest of one: a replay's password is checked against the created user's hash). */
export const newUserFingerprint = (operation: string, serverId: string, users: readonly (Omit<NewUser, 'password'> & { groupName?: string })[]): string =>
  requestFingerprint(operation, {
    serverId,
    users: users.map(({ name, description, groupId, groupName, staticIp }) => ({ name, description, groupId, groupName, staticIp })),
  });
