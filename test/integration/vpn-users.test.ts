/** CONTRACT.md section 11 through the catalogue's parsers and use cases, on a real dynalite: users,
 * groups and policies, their rules, paging, tokens, concurrency without transactions, and a crash between
 * a batch's writes. */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { isServiceError, type ServiceError } from '../../lib/core/errors';
import { MAX_CUSTOM_GROUPS_PER_SERVER } from '../../lib/core/limits';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { parseIds, perform, type Reply } from '../../lib/operations/operation';
import type { ServicePorts } from '../../lib/operations/ports';
import type { Store } from '../../lib/store/store';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { GATEWAY, OTHER_PROJECT, PROJECT, certAuthExample, passwordAuthExample } from '../support/requests';

jest.setTimeout(120_000);

const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
const pool = Array.from({ length: 30 }, (_, i) => ({ ...template, id: randomUUID(), name: `users-${i}` }));
let taken = 0;
const freshGateway = (): string => pool[taken++]!.id;

let table: LocalTable;

beforeAll(async () => {
  const seed = demoSeed();
  seed.p2c_vpn_gateways = [...seed.p2c_vpn_gateways!, ...pool];
  table = await startLocalTable(seed);
});

afterAll(async () => {
  await table?.close();
});

const portsOver = (store: Store): ServicePorts => ({ store, now: () => new Date(), newId: randomUUID });

interface Call {
  ids?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  clientToken?: string;
  store?: Store;
}

/** One call as an adapter makes it: the operation's parser, its use case, its reply. */
async function call(name: string, { ids = {}, body, query = {}, clientToken, store = table.store }: Call): Promise<Reply & { body: any }> {
  const operation = OPERATIONS.find((entry) => entry.name === name)!;
  // as the adapters do: the path's ids checked and lower-cased first
  return perform(operation, { ids: parseIds(operation, { project_id: PROJECT, ...ids }), query, clientTokenField: 'X-Client-Token', body, ...(clientToken ? { clientToken } : {}) }, portsOver(store)) as Promise<
    Reply & { body: any }
  >;
}

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isServiceError(outcome)) throw new Error(`expected a ServiceError, got ${String(outcome)}`);
  return outcome;
}
const codeOf = async (promise: Promise<unknown>) => {
  const error = await refusal(promise);
  return [error.status, error.code, error.message] as const;
};

async function passwordServer(body: object = passwordAuthExample()): Promise<string> {
  const created = await call('CreateVpnServer', { ids: { p2c_vgw_id: freshGateway() }, body });
  return created.body.vpn_server.id;
}

const user = (name: string, extra: Record<string, unknown> = {}) => ({ user: { name, password: 'Typhoeus123', ...extra } });

