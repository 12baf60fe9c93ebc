/** The access policies' use cases (CONTRACT.md section 11.4): which destinations a group's users may
 * reach. The roster holds each policy's name and group (so a named group cannot go); the record its
 * description and destinations. */
import { accessPolicyNotFound, invalidRequest, userGroupNotFound } from '../core/errors';
import { MAX_ACCESS_POLICIES_PER_SERVER } from '../core/limits';
import { listAnswer, pageOfIds, type PageRequest } from '../core/paging';
import { toUtcMillis } from '../core/time';
import { createEntry } from './entry-create';
import type { ServerTarget, UsersPorts } from './ports';
import type { Roster, ServerFacts } from './records';
import { nameHolder } from './roster';
import type { ApiAccessPolicy } from './schemas/answers';
import { policyFingerprint, type CreateVpnAccessPolicyCommand, type PolicyTarget, type UpdateVpnAccessPolicyCommand } from './schemas/policies';
import { changeRecord, changeRoster, pageOf, readServerRoster, requirePasswordServer, withEntries, type ServerRoster } from './server-roster';
import { isGroupOf, policyView } from './view';

const GROUP_FIELD = 'access_policy.user_group_id';

function checkPolicy(server: ServerFacts, roster: Roster, fields: { name: string; groupId: string }, policyId?: string): void {
  if (!isGroupOf(server, roster, fields.groupId)) throw userGroupNotFound(fields.groupId, GROUP_FIELD);
  const holder = nameHolder(roster.policies, fields.name);
  if (holder !== undefined && holder !== policyId) {
    throw invalidRequest([`access_policy.name: "${fields.name}" is already the name of an access policy of this vpn server`]);
  }
}

export async function createVpnAccessPolicy(command: CreateVpnAccessPolicyCommand, ports: UsersPorts, signal?: AbortSignal): Promise<{ id: string }> {
  const { server, roster } = await readServerRoster(ports, command);
  requirePasswordServer(server);
  const { name, groupId, description, destinations } = command;
  return createEntry(
    {
      kind: 'policy',
      section: 'policies',
      record: { description, dest_ip_cidrs: destinations },
      entry: { name, group: groupId },
      target: command,
      ...(command.clientToken ? { clientToken: command.clientToken } : {}),
      fingerprint: policyFingerprint(command.serverId, { name, groupId, description, destinations }),
      check: (current) => {
        checkPolicy(server, current, command);
        if (Object.keys(current.policies).length >= MAX_ACCESS_POLICIES_PER_SERVER) {
          throw invalidRequest([`the vpn server already has ${MAX_ACCESS_POLICIES_PER_SERVER} access policies`]);
        }
      },
    },
    ports,
    roster,
    signal,
  );
}

async function readPolicy(ports: UsersPorts, target: PolicyTarget): Promise<ServerRoster & { view: ApiAccessPolicy }> {
  const [loaded, records] = await Promise.all([readServerRoster(ports, target), ports.store.readRecords(target, 'policy', [target.policyId])]);
  const record = records.get(target.policyId);
  if (!record || !(target.policyId in loaded.roster.policies)) throw accessPolicyNotFound(target.policyId);
  return { ...loaded, view: policyView(loaded.server, loaded.roster, record) };
}

export const showVpnAccessPolicy = async (target: PolicyTarget, ports: UsersPorts): Promise<ApiAccessPolicy> => (await readPolicy(ports, target)).view;

export async function listVpnAccessPolicies(query: ServerTarget & PageRequest, ports: UsersPorts) {
  const { server, roster } = await readServerRoster(ports, query);
  const page = pageOfIds(Object.keys(roster.policies).sort(), query);
  const records = await ports.store.readRecords(query, 'policy', page.ids);
  return listAnswer('access_policies', pageOf(page, records, Object.keys(roster.policies).length), (record) => policyView(server, roster, record));
}

const sameDestinations = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((cidr, index) => cidr === b[index]);

export async function updateVpnAccessPolicy(command: UpdateVpnAccessPolicyCommand, ports: UsersPorts, signal?: AbortSignal): Promise<ApiAccessPolicy> {
  const { server, roster, view } = await readPolicy(ports, command);
  let moved = false;
  const finalRoster = await changeRoster(ports, command, roster, (current) => {
    const entry = current.policies[command.policyId];
    if (!entry) throw accessPolicyNotFound(command.policyId);
    const next = { name: command.name ?? entry.name, group: command.groupId ?? entry.group };
    if (next.name === entry.name && next.group === entry.group) return { result: current };
    checkPolicy(server, current, { name: next.name, groupId: next.group }, command.policyId);
    const updated = withEntries(current, 'policies', { [command.policyId]: next });
    moved = true;
    return { next: updated, result: updated };
  }, signal);
  const recordChanged =
    (command.description !== undefined && command.description !== view.description) ||
    (command.destinations !== undefined && !sameDestinations(command.destinations, view.dest_ip_cidrs));
  if (!moved && !recordChanged) return view;
  const first = (await ports.store.readRecords(command, 'policy', [command.policyId])).get(command.policyId);
  if (!first) throw accessPolicyNotFound(command.policyId);
  const written = await changeRecord(ports, command, 'policy', command.policyId, first, (current) => ({
    ...current,
    ...(command.description !== undefined ? { description: command.description } : {}),
    ...(command.destinations !== undefined ? { dest_ip_cidrs: command.destinations } : {}),
    updated_at: toUtcMillis(ports.now()),
  }), () => accessPolicyNotFound(command.policyId), signal);
  return policyView(server, finalRoster, written);
}

export async function deleteVpnAccessPolicy(target: PolicyTarget, ports: UsersPorts, signal?: AbortSignal): Promise<void> {
  const { roster } = await readServerRoster(ports, target);
  await changeRoster(ports, target, roster, (current) => {
    if (!(target.policyId in current.policies)) throw accessPolicyNotFound(target.policyId);
    return { next: withEntries(current, 'policies', { [target.policyId]: undefined }), result: undefined };
  }, signal);
  await ports.store.deleteRecords(target, 'policy', [target.policyId]);
}
