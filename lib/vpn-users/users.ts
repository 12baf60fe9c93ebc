/** The VPN users' use cases (CONTRACT.md section 11.2): create (one and a batch), show, list, update and
 * delete (one and a batch). A create writes its user records, then commits them to the roster in one
 * conditional write: all of a batch or nothing, under any concurrency. */
import { reservationFor, reserveClientToken, type TokenReservation } from '../core/client-token';
import { assertStillAwaited } from '../core/deadline';
import { clientTokenReused, invalidRequest, userGroupNotFound, userNotFound } from '../core/errors';
import { timeOrderedId } from '../core/ids';
import { listAnswer, pageOfIds, type PageRequest } from '../core/paging';
import { STATIC_IP_DISABLED } from '../core/static-ip';
import { toUtcMillis } from '../core/time';
import { hashPassword, passwordMatches } from './passwords';
import type { ServerTarget, UsersPorts } from './ports';
import type { Roster, RosterUser, ServerFacts, UserRecord } from './records';
import { admissionProblems, groupNamed } from './roster';
import type { BatchCreateVpnUsersCommand, CreateVpnUserCommand, InvalidUserEcho, NewUser, UpdateVpnUserCommand, UserTarget } from './schemas/users';
import { newUserFingerprint } from './schemas/users';
import { changeRecord, changeRoster, pageOf, readServerRoster, requirePasswordServer, withEntries, type ServerRoster } from './server-roster';
import { isGroupOf, rosterGroupOf, userView } from './view';
import type { ApiUser } from './schemas/answers';

/** A user to create, its id chosen and its group resolved to the roster's form. */
interface Admission {
  id: string;
  user: NewUser;
  group: string | undefined;
}

/** Ids for new users in request order: time-ordered, and sorted so that a list shows a batch as it came. */
const newIds = (count: number, now: Date): string[] => Array.from({ length: count }, () => timeOrderedId(now)).sort();

async function userRecordOf(admission: Admission, timestamp: string): Promise<UserRecord> {
  return {
    id: admission.id,
    name: admission.user.name,
    description: admission.user.description,
    passwords: [await hashPassword(admission.user.password)],
    created_at: timestamp,
    updated_at: timestamp,
    version: 1,
  };
}

const rosterUserOf = ({ user, group }: Admission): RosterUser => ({
  name: user.name,
  ...(group ? { group } : {}),
  ...(user.staticIp ? { static_ip: user.staticIp } : {}),
});

/** A replay of a completed create: each password must be the one its user was created with (a user
 * deleted since has no hash left to check). */
async function assertSamePasswords(ports: UsersPorts, target: ServerTarget, ids: readonly string[], users: readonly NewUser[]): Promise<void> {
  const records = await ports.store.readRecords(target, 'user', ids);
  const same = await Promise.all(ids.map((id, index) => passwordMatches(users[index]!.password, records.get(id)!.passwords[0]!)));
  if (same.includes(false)) throw clientTokenReused();
}

interface CreateFlow {
  operation: string;
  target: ServerTarget;
  clientToken?: string;
  users: (NewUser & { groupName?: string })[];
  /** resolves each user's group on the roster read: the group, or the cause it has none */
  groupsOf: (roster: Roster) => ({ group: string | undefined } | { cause: string })[];
}

type CreateOutcome = { created: string[] } | { causes: (string | undefined)[] };

/** The create of users, one or a batch: the token's reservation, the checks on the roster, the records,
 * the roster's commit; a replay answers the first call's ids, a retry after a crash completes it. */
async function createUsers(flow: CreateFlow, ports: UsersPorts, { server, roster }: ServerRoster, signal?: AbortSignal): Promise<CreateOutcome> {
  const { target, clientToken } = flow;
  const now = ports.now();
  const fingerprint = newUserFingerprint(flow.operation, target.serverId, flow.users);
  let reserved = clientToken ? reservationFor(await ports.store.readToken(target.projectId, clientToken), fingerprint, now) : undefined;
  const ids = reserved?.member_ids ?? newIds(flow.users.length, now);
  if (reserved && (reserved.completed || ids.every((id) => id in roster.users))) {
    await assertSamePasswords(ports, target, ids.filter((id) => id in roster.users), flow.users.filter((_, index) => ids[index]! in roster.users));
    return { created: ids };
  }

  const check = (current: Roster): { admissions: Admission[] } | { causes: (string | undefined)[] } => {
    const groups = flow.groupsOf(current);
    const admitted = admissionProblems(
      server,
      current,
      flow.users.map((user, index) => ({ id: ids[index]!, name: user.name, ...(user.staticIp ? { staticIp: user.staticIp } : {}) })),
    );
    const causes = groups.map((group, index) => ('cause' in group ? group.cause : admitted[index]));
    if (causes.some((cause) => cause !== undefined)) return { causes };
    return { admissions: flow.users.map((user, index) => ({ id: ids[index]!, user, group: (groups[index] as { group: string | undefined }).group })) };
  };
  const checked = check(roster);
  if ('causes' in checked) return checked;

  const timestamp = toUtcMillis(now);
  const records = await Promise.all(checked.admissions.map((admission) => userRecordOf(admission, timestamp)));
  assertStillAwaited(signal);
  if (clientToken && !reserved) {
    reserved = await reserveClientToken(
      ports.store,
      { project_id: target.projectId, token: clientToken, fingerprint, server_id: target.serverId, member_ids: ids },
      now,
    );
    if (reserved.member_ids?.join() !== ids.join()) return createUsers(flow, ports, await readServerRoster(ports, target), signal);
  }
  await ports.store.putRecords(target, 'user', records);
  const outcome = await changeRoster(ports, target, roster, (current): { next?: Roster; result: CreateOutcome } => {
    if (ids.every((id) => id in current.users)) return { result: { created: ids } };
    const again = check(current);
    if ('causes' in again) return { result: again };
    return { next: withEntries(current, 'users', Object.fromEntries(again.admissions.map((admission) => [admission.id, rosterUserOf(admission)]))), result: { created: ids } };
  }, signal);
  if ('causes' in outcome) await abandon(ports, target, ids, reserved);
  else if (reserved) await ports.store.completeToken(reserved);
  return outcome;
}