describe('users', () => {
  let server: string;
  beforeAll(async () => {
    server = await passwordServer();
  });

  test('a created user reads back with the defaults: "" description, the default group, static_ip disable, ms times', async () => {
    const created = await call('CreateVpnUser', { ids: { vpn_server_id: server }, body: user('alice.ops') });
    expect(created.status).toBe(201);
    const shown = await call('ShowVpnUser', { ids: { vpn_server_id: server, user_id: created.body.user.id.toUpperCase() } });
    const groups = await call('ListVpnUserGroups', { ids: { vpn_server_id: server } });
    const defaultGroup = groups.body.user_groups[0];
    expect(defaultGroup).toMatchObject({ name: 'default', type: 'Default', description: '' });
    expect(shown.body.user).toEqual({
      id: created.body.user.id,
      name: 'alice.ops',
      description: '',
      user_group_id: defaultGroup.id,
      user_group_name: 'default',
      static_ip: 'disable',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: shown.body.user.created_at,
    });
    expect(JSON.stringify(shown)).not.toMatch(/Typhoeus|scrypt|salt|hash/);
  });

  test('names are unique ignoring case; a name equal to the password is refused', async () => {
    await call('CreateVpnUser', { ids: { vpn_server_id: server }, body: user('Bob.One') });
    expect(await codeOf(call('CreateVpnUser', { ids: { vpn_server_id: server }, body: user('bob.one') }))).toEqual([
      400,
      'VPN.0001',
      expect.stringContaining('user.name: "bob.one" is already the name of a user of this server'),
    ]);
    const reversed = [...'Typhoeus123'].reverse().join('').toUpperCase();
    const [, , message] = await codeOf(call('CreateVpnUser', { ids: { vpn_server_id: server }, body: { user: { name: 'Typhoeus123', password: reversed } } }));
    expect(message).toContain('user.password:');
    expect(message).not.toContain(reversed);
  });

  test('static_ip: first address of a /30 in client_cidr, not the gateway end, not another user\'s', async () => {
    const ids = { vpn_server_id: server };
    expect((await call('CreateVpnUser', { ids, body: user('static.one', { static_ip: '172.16.0.5' }) })).status).toBe(201);
    for (const [address, rule] of [
      ['172.16.0.5', 'already the static ip'],
      ['172.16.0.1', 'first usable address'],
      ['172.16.0.6', 'first address of a /30'],
      ['10.0.0.5', 'is not in client_cidr 172.16.0.0/24'],
    ] as const) {
      const [status, , message] = await codeOf(call('CreateVpnUser', { ids, body: user(`ip.${address.replaceAll('.', '')}`, { static_ip: address }) }));
      expect([address, status, message]).toEqual([address, 400, expect.stringContaining(rule)]);
    }
  });

  test('an unknown user_group_id is 404 naming it; a CERT server takes no users but a password server switched to CERT keeps answering reads', async () => {
    const missing = randomUUID();
    expect(await codeOf(call('CreateVpnUser', { ids: { vpn_server_id: server }, body: user('nogroup', { user_group_id: missing }) }))).toEqual([
      404,
      'VPN.0004',
      `user.user_group_id: user group ${missing} not found`,
    ]);
    const cert = await call('CreateVpnServer', { ids: { p2c_vgw_id: freshGateway() }, body: certAuthExample() });
    const [status, , message] = await codeOf(call('CreateVpnUser', { ids: { vpn_server_id: cert.body.vpn_server.id }, body: user('certuser') }));
    expect([status, message]).toEqual([400, expect.stringContaining('need LOCAL_PASSWORD')]);
    expect((await call('ListVpnUsers', { ids: { vpn_server_id: cert.body.vpn_server.id } })).body).toMatchObject({ users: [], total_count: 0 });
  });

  test('a server update whose client_cidr strands a static_ip is 400 naming the user; once it is disabled the update goes', async () => {
    const own = await passwordServer();
    const ids = { vpn_server_id: own };
    const holder = (await call('CreateVpnUser', { ids, body: user('pinned.user', { static_ip: '172.16.0.5' }) })).body.user.id;
    await call('CreateVpnUser', { ids, body: user('free.user') });
    const move = { vpn_server: { client_cidr: '172.17.0.0/24' } };
    expect(await codeOf(call('UpdateVpnServer', { ids, body: move }))).toEqual([400, 'VPN.0001', expect.stringContaining('users pinned.user (172.16.0.5)')]);
    // a wider block that still holds the address keeps it valid
    expect((await call('UpdateVpnServer', { ids, body: { vpn_server: { client_cidr: '172.16.0.0/23' } } })).status).toBe(200);
    await call('UpdateVpnUser', { ids: { ...ids, user_id: holder }, body: { user: { static_ip: 'disable' } } });
    expect((await call('UpdateVpnServer', { ids, body: move })).status).toBe(200);
  });

  test('update: name or password named as not updatable; the same values write nothing; a change moves updated_at', async () => {
    const ids = { vpn_server_id: server };
    const { body } = await call('CreateVpnUser', { ids, body: user('update.me', { description: 'test' }) });
    const target = { ...ids, user_id: body.user.id };
    const [, , message] = await codeOf(call('UpdateVpnUser', { ids: target, body: { user: { name: 'x', password: 'y' } } }));
    expect(message).toEqual(expect.stringContaining('user.name: cannot be updated'));
    expect(message).toEqual(expect.stringContaining('user.password: cannot be updated'));
    const before = (await call('ShowVpnUser', { ids: target })).body.user;
    const same = await call('UpdateVpnUser', { ids: target, body: { user: { description: 'test', user_group_id: before.user_group_id } } });
    expect(same.body.user).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const changed = await call('UpdateVpnUser', { ids: target, body: { user: { description: '' } } });
    expect(changed.body.user).toMatchObject({ description: '', created_at: before.created_at });
    expect(changed.body.user.updated_at > before.updated_at).toBe(true);
  });

  test('the password change needs the current one and refuses the last 5; the reset does not need it', async () => {
    const ids = { vpn_server_id: server };
    const { body } = await call('CreateVpnUser', { ids, body: { user: { name: 'rotating', password: 'Password0' } } });
    const target = { ...ids, user_id: body.user.id };
    expect(await codeOf(call('UpdateVpnUserPassword', { ids: target, body: { old_password: 'Wrong0000', new_password: 'Password9' } }))).toEqual([
      400,
      'VPN.0001',
      'invalid request: old_password: is not the current password',
    ]);
    for (let i = 1; i <= 5; i += 1) {
      await call('UpdateVpnUserPassword', { ids: target, body: { old_password: `Password${i - 1}`, new_password: `Password${i}` } });
    }
    // Password0 fell out of the last 5 (1..5); Password1 has not
    expect(await codeOf(call('ResetVpnUserPassword', { ids: target, body: { new_password: 'Password1' } }))).toEqual([
      400,
      'VPN.0001',
      'invalid request: new_password: must not be one of the last 5 passwords',
    ]);
    expect((await call('ResetVpnUserPassword', { ids: target, body: { new_password: 'Password0' } })).status).toBe(200);
    expect((await call('UpdateVpnUserPassword', { ids: target, body: { old_password: 'Password0', new_password: 'Password6' } })).status).toBe(200);
  });

  test('delete and batch delete: unknown ids name themselves and delete nothing; 404 after delete', async () => {
    const ids = { vpn_server_id: server };
    const a = (await call('CreateVpnUser', { ids, body: user('gone.a') })).body.user.id;
    const b = (await call('CreateVpnUser', { ids, body: user('gone.b') })).body.user.id;
    const unknown = randomUUID();
    const [, , message] = await codeOf(call('BatchDeleteVpnUsers', { ids, body: { users: [{ id: a }, { id: unknown }] } }));
    expect(message).toContain(unknown);
    expect((await call('ShowVpnUser', { ids: { ...ids, user_id: a } })).status).toBe(200);
    expect((await call('BatchDeleteVpnUsers', { ids, body: { users: [{ id: a }, { id: a.toUpperCase() }] } })).status).toBe(200);
    expect((await call('DeleteVpnUser', { ids: { ...ids, user_id: b } })).status).toBe(204);
    for (const id of [a, b]) expect((await codeOf(call('ShowVpnUser', { ids: { ...ids, user_id: id } })))[0]).toBe(404);
    expect((await codeOf(call('DeleteVpnUser', { ids: { ...ids, user_id: b } })))[0]).toBe(404);
  });

  test('another project\'s server, and a user of another server, are unknown', async () => {
    const other = await passwordServer();
    const { body } = await call('CreateVpnUser', { ids: { vpn_server_id: other }, body: user('elsewhere') });
    expect((await codeOf(call('ShowVpnUser', { ids: { vpn_server_id: server, user_id: body.user.id } })))[1]).toBe('VPN.0004');
    const foreign = await refusal(perform(OPERATIONS.find((entry) => entry.name === 'ListVpnUsers')!, { ids: { project_id: OTHER_PROJECT, vpn_server_id: other }, query: {}, clientTokenField: '', body: undefined }, portsOver(table.store)));
    expect([foreign.status, foreign.message]).toEqual([404, `vpn server ${other} not found`]);
  });
});

