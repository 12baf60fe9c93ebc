/**
 * The Terraform provider's call sequences for huaweicloud_vpn_user, huaweicloud_vpn_user_group and
 * huaweicloud_vpn_access_policy, and the data sources huaweicloud_vpn_users, _user_groups and
 * _access_policies (reference/huawei-vpn-users.md sections 2.6 to 4.4), replayed through `npm start`'s
 * serverless-offline and signed as the Huawei SDK signs. Every status must be one Terraform's HTTP layer
 * accepts, except where Terraform itself turns a 404 into "gone".
 */
import { randomUUID } from 'node:crypto';
import { demoSeed } from '../support/local-table';
import { PROJECT, passwordAuthExample } from '../support/requests';
import { sdkClient, type Sdk, type SdkResult } from './support/sdk-client';
import { startStack, writeSeedFile, type Stack } from './support/stack';

jest.setTimeout(180_000);

const GATEWAY = randomUUID();
let stack: Stack;
let sdk: Sdk;
let serverId: string;

const SERVER = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}';
const USERS = `${SERVER}/users`;
const USER = `${USERS}/{user_id}`;
const GROUPS = `${SERVER}/groups`;
const GROUP = `${GROUPS}/{group_id}`;
const POLICIES = `${SERVER}/access-policies`;
const POLICY = `${POLICIES}/{policy_id}`;

/** golangsdk's defaultOkCodes */
const OK_CODES: Record<string, number[]> = { GET: [200], POST: [200, 201, 202], PUT: [200, 201, 202], DELETE: [200, 202, 204] };

async function tf(method: string, url: string, call: Parameters<Sdk>[2] = {}): Promise<SdkResult> {
  const result = await sdk(method, url, { ...call, pathParams: { vpn_server_id: serverId, ...call.pathParams } });
  expect({ method, url, status: OK_CODES[method]!.includes(result.status) ? 'accepted' : result.status, body: result.json }).toEqual({
    method,
    url,
    status: 'accepted',
    body: expect.anything(),
  });
  return result;
}
/** a call whose 404 Terraform treats as "gone" (CheckDeletedDiag), or as a done delete */
const tfGone = (method: string, url: string, pathParams: Record<string, string>) => sdk(method, url, { pathParams: { vpn_server_id: serverId, ...pathParams } });

const nonEmpty = expect.stringMatching(/\S/);
const idString = expect.stringMatching(/^[0-9a-f-]{36}$/);

/** httphelper.MarkerPager: no limit, then marker=<next_marker> (still no limit) until the array is empty
 * or next_marker is missing, null or "" */
async function markerPager(url: string, rows: string): Promise<Record<string, any>[]> {
  const all: Record<string, any>[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const result = await tf('GET', url, marker ? { queryParams: { marker } } : {});
    const items = result.json[rows] as Record<string, any>[];
    all.push(...items);
    marker = result.json.page_info?.next_marker;
    if (items.length === 0 || !marker) return all;
  }
  throw new Error('the pager did not stop');
}

/** getUsersFromUserGroup: ?limit=50, then &marker=<next_marker> unencoded (the markers are UUIDs, the same
 * encoded or not), until next_marker is missing or null; an empty string would make it ask forever, so it
 * fails the test here */
async function groupMembers(groupId: string): Promise<Record<string, any>[]> {
  const all: Record<string, any>[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    expect(marker ?? '').toMatch(/^[0-9a-f-]*$/);
    const result = await tf('GET', `${GROUP}/users`, { pathParams: { group_id: groupId }, queryParams: { limit: '50', ...(marker !== undefined ? { marker } : {}) } });
    all.push(...(result.json.users as Record<string, any>[]));
    const next = result.json.page_info?.next_marker;
    expect(next).not.toBe('');
    if (next === undefined || next === null) return all;
    marker = next;
  }
  throw new Error('the member pager did not stop');
}