/** A create that met a concurrent one and so created nothing: its records go, its token is free again. */
async function abandon(ports: UsersPorts, target: ServerTarget, ids: readonly string[], reserved: TokenReservation | undefined): Promise<void> {
  await Promise.all([ports.store.deleteRecords(target, 'user', ids), reserved ? ports.store.releaseToken(reserved) : undefined]);
}

const groupById = (server: ServerFacts, groupId: string | undefined) => (roster: Roster) =>
  groupId === undefined ? { group: undefined } : isGroupOf(server, roster, groupId) ? { group: rosterGroupOf(server, groupId) } : { cause: 'unknown group' };

export async function createVpnUser(command: CreateVpnUserCommand, ports: UsersPorts, signal?: AbortSignal): Promise<{ id: string }> {
  const loaded = await readServerRoster(ports, command);
  requirePasswordServer(loaded.server);
  const { groupId } = command.user;
  const outcome = await createUsers(
    {
      operation: 'CreateVpnUser',
      target: command,
      ...(command.clientToken ? { clientToken: command.clientToken } : {}),
      users: [command.user],
      groupsOf: (roster) => [groupById(loaded.server, groupId)(roster)],
    },
    ports,
    loaded,
    signal,
  );
  if ('causes' in outcome) {
    if (outcome.causes[0] === 'unknown group') throw userGroupNotFound(groupId!, 'user.user_group_id');
    throw invalidRequest([outcome.causes[0]!.replace(/^(name|static_ip): /, 'user.$1: ')]);
  }
  return { id: outcome.created[0]! };
}

export async function batchCreateVpnUsers(command: BatchCreateVpnUsersCommand, ports: UsersPorts, signal?: AbortSignal): Promise<{ invalidUsers: (InvalidUserEcho & { cause: string })[] }> {
  const loaded = await readServerRoster(ports, command);
  requirePasswordServer(loaded.server);
  const { entries } = command;
  const invalid = (causes: readonly (string | undefined)[]) => ({
    invalidUsers: entries.flatMap((entry, index) => (causes[index] ? [{ ...entry.echo, cause: causes[index] }] : [])),
  });
  const valid = entries.flatMap((entry) => ('user' in entry ? [entry.user] : []));
  const duplicateNames = repeated(valid.map((user) => user.name.toLowerCase()));
  const duplicateIps = repeated(valid.flatMap((user) => (user.staticIp ? [user.staticIp] : [])));
  const groupsOf = (roster: Roster) =>
    valid.map((user) => groupNamed(roster, user.groupName) ?? { cause: `user_group_name: no user group "${user.groupName}" in this vpn server` });
  if (valid.length < entries.length || duplicateNames.size > 0 || duplicateIps.size > 0) {
    // the batch fails as a whole: every entry that breaks a rule is named, also against the roster
    const admitted = admissionProblems(loaded.server, loaded.roster, valid.map((user, index) => ({ id: `new-${index}`, name: user.name, ...(user.staticIp ? { staticIp: user.staticIp } : {}) })));
    const groups = groupsOf(loaded.roster);
    let validIndex = 0;
    return invalid(
      entries.map((entry, index) => {
        if ('cause' in entry) return entry.cause;
        const at = validIndex++;
        const problems = [
          duplicateNames.has(entry.user.name.toLowerCase()) ? `users[${index}].name: "${entry.user.name}" is repeated in the batch` : undefined,
          entry.user.staticIp && duplicateIps.has(entry.user.staticIp) ? `users[${index}].static_ip: ${entry.user.staticIp} is repeated in the batch` : undefined,
          'cause' in groups[at]! ? (groups[at]).cause : undefined,
          admitted[at],
        ].filter((problem) => problem !== undefined);
        return problems.length > 0 ? problems.join('; ') : undefined;
      }),
    );
  }
  const outcome = await createUsers(
    { operation: 'BatchCreateVpnUsers', target: command, ...(command.clientToken ? { clientToken: command.clientToken } : {}), users: valid, groupsOf },
    ports,
    loaded,
    signal,
  );
  return 'causes' in outcome ? invalid(outcome.causes) : { invalidUsers: [] };
}

