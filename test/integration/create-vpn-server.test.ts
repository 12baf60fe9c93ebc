import { randomUUID } from 'node:crypto';
import { createVpnServer } from '../../lib/vpn-servers/create';
import { listVpnServers } from '../../lib/vpn-servers/list';
import type { VpnServerStore } from '../../lib/vpn-servers/ports';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseListVpnServers } from '../../lib/vpn-servers/schemas/list-vpn-servers';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { failure, portsFor } from '../support/use-cases';
import {
  GATEWAY,
  INACTIVE_GATEWAY,
  OTHER_PROJECT_GATEWAY,
  PROJECT,
  SECOND_GATEWAY,
  certAuthExample,
  certificatePem,
  passwordAuthExample,
  passwordBody,
} from '../support/requests';

let table: LocalTable;
beforeEach(async () => {
  table = await startLocalTable();
});
afterEach(() => table.close());


function create(
  body: unknown,
  options: { gatewayId?: string; projectId?: string; token?: string; store?: VpnServerStore; now?: () => Date; signal?: AbortSignal } = {},
) {
  const command = parseCreateVpnServer({
    projectId: options.projectId ?? PROJECT,
    gatewayId: options.gatewayId ?? GATEWAY,
    clientToken: options.token,
    clientTokenField: 'X-Client-Token',
    body,
  });
  return createVpnServer(command, portsFor(options.store ?? table.store, options.now), options.signal);
}

const serversOn = async (gatewayId: string, projectId = PROJECT) =>
  (await listVpnServers(parseListVpnServers({ projectId, gatewayId }), { store: table.store })).vpn_servers;

