/** The users feature's pure rules: the roster's admission checks, paging over ids, the default group,
 * and the bodies' parsers (batch causes in order, CIDR normalising). */
import { randomUUID } from 'node:crypto';
import { timeOrderedId } from '../../lib/core/ids';
import { MAX_USERS_PER_SERVER } from '../../lib/core/limits';
import { pageOfIds } from '../../lib/core/paging';
import { EMPTY_ROSTER, type Roster, type ServerFacts } from '../../lib/vpn-users/records';
import { admissionProblems, groupNamed, policiesOfGroup } from '../../lib/vpn-users/roster';
import { parseCreateVpnAccessPolicy } from '../../lib/vpn-users/schemas/policies';
import { newUserFingerprint, parseBatchCreateVpnUsers, parseCreateVpnUser, parseUpdateVpnUser } from '../../lib/vpn-users/schemas/users';
import { defaultGroupId, defaultGroupView } from '../../lib/vpn-users/view';

const server: ServerFacts = { id: randomUUID(), client_auth_type: 'LOCAL_PASSWORD', client_cidr: '172.16.0.0/24', created_at: '2026-12-01T10:00:00Z' };
const ids = { project_id: 'p', vpn_server_id: server.id, user_id: randomUUID() };
const rosterOf = (users: Roster['users'], groups: Roster['groups'] = {}): Roster => ({ ...EMPTY_ROSTER, version: 1, users, groups });

describe('admission to the roster', () => {
  test('a name taken ignoring case, by the roster or an earlier candidate, is refused; the user itself is not its own rival', () => {
    const roster = rosterOf({ u1: { name: 'Alice' } });
    expect(admissionProblems(server, roster, [{ id: 'n1', name: 'alice' }])[0]).toMatch(/"alice" is already the name/);
    expect(admissionProblems(server, roster, [{ id: 'u1', name: 'Alice', staticIp: '172.16.0.5' }])).toEqual([undefined]);
    expect(admissionProblems(server, EMPTY_ROSTER, [{ id: 'a', name: 'bob1' }, { id: 'b', name: 'BOB1' }])).toEqual([undefined, expect.stringMatching(/already the name/)]);
  });

  test('static IPs: the rules of the client_cidr, and one user each', () => {
    const roster = rosterOf({ u1: { name: 'held', static_ip: '172.16.0.9' } });
    const [taken, gatewayEnd, fine] = admissionProblems(server, roster, [
      { id: 'a', name: 'aaaa', staticIp: '172.16.0.9' },
      { id: 'b', name: 'bbbb', staticIp: '172.16.0.1' },
      { id: 'c', name: 'cccc', staticIp: '172.16.0.13' },
    ]);
    expect([taken, gatewayEnd, fine]).toEqual([expect.stringMatching(/already the static ip/), expect.stringMatching(/first usable address/), undefined]);
  });

  test(`the ${MAX_USERS_PER_SERVER}th user is admitted, the next is not; a user already there does not count twice`, () => {
    const full = rosterOf(Object.fromEntries(Array.from({ length: MAX_USERS_PER_SERVER - 1 }, (_, i) => [`u${i}`, { name: `user${i}` }])));
    expect(admissionProblems(server, full, [{ id: 'x', name: 'last' }, { id: 'y', name: 'over' }])).toEqual([undefined, `the vpn server already has ${MAX_USERS_PER_SERVER} users`]);
    expect(admissionProblems(server, full, [{ id: 'u1', name: 'user1' }])).toEqual([undefined]);
  });

  test('a batch names a group by name ignoring case, default included; policies name their groups', () => {
    const roster: Roster = { ...rosterOf({}, { g1: { name: 'Ops' } }), policies: { p1: { name: 'web', group: 'g1' } } };
    expect(groupNamed(roster, 'ops')).toEqual({ group: 'g1' });
    expect(groupNamed(roster, 'DEFAULT')).toEqual({ group: undefined });
    expect(groupNamed(roster, undefined)).toEqual({ group: undefined });
    expect(groupNamed(roster, 'dev')).toBeUndefined();
    expect(policiesOfGroup(roster, 'g1')).toEqual(['web']);
  });
});