describe('paging', () => {
  test('users page oldest first, never repeat or skip, marker without limit, next_marker absent at the end, bad markers 400', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const created = await call('BatchCreateVpnUsers', { ids, body: { users: Array.from({ length: 7 }, (_, i) => ({ name: `pager${i}`, password: 'Typhoeus123' })) } });
    expect(created.body.invalid_users).toEqual([]);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await call('ListVpnUsers', { ids, query: { limit: '3', ...(marker ? { marker } : {}) } });
      expect(page.body.total_count).toBe(7);
      expect(page.body.page_info.current_count).toBe(page.body.users.length);
      seen.push(...page.body.users.map((entry: { name: string }) => entry.name));
      marker = page.body.page_info.next_marker;
      expect(marker).not.toBe('');
    } while (marker);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `pager${i}`));
    const first = await call('ListVpnUsers', { ids, query: { limit: '2' } });
    const rest = await call('ListVpnUsers', { ids, query: { marker: first.body.page_info.next_marker } });
    expect(rest.body.users).toHaveLength(5);
    expect(rest.body.page_info).toEqual({ current_count: 5 });
    for (const bad of ['not-a-marker', randomUUID().toUpperCase()]) expect((await codeOf(call('ListVpnUsers', { ids, query: { marker: bad } })))[0]).toBe(400);
    expect((await codeOf(call('ListVpnUsers', { ids, query: { limit: '201' } })))[0]).toBe(400);
  });

  test('groups: the default one first; members page by the users\' created_at', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const groupIds: string[] = [];
    for (const name of ['g-one', 'g-two']) groupIds.push((await call('CreateVpnUserGroup', { ids, body: { user_group: { name } } })).body.user_group.id);
    const page1 = await call('ListVpnUserGroups', { ids, query: { limit: '1' } });
    expect(page1.body.user_groups.map((group: { name: string }) => group.name)).toEqual(['default']);
    const page2 = await call('ListVpnUserGroups', { ids, query: { limit: '5', marker: page1.body.page_info.next_marker } });
    expect(page2.body.user_groups.map((group: { name: string }) => group.name)).toEqual(['g-one', 'g-two']);
    expect(page2.body.total_count).toBe(3);
    await call('BatchCreateVpnUsers', { ids, body: { users: ['m0', 'm1', 'm2'].map((name) => ({ name: `${name}-user`, password: 'Typhoeus123', user_group_name: 'G-ONE' })) } });
    const members = await call('ListVpnUsersInGroup', { ids: { ...ids, group_id: groupIds[0]! }, query: { limit: '2' } });
    expect(members.body.users.map((member: { name: string }) => member.name)).toEqual(['m0-user', 'm1-user']);
    expect(Object.keys(members.body.users[0]).sort()).toEqual(['description', 'id', 'name']);
    expect(members.body.total_count).toBe(3);
  });
});