describe('create, then read back', () => {
  test('the password example is stored with its defaults, the normalised CIDR and the certificate facts', async () => {
    const { id } = await create({
      vpn_server: { client_cidr: '172.16.0.1/24', local_subnets: ['10.16.0.0/24', '10.16.1.7/24'], server_certificate: { id: 'scs1716171403922' }, ssl_options: {} },
    });
    const [server, ...others] = await serversOn(GATEWAY);
    expect(others).toHaveLength(0);
    expect(server).toMatchObject({
      id,
      p2c_vgw_id: GATEWAY,
      tunnel_protocol: 'SSL',
      client_cidr: '172.16.0.0/24',
      local_subnets: ['10.16.0.0/24', '10.16.1.0/24'],
      client_auth_type: 'LOCAL_PASSWORD',
      client_ca_certificates: [],
      ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
      status: 'ACTIVE',
    });
    expect(server!.server_certificate).toMatchObject({ id: 'scs1716171403922', signature_algorithm: expect.stringMatching(/sha256/i) });
    expect(server!.server_certificate.expiration_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(server!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('the certificate example keeps the CA name, shows its facts and never its content', async () => {
    const { id } = await create(certAuthExample());
    const [server] = await serversOn(GATEWAY);
    expect(server!.id).toBe(id);
    expect(server!.client_auth_type).toBe('CERT');
    expect(server!.client_ca_certificates).toHaveLength(1);
    const ca = server!.client_ca_certificates[0]!;
    expect(ca).toMatchObject({ name: 'client_ca_8sux3d', signature_algorithm: expect.any(String) });
    expect(ca.subject).not.toBe('');
    expect(JSON.stringify(server)).not.toContain('BEGIN CERTIFICATE');
  });

  test('a client CA without a name gets a generated one', async () => {
    const body = certAuthExample();
    body.vpn_server.client_ca_certificates = [{ content: certificatePem('demo-ca') }, { name: '', content: certificatePem('ec-p256-ca') }];
    await create(body);
    const names = (await serversOn(GATEWAY))[0]!.client_ca_certificates.map((ca) => ca.name);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^client_ca_[a-z0-9]{6}$/);
    expect(new Set(names).size).toBe(2);
  });
});

describe('gateway and certificate rules', () => {
  test('an unknown gateway is 404 VPN.0004', async () => {
    expect((await failure(create(passwordAuthExample(), { gatewayId: randomUUID() }))).code).toBe('VPN.0004');
  });

  test("another project's gateway is not found, never forbidden", async () => {
    const error = await failure(create(passwordAuthExample(), { gatewayId: OTHER_PROJECT_GATEWAY }));
    expect([error.status, error.code]).toEqual([404, 'VPN.0004']);
  });

  test('a gateway that is not ACTIVE is 409 VPN.0016', async () => {
    const error = await failure(create(passwordAuthExample(), { gatewayId: INACTIVE_GATEWAY }));
    expect([error.status, error.code]).toEqual([409, 'VPN.0016']);
  });

  test('a second server on one gateway is 409 VPN.0031, with or without tokens', async () => {
    await create(passwordAuthExample(), { token: randomUUID() });
    const withToken = await failure(create(passwordAuthExample(), { token: randomUUID() }));
    const withoutToken = await failure(create(passwordBody({ client_cidr: '172.17.0.0/24' })));
    expect([withToken.status, withToken.code, withoutToken.code]).toEqual([409, 'VPN.0031', 'VPN.0031']);
    expect(await serversOn(GATEWAY)).toHaveLength(1);
  });

  test('an unknown server certificate is 404 VPN.0004, and so is one of another project', async () => {
    const unknown = await failure(create(passwordBody({ server_certificate: { id: 'scs0000000000000' } })));
    const foreign = await failure(create(passwordBody({ server_certificate: { id: 'scs1716171488888' } })));
    expect([unknown.code, foreign.code]).toEqual(['VPN.0004', 'VPN.0004']);
    expect(unknown.message).toContain('vpn_server.server_certificate.id');
  });

  test('an expired server certificate is VPN.0072', async () => {
    const error = await failure(create(passwordBody({ server_certificate: { id: 'scs1716171400001' } })));
    expect([error.status, error.code]).toEqual([400, 'VPN.0072']);
  });

  test('client CA checks give their own codes through the use case', async () => {
    const body = certAuthExample();
    body.vpn_server.client_ca_certificates = [{ name: 'weak', content: certificatePem('rsa1024-ca') }];
    expect((await failure(create(body))).code).toBe('VPN.0070');
    body.vpn_server.client_ca_certificates = [{ name: 'leaf', content: certificatePem('not-ca') }];
    expect((await failure(create(body))).code).toBe('VPN.0076');
    expect(await serversOn(GATEWAY)).toHaveLength(0);
  });

  test('the same CA twice in one request is VPN.0001 naming both entries', async () => {
    const body = certAuthExample();
    body.vpn_server.client_ca_certificates = [
      { name: 'a', content: certificatePem('demo-ca') },
      { name: 'b', content: certificatePem('demo-ca') },
    ];
    const error = await failure(create(body));
    expect(error.code).toBe('VPN.0001');
    expect(error.message).toMatch(/client_ca_certificates\[1\]/);
    expect(error.message).toMatch(/client_ca_certificates\[0\]/);
  });
});

describe('network rules against the stored route table', () => {
  test('a client CIDR inside a route destination is refused, naming the route table', async () => {
    const error = await failure(create(passwordBody({ client_cidr: '192.168.10.0/24' })));
    expect(error.code).toBe('VPN.0001');
    expect(error.message).toContain('vpn_server.client_cidr 192.168.10.0/24 overlaps route table destination 192.168.0.0/16');
  });

  test('the default route 0.0.0.0/0 is not a conflict (the example passes against a table that has one)', async () => {
    const routes = demoSeed().vpc_route_tables!.find((routeTable) => routeTable.routes.some((route) => route.destination === '0.0.0.0/0'));
    const gateway = demoSeed().p2c_vpn_gateways!.find((candidate) => candidate.vpc_id === routes!.vpc_id)!;
    await expect(create(passwordAuthExample(), { gatewayId: gateway.id })).resolves.toHaveProperty('id');
  });

  test('a warm function checks the route table as it reads now: a route removed or added since its last create counts', async () => {
    // one store for every call: its gateway-to-VPC cache and its parsed destinations are warm
    const warm = table.newStore();
    const routeTableOf = (gatewayId: string) => {
      const vpcId = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === gatewayId)!.vpc_id;
      return demoSeed().vpc_route_tables!.find((routeTable) => routeTable.vpc_id === vpcId)!;
    };

    const conflicting = passwordBody({ client_cidr: '192.168.10.0/24' });
    expect((await failure(create(conflicting, { store: warm }))).message).toContain('route table destination 192.168.0.0/16');
    const first = routeTableOf(GATEWAY);
    await table.store.upsertRouteTable({ ...first, routes: first.routes.filter((route) => route.destination !== '192.168.0.0/16') });
    await expect(create(conflicting, { store: warm })).resolves.toHaveProperty('id');

    const free = passwordBody({ client_cidr: '100.64.0.0/24' });
    expect((await failure(create(passwordBody({ client_cidr: '100.64.0.0/24', server_certificate: { id: 'nosuchcert' } }), { gatewayId: SECOND_GATEWAY, store: warm }))).code).toBe('VPN.0004');
    const second = routeTableOf(SECOND_GATEWAY);
    await table.store.upsertRouteTable({ ...second, routes: [...second.routes, { destination: '100.64.0.0/10', nexthop: 'local' }] });
    expect((await failure(create(free, { gatewayId: SECOND_GATEWAY, store: warm }))).message).toContain('route table destination 100.64.0.0/10');
  });

  test('a client CIDR that overlaps a local subnet names both', async () => {
    const error = await failure(create(passwordBody({ client_cidr: '10.16.0.0/23' })));
    expect(error.message).toMatch(/vpn_server\.client_cidr 10\.16\.0\.0\/23 overlaps vpn_server\.local_subnets\[0\] 10\.16\.0\.0\/24/);
  });

  test("capacity follows the gateway's max_connection_number", async () => {
    const gateway = demoSeed().p2c_vpn_gateways!.find((candidate) => candidate.id === SECOND_GATEWAY)!;
    const tooSmall = 32 - Math.ceil(Math.log2(4 * gateway.max_connection_number)) + 1;
    const error = await failure(create(passwordBody({ client_cidr: `100.64.0.0/${tooSmall}` }), { gatewayId: SECOND_GATEWAY }));
    expect(error.message).toMatch(/needs more than/);
    await expect(create(passwordBody({ client_cidr: `100.64.0.0/${tooSmall - 1}` }), { gatewayId: SECOND_GATEWAY })).resolves.toHaveProperty('id');
  });

  test('every problem is named in one answer', async () => {
    const error = await failure(create(passwordBody({ client_cidr: '192.168.0.0/30', local_subnets: ['10.16.0.0/24', '10.16.0.9/24', '127.0.0.0/8'] })));
    expect(error.message).toMatch(/overlaps route table destination/);
    expect(error.message).toMatch(/needs more than/);
    expect(error.message).toMatch(/local_subnets\[1\] 10\.16\.0\.0\/24 duplicates vpn_server\.local_subnets\[0\]/);
    expect(error.message).toMatch(/local_subnets\[2\] 127\.0\.0\.0\/8 overlaps reserved block/);
  });
});

describe('X-Client-Token', () => {
  test('the same token and the same request (after defaults and normalisation) give the same id and write nothing new', async () => {
    const token = randomUUID();
    const first = await create(passwordAuthExample(), { token });
    const before = await serversOn(GATEWAY);
    const equivalent = {
      vpn_server: { client_cidr: '172.16.0.0/24', local_subnets: ['10.16.0.0/24', '10.16.1.0/24'], server_certificate: { id: 'scs1716171403922' }, ssl_options: {}, client_ca_certificates: null },
    };
    const again = await create(equivalent, { token: token.toUpperCase() });
    expect(again).toEqual({ id: first.id });
    expect(await serversOn(GATEWAY)).toEqual(before);
  });

  test('the same token with a different request is 409 VPN.0031 and writes nothing', async () => {
    const token = randomUUID();
    await create(passwordAuthExample(), { token });
    const otherBody = await failure(create(passwordBody({ client_cidr: '172.17.0.0/24' }), { token }));
    const otherGateway = await failure(create(passwordAuthExample(), { token, gatewayId: SECOND_GATEWAY }));
    expect([otherBody.code, otherGateway.code]).toEqual(['VPN.0031', 'VPN.0031']);
    expect(otherBody.message).toMatch(/X-Client-Token/);
    expect(await serversOn(SECOND_GATEWAY)).toHaveLength(0);
  });

  test('concurrent calls with one token create exactly one server and all return its id', async () => {
    const token = randomUUID();
    const results = await Promise.all(Array.from({ length: 8 }, () => create(passwordAuthExample(), { token, store: table.newStore() })));
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    const servers = await serversOn(GATEWAY);
    expect(servers.map((server) => server.id)).toEqual([results[0]!.id]);
  });

  test('a crash after the reservation is completed by a retry with the same token', async () => {
    const token = randomUUID();
    const crashing: VpnServerStore = Object.assign(Object.create(table.store) as VpnServerStore, {
      putServerOnce: () => Promise.reject(new Error('process died before the server write')),
    });
    await expect(create(passwordAuthExample(), { token, store: crashing })).rejects.toThrow('process died');
    expect(await serversOn(GATEWAY)).toHaveLength(0);

    const reserved = (await table.store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: 'x', clientToken: token })).token;
    const retry = await create(passwordAuthExample(), { token, store: table.newStore() });
    expect(retry.id).toBe(reserved!.server_id);
    expect((await serversOn(GATEWAY)).map((server) => server.id)).toEqual([retry.id]);
  });

  test('once the caller was answered at the deadline (signal aborted), no write starts: 429, nothing written', async () => {
    const token = randomUUID();
    const failed = await failure(create(passwordAuthExample(), { token, signal: AbortSignal.abort() }));
    expect([failed.status, failed.code]).toEqual([429, 'VPN.0429']);
    const snapshot = await table.store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: 'x', clientToken: token });
    expect([snapshot.token, snapshot.server]).toEqual([undefined, undefined]);
  });

  test('a deadline between the reservation and the server write stops before the server; the retry completes it', async () => {
    const token = randomUUID();
    const deadline = new AbortController();
    const reservingThenDeadline: VpnServerStore = Object.assign(Object.create(table.store) as VpnServerStore, {
      reserveToken: async (...args: Parameters<VpnServerStore['reserveToken']>) => {
        const reservation = await table.store.reserveToken(...args);
        deadline.abort();
        return reservation;
      },
    });
    expect((await failure(create(passwordAuthExample(), { token, store: reservingThenDeadline, signal: deadline.signal }))).code).toBe('VPN.0429');
    expect(await serversOn(GATEWAY)).toHaveLength(0);
    const retry = await create(passwordAuthExample(), { token });
    expect((await serversOn(GATEWAY)).map((server) => server.id)).toEqual([retry.id]);
  });

  test('a token expires after 24 hours, enforced by the code', async () => {
    const token = randomUUID();
    const start = Date.now();
    const body = passwordBody({ client_cidr: '100.64.0.0/24' });
    await create(body, { token, now: () => new Date(start) });
    const within = await failure(create(body, { token, gatewayId: SECOND_GATEWAY, now: () => new Date(start + 23 * 3600_000) }));
    expect(within.code).toBe('VPN.0031');
    const later = await create(body, { token, gatewayId: SECOND_GATEWAY, now: () => new Date(start + 25 * 3600_000) });
    expect((await serversOn(SECOND_GATEWAY)).map((server) => server.id)).toEqual([later.id]);
  });

  test('tokens are scoped to the project', async () => {
    const token = randomUUID();
    const seed = demoSeed();
    const other = seed.p2c_vpn_gateways!.find((gateway) => gateway.id === OTHER_PROJECT_GATEWAY)!;
    const certificate = seed.certificates!.find((entry) => entry.project_id === other.project_id)!;
    const first = await create(passwordAuthExample(), { token });
    const inOtherProject = await create(passwordBody({ server_certificate: { id: certificate.id }, local_subnets: ['10.30.0.0/24'] }), {
      token,
      projectId: other.project_id,
      gatewayId: other.id,
    });
    expect(inOtherProject.id).not.toBe(first.id);
    expect((await serversOn(other.id, other.project_id)).map((server) => server.id)).toEqual([inOtherProject.id]);
  });
});