describe('paging over ids', () => {
  const sorted = Array.from({ length: 5 }, () => timeOrderedId(new Date())).sort();
  test('pages follow the order, a deleted marker still continues after it, the last page has no marker', () => {
    expect(pageOfIds(sorted, { limit: 2 })).toEqual({ ids: sorted.slice(0, 2), nextMarker: sorted[1] });
    expect(pageOfIds(sorted, { limit: 2, marker: sorted[3]! })).toEqual({ ids: [sorted[4]] });
    expect(pageOfIds(sorted.filter((id) => id !== sorted[1]), { limit: 2, marker: sorted[1]! })).toEqual({ ids: sorted.slice(2, 4), nextMarker: sorted[3] });
    expect(pageOfIds(sorted, { limit: 5 })).toEqual({ ids: sorted });
  });

  test('a lead id comes first and is a marker of its own; a marker that is no id is 400', () => {
    const lead = randomUUID();
    expect(pageOfIds(sorted, { limit: 1 }, lead)).toEqual({ ids: [lead], nextMarker: lead });
    expect(pageOfIds(sorted, { limit: 2, marker: lead }, lead)).toEqual({ ids: sorted.slice(0, 2), nextMarker: sorted[1] });
    expect(() => pageOfIds(sorted, { limit: 2, marker: 'x' })).toThrow(/marker/);
  });

  test('time-ordered ids sort by their creation time', () => {
    const earlier = timeOrderedId(new Date('2026-01-01T00:00:00.000Z'));
    const later = timeOrderedId(new Date('2026-01-01T00:00:00.001Z'));
    expect(earlier < later).toBe(true);
  });
});

describe('the default group', () => {
  test('has one id for the server\'s life, another server\'s is another; it holds the users without a group', () => {
    expect(defaultGroupId(server.id)).toBe(defaultGroupId(server.id));
    expect(defaultGroupId(server.id)).not.toBe(defaultGroupId(randomUUID()));
    const view = defaultGroupView(server, rosterOf({ a: { name: 'aaaa' }, b: { name: 'bbbb', group: 'g' } }, { g: { name: 'g' } }));
    expect(view).toEqual({ id: defaultGroupId(server.id), name: 'default', description: '', type: 'Default', user_number: 1, created_at: '2026-12-01T10:00:00.000Z', updated_at: '2026-12-01T10:00:00.000Z' });
  });
});

describe('the bodies', () => {
  test('a batch\'s broken entries carry their causes in request order, echoing no password', () => {
    const command = parseBatchCreateVpnUsers({
      ids,
      clientTokenField: 'X-Client-Token',
      body: { users: [{ name: 'good.one', password: 'Typhoeus123' }, { name: 'x', password: 'Typhoeus123' }, { name: 'pw.short', password: 'Ab1', static_ip: '1.2.3' }] },
    });
    expect(command.entries.map((entry) => ('cause' in entry ? entry.cause : 'ok'))).toEqual([
      'ok',
      expect.stringMatching(/^users\[1\]\.name: must be 4 to 32/),
      expect.stringMatching(/users\[2\]\.static_ip: must be "disable".*; users\[2\]\.password: must be 8 to 32/),
    ]);
    expect(JSON.stringify(command.entries.map((entry) => entry.echo))).not.toContain('Ab1');
  });

  test('a batch\'s shape is the 400: not an object, empty, over 100, unknown fields', () => {
    for (const body of [[], { users: [] }, { users: Array.from({ length: 101 }, () => ({})) }, { users: [{ name: 'abcd', password: 'x', extra: 1 }] }, { users: ['x'] }]) {
      expect(() => parseBatchCreateVpnUsers({ ids, clientTokenField: 'X-Client-Token', body })).toThrow(/invalid request/);
    }
  });

  test('create: null as absent, static_ip disable as none; update names the fields it cannot take', () => {
    const { user } = parseCreateVpnUser({ ids, clientTokenField: 'X-Client-Token', body: { user: { name: 'abcd', password: 'Typhoeus123', description: null, static_ip: 'disable' } } });
    expect(user).toEqual({ name: 'abcd', password: 'Typhoeus123', description: '' });
    expect(() => parseUpdateVpnUser({ ids, clientTokenField: '', body: { user: { password: 'x' } } })).toThrow('user.password: cannot be updated here');
  });

  test('a policy\'s destinations are their networks; a duplicate after normalising is refused', () => {
    const body = (dest_ip_cidrs: string[]) => ({ access_policy: { name: 'p', user_group_id: randomUUID(), dest_ip_cidrs } });
    expect(parseCreateVpnAccessPolicy({ ids, clientTokenField: '', body: body(['10.1.2.3/8', '0.0.0.0/0']) }).destinations).toEqual(['10.0.0.0/8', '0.0.0.0/0']);
    expect(() => parseCreateVpnAccessPolicy({ ids, clientTokenField: '', body: body(['10.1.2.3/8', '10.0.0.0/8']) })).toThrow('dest_ip_cidrs[1]: is 10.0.0.0/8');
    expect(() => parseCreateVpnAccessPolicy({ ids, clientTokenField: '', body: body(Array.from({ length: 11 }, (_, i) => `10.${i}.0.0/16`)) })).toThrow('at most 10');
  });

  test('a create\'s token fingerprint leaves the password out', () => {
    const [a, b] = ['Typhoeus123', 'Gaia12345'].map((password) => newUserFingerprint('CreateVpnUser', server.id, [{ name: 'abcd', password, description: '' } as never]));
    expect(a).toBe(b);
    expect(newUserFingerprint('CreateVpnUser', server.id, [{ name: 'abce', description: '' }])).not.toBe(a);
  });
});