describe('groups and policies', () => {
  test('add-users moves, remove-users moves back and needs members; the default group cannot change; user_number follows', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const group = (await call('CreateVpnUserGroup', { ids, body: { user_group: { name: 'ops', description: 'test0 ' } } })).body.user_group.id;
    const u1 = (await call('CreateVpnUser', { ids, body: user('member.one') })).body.user.id;
    const u2 = (await call('CreateVpnUser', { ids, body: user('member.two') })).body.user.id;
    expect((await call('AddVpnUsersToGroup', { ids: { ...ids, group_id: group }, body: { users: [{ id: u1 }, { id: u2 }] } })).status).toBe(201);
    expect((await call('ShowVpnUserGroup', { ids: { ...ids, group_id: group } })).body.user_group).toMatchObject({ user_number: 2, type: 'Custom', description: 'test0 ' });
    expect((await call('ShowVpnUser', { ids: { ...ids, user_id: u1 } })).body.user).toMatchObject({ user_group_id: group, user_group_name: 'ops' });
    const defaultId = (await call('ListVpnUserGroups', { ids })).body.user_groups[0].id;
    expect((await codeOf(call('RemoveVpnUsersFromGroup', { ids: { ...ids, group_id: defaultId }, body: { users: [{ id: u1 }] } })))[0]).toBe(400);
    expect((await codeOf(call('UpdateVpnUserGroup', { ids: { ...ids, group_id: defaultId }, body: { user_group: { name: 'x' } } })))[0]).toBe(400);
    expect((await codeOf(call('DeleteVpnUserGroup', { ids: { ...ids, group_id: defaultId } })))[0]).toBe(400);
    expect((await call('RemoveVpnUsersFromGroup', { ids: { ...ids, group_id: group }, body: { users: [{ id: u1 }] } })).status).toBe(201);
    const [, , message] = await codeOf(call('RemoveVpnUsersFromGroup', { ids: { ...ids, group_id: group }, body: { users: [{ id: u1 }, { id: u2 }] } }));
    expect(message).toContain(`${u1} are not members`);
    expect((await call('ShowVpnUserGroup', { ids: { ...ids, group_id: group } })).body.user_group.user_number).toBe(1);
    expect((await call('ShowVpnUserGroup', { ids: { ...ids, group_id: defaultId } })).body.user_group.user_number).toBe(1);
  });

  test('group names: unique ignoring case, never "default"; a policy names a group, which then cannot go; deleting a group moves its users home', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const group = (await call('CreateVpnUserGroup', { ids, body: { user_group: { name: 'Team' } } })).body.user_group.id;
    expect((await codeOf(call('CreateVpnUserGroup', { ids, body: { user_group: { name: 'team' } } })))[2]).toContain('already the name');
    expect((await codeOf(call('CreateVpnUserGroup', { ids, body: { user_group: { name: 'Default' } } })))[2]).toContain("default group's name");
    const policy = await call('CreateVpnAccessPolicy', {
      ids,
      body: { access_policy: { name: 'default', user_group_id: group.toUpperCase(), dest_ip_cidrs: ['192.168.34.7/24', '192.168.0.0/16'] } },
    });
    const policyId = policy.body.access_policy.id;
    expect((await call('ShowVpnAccessPolicy', { ids: { ...ids, policy_id: policyId } })).body.access_policy).toMatchObject({
      name: 'default',
      type: 'Custom',
      user_group_id: group,
      user_group_name: 'Team',
      description: '',
      dest_ip_cidrs: ['192.168.34.0/24', '192.168.0.0/16'],
    });
    expect((await codeOf(call('CreateVpnAccessPolicy', { ids, body: { access_policy: { name: 'dup', user_group_id: group, dest_ip_cidrs: ['10.0.0.1/8', '10.0.0.0/8'] } } })))[2]).toContain(
      'dest_ip_cidrs[1]: is 10.0.0.0/8, as is dest_ip_cidrs[0]',
    );
    const member = (await call('CreateVpnUser', { ids, body: user('team.member', { user_group_id: group }) })).body.user.id;
    expect((await codeOf(call('DeleteVpnUserGroup', { ids: { ...ids, group_id: group } })))[2]).toContain('is named by access policies default');
    const defaultId = (await call('ListVpnUserGroups', { ids })).body.user_groups[0].id;
    // Terraform moves a policy by PUT with all four fields
    const moved = await call('UpdateVpnAccessPolicy', { ids: { ...ids, policy_id: policyId }, body: { access_policy: { name: 'p2', user_group_id: defaultId, description: '', dest_ip_cidrs: ['192.168.0.0/30'] } } });
    expect(moved.body.access_policy).toMatchObject({ name: 'p2', user_group_id: defaultId, user_group_name: 'default', dest_ip_cidrs: ['192.168.0.0/30'] });
    expect((await call('DeleteVpnUserGroup', { ids: { ...ids, group_id: group } })).status).toBe(204);
    expect((await call('ShowVpnUser', { ids: { ...ids, user_id: member } })).body.user).toMatchObject({ user_group_id: defaultId, user_group_name: 'default' });
  });
});

