/** The rules that hold across a server's users, groups and policies, checked on the roster each change
 * is about to commit (CONTRACT.md sections 11.2 to 11.4). Pure. */
import { addressNumber, block } from '../core/ipv4';
import { MAX_USERS_PER_SERVER } from '../core/limits';
import { staticIpProblem } from '../core/static-ip';
import type { Roster, ServerFacts } from './records';
import { nameKey } from './rules';
import { DEFAULT_GROUP_NAME } from './view';

/** A user about to join the roster (created) or to change its static IP. */
export interface Candidate {
  id: string;
  name: string;
  staticIp?: string;
}

/** Why each candidate cannot join the roster, by index (undefined: it can): its name or static IP taken
 * by another user or by a candidate before it, its static IP outside the server's rules, or the user
 * limit reached. */
export function admissionProblems(server: ServerFacts, roster: Roster, candidates: readonly Candidate[]): (string | undefined)[] {
  const names = new Map(Object.entries(roster.users).map(([id, user]) => [nameKey(user.name), id]));
  const addresses = staticIpHolders(roster);
  let count = Object.keys(roster.users).length;
  return candidates.map((candidate) => {
    const problems: string[] = [];
    const nameHolder = names.get(nameKey(candidate.name));
    if (nameHolder !== undefined && nameHolder !== candidate.id) problems.push(`name: "${candidate.name}" is already the name of a user of this server`);
    if (candidate.staticIp !== undefined) {
      const problem = staticIpProblem(addressNumber(candidate.staticIp), block(server.client_cidr));
      const holder = addresses.get(candidate.staticIp);
      if (problem) problems.push(`static_ip: ${candidate.staticIp} ${problem}`);
      else if (holder !== undefined && holder !== candidate.id) problems.push(`static_ip: ${candidate.staticIp} is already the static ip of a user of this server`);
    }
    const isNew = !(candidate.id in roster.users);
    if (isNew && count >= MAX_USERS_PER_SERVER) problems.push(`the vpn server already has ${MAX_USERS_PER_SERVER} users`);
    if (problems.length > 0) return problems.join('; ');
    names.set(nameKey(candidate.name), candidate.id);
    if (candidate.staticIp !== undefined) addresses.set(candidate.staticIp, candidate.id);
    if (isNew) count += 1;
    return undefined;
  });
}

const staticIpHolders = (roster: Roster): Map<string, string> =>
  new Map(Object.entries(roster.users).flatMap(([id, user]) => (user.static_ip ? [[user.static_ip, id] as const] : [])));

/** The group a batch entry names (`default` included, names compared ignoring case) as the roster holds
 * it: `{ group: undefined }` for the default group, undefined when there is none of that name. */
export function groupNamed(roster: Roster, name: string | undefined): { group: string | undefined } | undefined {
  if (name === undefined || nameKey(name) === DEFAULT_GROUP_NAME) return { group: undefined };
  const id = Object.keys(roster.groups).find((groupId) => nameKey(roster.groups[groupId]!.name) === nameKey(name));
  return id ? { group: id } : undefined;
}

/** Another group or policy already holds `name` (ignoring case)? Its id. */
export const nameHolder = (entries: Roster['groups'] | Roster['policies'], name: string): string | undefined =>
  Object.keys(entries).find((id) => nameKey(entries[id]!.name) === nameKey(name));

/** The policies that name a group: it cannot be deleted while they do. */
export const policiesOfGroup = (roster: Roster, groupId: string): string[] =>
  Object.values(roster.policies)
    .filter((policy) => policy.group === groupId)
    .map((policy) => policy.name);