beforeAll(async () => {
  const seed = demoSeed();
  const gateway = { project_id: PROJECT, id: GATEWAY, name: 'tf-users', vpc_id: randomUUID(), status: 'ACTIVE', max_connection_number: 50, eip: { ip_address: '198.51.100.77' } };
  stack = await startStack({ seedFile: writeSeedFile({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, gateway] }) });
  sdk = sdkClient(stack.baseUrl);
  const created = await sdk('POST', '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers', { pathParams: { p2c_vgw_id: GATEWAY }, data: passwordAuthExample() });
  expect(created.status).toBe(201);
  serverId = created.json.vpn_server.id;
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

/** resourceVpnUserRead: the user's fields Terraform sets */
async function readUser(id: string): Promise<Record<string, any>> {
  const { json } = await tf('GET', USER, { pathParams: { user_id: id } });
  expect(json.user).toEqual(expect.objectContaining({ id, name: nonEmpty, user_group_id: idString, user_group_name: nonEmpty, created_at: nonEmpty, updated_at: nonEmpty }));
  return json.user;
}

describe('huaweicloud_vpn_user and the huaweicloud_vpn_users data source', () => {
  const name = 'tf_test_usera';
  let id: string;

  test('step 1: create with description "test" (static_ip never sent), then Read', async () => {
    const created = await tf('POST', USERS, { data: { user: { name, password: 'Typhoeus123', description: 'test' } } });
    id = created.json.user.id;
    expect(id).toEqual(idString);
    expect(await readUser(id)).toMatchObject({ name, description: 'test', user_group_name: 'default' });
  });

  test('the data source reads it with a non-empty description, through every marker page', async () => {
    const users = await markerPager(USERS, 'users');
    expect(users[0]).toEqual(expect.objectContaining({ id, name, description: 'test', created_at: nonEmpty, updated_at: nonEmpty }));
  });

  test('step 2: description "" with the current user_group_id, then reset-password "Gaia1234", then Read', async () => {
    const current = await readUser(id);
    await tf('PUT', USER, { pathParams: { user_id: id }, data: { user: { description: '', user_group_id: current.user_group_id } } });
    const reset = await tf('POST', `${USER}/reset-password`, { pathParams: { user_id: id }, data: { new_password: 'Gaia1234' } });
    expect(Object.keys(reset.json)).toEqual(['request_id']);
    expect(await readUser(id)).toMatchObject({ description: '', user_group_id: current.user_group_id });
  });

  test('import by id, then delete: 204; a second delete and the read are 404, which Terraform takes as gone', async () => {
    expect((await readUser(id)).name).toBe(name);
    await tf('DELETE', USER, { pathParams: { user_id: id } });
    expect((await tfGone('DELETE', USER, { user_id: id })).status).toBe(404);
    expect((await tfGone('GET', USER, { user_id: id })).json.error_code).toBe('VPN.0004');
  });
});

describe('huaweicloud_vpn_user_group and the huaweicloud_vpn_user_groups data source', () => {
  const users: string[] = [];
  let groupId: string;

  async function readGroup(): Promise<{ group: Record<string, any>; members: Record<string, any>[] }> {
    const { json } = await tf('GET', GROUP, { pathParams: { group_id: groupId } });
    expect(json.user_group).toEqual(expect.objectContaining({ name: nonEmpty, type: 'Custom', user_number: expect.any(Number), created_at: nonEmpty, updated_at: nonEmpty }));
    return { group: json.user_group, members: await groupMembers(groupId) };
  }

  test('three users tf_test_xxxxx0..2, then the group with users [u0, u1]: POST, add-users, Read', async () => {
    for (const index of [0, 1, 2]) {
      users.push((await tf('POST', USERS, { data: { user: { name: `tf_test_grpus${index}`, password: `Typhoeus12${index}`, description: 'test' } } })).json.user.id);
    }
    groupId = (await tf('POST', GROUPS, { data: { user_group: { name: 'tf_test_grpus', description: 'test' } } })).json.user_group.id;
    expect(groupId).toEqual(idString);
    const added = await tf('POST', `${GROUP}/add-users`, { pathParams: { group_id: groupId }, data: { users: [{ id: users[0] }, { id: users[1] }] } });
    expect(added.status).toBe(201);
    const { group, members } = await readGroup();
    expect(group.user_number).toBe(2);
    expect(members.map((member) => member.id).sort()).toEqual([users[0], users[1]].sort());
    expect(Object.keys(members[0]!).sort()).toEqual(['description', 'id', 'name']);
  });

  test('the update: the PUT with both keys, remove-users (old - new), add-users (new - old), Read', async () => {
    await tf('PUT', GROUP, { pathParams: { group_id: groupId }, data: { user_group: { name: 'tf_test_grpus-update', description: 'test update' } } });
    await tf('POST', `${GROUP}/remove-users`, { pathParams: { group_id: groupId }, data: { users: [{ id: users[0] }] } });
    await tf('POST', `${GROUP}/add-users`, { pathParams: { group_id: groupId }, data: { users: [{ id: users[2] }] } });
    const { group, members } = await readGroup();
    expect(group).toMatchObject({ name: 'tf_test_grpus-update', description: 'test update', user_number: 2 });
    expect(members.map((member) => member.id).sort()).toEqual([users[1], users[2]].sort());
  });

  test('no users block: remove-users [u1, u2] leaves users.# = 0; the data source lists the default group first', async () => {
    await tf('POST', `${GROUP}/remove-users`, { pathParams: { group_id: groupId }, data: { users: [{ id: users[1] }, { id: users[2] }] } });
    expect((await readGroup()).members).toEqual([]);
    const groups = await markerPager(GROUPS, 'user_groups');
    expect(groups[0]).toMatchObject({ name: 'default', type: 'Default' });
    expect(groups.map((group) => group.id)).toContain(groupId);
    for (const group of groups) expect(group).toEqual(expect.objectContaining({ id: idString, name: nonEmpty, type: nonEmpty, created_at: nonEmpty, updated_at: nonEmpty }));
  });

  test('members page by 50 with an unencoded marker and stop on a missing next_marker', async () => {
    const big = (await tf('POST', GROUPS, { data: { user_group: { name: 'tf_test_big' } } })).json.user_group.id;
    const batch = Array.from({ length: 55 }, (_, i) => ({ name: `tf_big_${String(i).padStart(2, '0')}`, password: 'Typhoeus123', user_group_name: 'tf_test_big' }));
    expect((await tf('POST', `${USERS}/batch-create`, { data: { users: batch } })).json.invalid_users).toEqual([]);
    const members = await groupMembers(big);
    expect(members.map((member) => member.name)).toEqual(batch.map((entry) => entry.name));
  });

  test('delete: 204 (its users go home); a second delete is 404, which Terraform takes as done', async () => {
    await tf('DELETE', GROUP, { pathParams: { group_id: groupId } });
    expect((await tfGone('DELETE', GROUP, { group_id: groupId })).status).toBe(404);
    expect((await tfGone('GET', GROUP, { group_id: groupId })).status).toBe(404);
  });
});

describe('huaweicloud_vpn_access_policy and the huaweicloud_vpn_access_policies data source', () => {
  let groups: string[];
  let policyId: string;

  async function readPolicy(): Promise<Record<string, any>> {
    const { json } = await tf('GET', POLICY, { pathParams: { policy_id: policyId } });
    expect(json.access_policy).toEqual(expect.objectContaining({ name: nonEmpty, user_group_id: idString, user_group_name: nonEmpty, created_at: nonEmpty, updated_at: nonEmpty }));
    return json.access_policy;
  }

  test('two groups "test0 " and "test1 " (trailing spaces), the policy on g0 with overlapping CIDRs, Read', async () => {
    groups = [];
    for (const index of [0, 1]) groups.push((await tf('POST', GROUPS, { data: { user_group: { name: `tf_test_pol${index}`, description: `test${index} ` } } })).json.user_group.id);
    const created = await tf('POST', POLICIES, {
      data: { access_policy: { name: 'tf_test_policy', user_group_id: groups[0], dest_ip_cidrs: ['192.168.0.0/16', '192.168.34.0/24'], description: 'test' } },
    });
    policyId = created.json.access_policy.id;
    expect(policyId).toEqual(idString);
    expect(await readPolicy()).toMatchObject({ user_group_id: groups[0], user_group_name: 'tf_test_pol0', dest_ip_cidrs: ['192.168.0.0/16', '192.168.34.0/24'] });
  });

  test('the update with all four keys moves it to g1 with one CIDR and description ""', async () => {
    await tf('PUT', POLICY, { pathParams: { policy_id: policyId }, data: { access_policy: { name: 'tf_test_policy-update', user_group_id: groups[1], dest_ip_cidrs: ['192.168.0.0/30'], description: '' } } });
    expect(await readPolicy()).toMatchObject({ name: 'tf_test_policy-update', user_group_id: groups[1], user_group_name: 'tf_test_pol1', dest_ip_cidrs: ['192.168.0.0/30'], description: '' });
    const listed = await markerPager(POLICIES, 'access_policies');
    expect(listed[0]).toEqual(expect.objectContaining({ id: policyId, name: nonEmpty, user_group_id: idString, user_group_name: nonEmpty, created_at: nonEmpty, updated_at: nonEmpty }));
  });

  test('delete: 204; a second delete is 404; then its group can go', async () => {
    await tf('DELETE', POLICY, { pathParams: { policy_id: policyId } });
    expect((await tfGone('DELETE', POLICY, { policy_id: policyId })).status).toBe(404);
    await tf('DELETE', GROUP, { pathParams: { group_id: groups[1]! } });
  });
});