const repeated = (values: readonly string[]): Set<string> => {
  const seen = new Set<string>();
  return new Set(values.filter((value) => seen.has(value) || !seen.add(value)));
};

async function readUser(ports: UsersPorts, target: UserTarget): Promise<ServerRoster & { user: UserRecord }> {
  const [loaded, records] = await Promise.all([readServerRoster(ports, target), ports.store.readRecords(target, 'user', [target.userId])]);
  const user = records.get(target.userId);
  if (!user || !(target.userId in loaded.roster.users)) throw userNotFound(target.userId);
  return { ...loaded, user };
}

export async function showVpnUser(target: UserTarget, ports: UsersPorts): Promise<ApiUser> {
  const { server, roster, user } = await readUser(ports, target);
  return userView(server, roster, user);
}

export async function listVpnUsers(query: ServerTarget & PageRequest, ports: UsersPorts) {
  const { server, roster } = await readServerRoster(ports, query);
  const page = pageOfIds(Object.keys(roster.users).sort(), query);
  const records = await ports.store.readRecords(query, 'user', page.ids);
  return listAnswer('users', pageOf(page, records, Object.keys(roster.users).length), (record) => userView(server, roster, record));
}

export async function updateVpnUser(command: UpdateVpnUserCommand, ports: UsersPorts, signal?: AbortSignal): Promise<ApiUser> {
  const { server, roster, user } = await readUser(ports, command);
  const groupOf = (current: Roster, entry: RosterUser): string | undefined => {
    if (command.groupId === undefined) return entry.group;
    if (!isGroupOf(server, current, command.groupId)) throw userGroupNotFound(command.groupId, 'user.user_group_id');
    return rosterGroupOf(server, command.groupId);
  };
  const staticIpOf = (entry: RosterUser): string | undefined =>
    command.staticIp === undefined ? entry.static_ip : command.staticIp === STATIC_IP_DISABLED ? undefined : command.staticIp;

  let rosterChanged = false;
  const finalRoster = await changeRoster(ports, command, roster, (current) => {
    const entry = current.users[command.userId];
    if (!entry) throw userNotFound(command.userId);
    const group = groupOf(current, entry);
    const staticIp = staticIpOf(entry);
    if (group === entry.group && staticIp === entry.static_ip) return { result: current };
    if (staticIp !== undefined && staticIp !== entry.static_ip) {
      const [problem] = admissionProblems(server, current, [{ id: command.userId, name: entry.name, staticIp }]);
      if (problem) throw invalidRequest([`user.${problem}`]);
    }
    const next = withEntries(current, 'users', { [command.userId]: { name: entry.name, ...(group ? { group } : {}), ...(staticIp ? { static_ip: staticIp } : {}) } });
    rosterChanged = true;
    return { next, result: next };
  }, signal);

  const descriptionChanged = command.description !== undefined && command.description !== user.description;
  if (!rosterChanged && !descriptionChanged) return userView(server, finalRoster, user);
  const written = await changeRecord(ports, command, 'user', command.userId, user, (current) => ({
    ...current,
    ...(command.description !== undefined ? { description: command.description } : {}),
    updated_at: toUtcMillis(ports.now()),
  }), () => userNotFound(command.userId), signal);
  return userView(server, finalRoster, written);
}

export async function deleteVpnUser(target: UserTarget, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  await deleteUsers(target, [target.userId], ports, signal, () => userNotFound(target.userId));
}

export async function batchDeleteVpnUsers(command: ServerTarget & { userIds: string[] }, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  await deleteUsers(command, command.userIds, ports, signal, (unknown) => invalidRequest([`users: no vpn user ${unknown.join(', ')} in this vpn server`]));
}

/** The roster forgets the users first (they are gone from then on), then their records go. */
async function deleteUsers(target: ServerTarget, ids: readonly string[], ports: UsersPorts, signal: AbortSignal | undefined, missing: (ids: string[]) => Error): Promise<void> {
  const { roster } = await readServerRoster(ports, target);
  await changeRoster(ports, target, roster, (current) => {
    const unknown = ids.filter((id) => !(id in current.users));
    if (unknown.length > 0) throw missing(unknown);
    return { next: withEntries(current, 'users', Object.fromEntries(ids.map((id) => [id, undefined]))), result: undefined };
  }, signal);
  await ports.store.deleteRecords(target, 'user', ids);
}