describe('batch create', () => {
  test('all or nothing: invalid_users lists each broken entry in request order with its cause, never the password; nothing is created', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    await call('CreateVpnUser', { ids, body: user('taken') });
    const result = await call('BatchCreateVpnUsers', {
      ids,
      body: {
        users: [
          { name: 'fine.one', password: 'Typhoeus123' },
          { name: 'TAKEN', password: 'Typhoeus123', description: 'd' },
          { name: 'twice', password: 'Typhoeus123' },
          { name: 'twice', password: 'Typhoeus124' },
          { name: 'short', password: 'abc' },
          { name: 'nogroup', password: 'Typhoeus123', user_group_name: 'missing' },
        ],
      },
    });
    expect(result.status).toBe(201);
    expect(result.body.invalid_users.map((entry: { name: string }) => entry.name)).toEqual(['TAKEN', 'twice', 'twice', 'short', 'nogroup']);
    expect(result.body.invalid_users[0]).toEqual({ name: 'TAKEN', description: 'd', static_ip: 'disable', cause: expect.stringContaining('already the name') });
    expect(JSON.stringify(result.body)).not.toMatch(/Typhoeus|abc"/);
    expect((await call('ListVpnUsers', { ids })).body.total_count).toBe(1);
  });

  test('a batch refused for a concurrent create of one of its names creates nothing and lists that name', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const names = ['overlap.a', 'overlap.b', 'overlap.c', 'overlap.d', 'overlap.e', 'overlap.f'];
    // three batches of four names, each sharing names with the others
    const batches = [names.slice(0, 4), names.slice(2, 6), [names[0]!, names[5]!, 'solo.x', 'solo.y']];
    const results = await Promise.all(
      batches.map((batch) => call('BatchCreateVpnUsers', { ids, body: { users: batch.map((name) => ({ name, password: 'Typhoeus123' })) } })),
    );
    const listed = (await call('ListVpnUsers', { ids })).body.users.map((entry: { name: string }) => entry.name);
    expect(new Set(listed).size).toBe(listed.length);
    results.forEach((result, index) => {
      const batch = batches[index]!;
      if (result.body.invalid_users.length === 0) expect(listed).toEqual(expect.arrayContaining(batch));
      else {
        // refused: none of its own names is there unless another batch made it
        const others = batches.filter((_, other) => other !== index && results[other]!.body.invalid_users.length === 0).flat();
        for (const name of batch) if (!others.includes(name)) expect(listed).not.toContain(name);
        expect(result.body.invalid_users.every((entry: { cause: string }) => entry.cause.includes('already the name'))).toBe(true);
      }
    });
    expect(results.filter((result) => result.body.invalid_users.length === 0).length).toBeGreaterThanOrEqual(1);
  });

  test('a crash between the records and the roster leaves nothing visible; the retry with its token completes the batch, and a replay answers without writing', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const token = randomUUID();
    const body = { users: Array.from({ length: 5 }, (_, i) => ({ name: `crash${i}`, password: 'Typhoeus123' })) };
    const crashing: Store = { ...table.store, replaceRoster: () => Promise.reject(new Error('the function died')) };
    await expect(call('BatchCreateVpnUsers', { ids, body, clientToken: token, store: crashing })).rejects.toThrow('the function died');
    expect((await call('ListVpnUsers', { ids })).body.total_count).toBe(0);
    const retried = await call('BatchCreateVpnUsers', { ids, body, clientToken: token });
    expect(retried.body.invalid_users).toEqual([]);
    const listed = (await call('ListVpnUsers', { ids })).body.users.map((entry: { name: string }) => entry.name);
    expect(listed).toEqual(body.users.map((entry) => entry.name));
    const noWrites: Store = { ...table.store, putRecords: () => Promise.reject(new Error('wrote')), replaceRoster: () => Promise.reject(new Error('wrote')) };
    expect((await call('BatchCreateVpnUsers', { ids, body, clientToken: token, store: noWrites })).body.invalid_users).toEqual([]);
    // the same token with another password is another request
    const changed = { users: body.users.map((entry, i) => (i === 2 ? { ...entry, password: 'Gaia12345' } : entry)) };
    expect((await codeOf(call('BatchCreateVpnUsers', { ids, body: changed, clientToken: token })))[1]).toBe('VPN.0031');
  });

  test('a replay after the created user and group were deleted answers their ids and creates nothing again', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const [userToken, groupToken] = [randomUUID(), randomUUID()];
    const first = (await call('CreateVpnUser', { ids, body: user('short.lived'), clientToken: userToken })).body.user.id;
    const group = (await call('CreateVpnUserGroup', { ids, body: { user_group: { name: 'brief' } }, clientToken: groupToken })).body.user_group.id;
    await call('DeleteVpnUser', { ids: { ...ids, user_id: first } });
    await call('DeleteVpnUserGroup', { ids: { ...ids, group_id: group } });
    expect((await call('CreateVpnUser', { ids, body: user('short.lived'), clientToken: userToken })).body.user.id).toBe(first);
    expect((await call('CreateVpnUserGroup', { ids, body: { user_group: { name: 'brief' } }, clientToken: groupToken })).body.user_group.id).toBe(group);
    expect((await call('ListVpnUsers', { ids })).body.total_count).toBe(0);
    expect((await call('ListVpnUserGroups', { ids })).body.total_count).toBe(1);
  });

  test('a batch that created nothing does not consume its token', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const token = randomUUID();
    await call('CreateVpnUser', { ids, body: user('blocker') });
    const refused = await call('BatchCreateVpnUsers', { ids, body: { users: [{ name: 'blocker', password: 'Typhoeus123' }] }, clientToken: token });
    expect(refused.body.invalid_users).toHaveLength(1);
    await call('DeleteVpnUser', { ids: { ...ids, user_id: (await call('ListVpnUsers', { ids })).body.users[0].id } });
    expect((await call('BatchCreateVpnUsers', { ids, body: { users: [{ name: 'blocker', password: 'Typhoeus123' }] }, clientToken: token })).body.invalid_users).toEqual([]);
  });
});

describe('concurrency without transactions', () => {
  test('20 concurrent creates of one name give exactly one user', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => call('CreateVpnUser', { ids, body: user('only.one') })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect((outcome.reason as ServiceError).code).toMatch(/^VPN\.(0001|0429)$/);
    expect((await call('ListVpnUsers', { ids })).body.users.map((entry: { name: string }) => entry.name)).toEqual(['only.one']);
  });

  test(`60 concurrent group creates give exactly ${MAX_CUSTOM_GROUPS_PER_SERVER}`, async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const create = async (i: number): Promise<number> => {
      for (;;) {
        try {
          return (await call('CreateVpnUserGroup', { ids, body: { user_group: { name: `group-${i}` } } })).status;
        } catch (error) {
          if ((error as ServiceError).code !== 'VPN.0429') return (error as ServiceError).status;
        }
      }
    };
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => create(i)));
    expect(statuses.filter((status) => status === 201)).toHaveLength(MAX_CUSTOM_GROUPS_PER_SERVER);
    expect(statuses.filter((status) => status === 400)).toHaveLength(60 - MAX_CUSTOM_GROUPS_PER_SERVER);
    expect((await call('ListVpnUserGroups', { ids })).body.total_count).toBe(MAX_CUSTOM_GROUPS_PER_SERVER + 1);
  });

  test('concurrent add-users of one user to two groups leave it in exactly one', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const groups = await Promise.all(['left', 'right'].map(async (name) => (await call('CreateVpnUserGroup', { ids, body: { user_group: { name } } })).body.user_group.id as string));
    const member = (await call('CreateVpnUser', { ids, body: user('contested') })).body.user.id;
    await Promise.all(groups.map((group) => call('AddVpnUsersToGroup', { ids: { ...ids, group_id: group }, body: { users: [{ id: member }] } })));
    const counts = await Promise.all(groups.map(async (group) => (await call('ShowVpnUserGroup', { ids: { ...ids, group_id: group } })).body.user_group.user_number as number));
    expect(counts.sort()).toEqual([0, 1]);
    const shown = (await call('ShowVpnUser', { ids: { ...ids, user_id: member } })).body.user;
    expect(groups).toContain(shown.user_group_id);
  });
});

describe('what the table holds', () => {
  test('no password in plain text, base64 or hex; two users with one password store different hashes', async () => {
    const server = await passwordServer();
    const ids = { vpn_server_id: server };
    const password = 'Secret-Pass-42';
    const a = (await call('CreateVpnUser', { ids, body: { user: { name: 'same.a', password } } })).body.user.id;
    const b = (await call('CreateVpnUser', { ids, body: { user: { name: 'same.b', password } } })).body.user.id;
    await call('ResetVpnUserPassword', { ids: { ...ids, user_id: a }, body: { new_password: 'Another-Pass-43' } });
    const documents = DynamoDBDocumentClient.from(table.client);
    const items = (await documents.send(new ScanCommand({ TableName: table.tableName, ConsistentRead: true }))).Items ?? [];
    const text = JSON.stringify(items);
    for (const secret of [password, 'Another-Pass-43']) {
      for (const form of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')]) expect(text).not.toContain(form);
    }
    const hashOf = (id: string) => items.find((item) => item.sk === `USER#${id}`)!.passwords.at(-1).hash;
    expect(hashOf(a)).not.toBe(hashOf(b));
  });
});
