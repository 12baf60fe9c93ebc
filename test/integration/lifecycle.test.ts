/** CONTRACT.md section 10 through the use cases, on a real dynalite: update, client CAs, export, the
 * read by id, concurrency on one server and a crash between an import's two writes. */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { checkClientCaCertificate, deleteClientCa, importClientCa, showClientCa, updateClientCa } from '../../lib/vpn-servers/client-cas';
import { createVpnServer } from '../../lib/vpn-servers/create';
import type { ServiceError } from '../../lib/core/errors';
import { exportClientConfig } from '../../lib/vpn-servers/export-client-config';
import { listVpnServers } from '../../lib/vpn-servers/list';
import type { UseCasePorts } from '../../lib/vpn-servers/ports';
import type { VpnServerRecord } from '../../lib/vpn-servers/records';
import { parseImportClientCa } from '../../lib/vpn-servers/schemas/client-ca';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseExportClientConfig } from '../../lib/vpn-servers/schemas/export-client-config';
import { parseListVpnServers } from '../../lib/vpn-servers/schemas/list-vpn-servers';
import { parseUpdateVpnServer } from '../../lib/vpn-servers/schemas/update-vpn-server';
import { updateVpnServer } from '../../lib/vpn-servers/update';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { failure, portsFor } from '../support/use-cases';
import {
  GATEWAY,
  OTHER_PROJECT,
  PROJECT,
  certAuthExample,
  certificatePem,
  passwordAuthExample,
  readFixture,
  validClientCaPems,
} from '../support/requests';

jest.setTimeout(60_000);

// every test creates on gateways of its own, from a pool on GATEWAY's VPC (routes 10.16.0.0/16,
// 192.168.0.0/16 and a default route; 50 connections)
const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
const pool = Array.from({ length: 40 }, (_, i) => ({ ...template, id: randomUUID(), name: `lifecycle-${i}` }));
const noEip = { ...template, id: randomUUID(), name: 'no-eip' };
delete (noEip as { eip?: unknown }).eip;
let taken = 0;
const freshGateway = (): string => pool[taken++]!.id;

let table: LocalTable;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  const seed = demoSeed();
  seed.p2c_vpn_gateways = [...seed.p2c_vpn_gateways!, ...pool, noEip];
  seed.certificates = [
    ...seed.certificates!,
    { project_id: PROJECT, id: 'pki-server', name: 'pki-server', content: readFixture('pki/server.pem') },
    { project_id: PROJECT, id: 'self-signed', name: 'self-signed', content: readFixture('pki/self-signed-server.pem') },
  ];
  table = await startLocalTable(seed);
  documents = DynamoDBDocumentClient.from(table.client);
});

afterAll(async () => {
  await table?.close();
});


async function createServer(body: { vpn_server: Record<string, unknown> } = passwordAuthExample(), gatewayId = freshGateway()): Promise<string> {
  const command = parseCreateVpnServer({ projectId: PROJECT, gatewayId, clientTokenField: 'X-Client-Token', body });
  return (await createVpnServer(command, portsFor(table.newStore()))).id;
}

const update = (serverId: string, vpnServer: Record<string, unknown>, ports = portsFor(table.newStore())) =>
  updateVpnServer(parseUpdateVpnServer({ projectId: PROJECT, serverId, body: { vpn_server: vpnServer } }), ports);

const importCa = (serverId: string, ca: { name?: string; content: string }, options: { token?: string; ports?: UseCasePorts } = {}) =>
  importClientCa(
    parseImportClientCa({
      projectId: PROJECT,
      serverId,
      clientTokenField: 'X-Client-Token',
      ...(options.token ? { clientToken: options.token } : {}),
      body: { client_ca_certificate: ca },
    }),
    options.ports ?? portsFor(table.newStore()),
  );

/** The server as stored, straight from the table. */
async function stored(serverId: string): Promise<VpnServerRecord> {
  const { vpn_servers: servers } = await listVpnServers(parseListVpnServers({ projectId: PROJECT }), portsFor(table.newStore()));
  const server = servers.find((entry) => entry.id === serverId);
  if (!server) throw new Error(`server ${serverId} not listed`);
  const item = await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `PROJECT#${PROJECT}`, sk: `SERVER#${server.p2c_vgw_id}` }, ConsistentRead: true }));
  return item.Item as unknown as VpnServerRecord;
}

describe('read by id', () => {
  test('right after its create, from a function that never saw it, and never in another project', async () => {
    const id = await createServer();
    // a new store: no remembered id, no pointer yet; the consistent query finds it
    await update(id, { dns_servers: ['10.16.0.2'] }, portsFor(table.newStore()));
    expect((await stored(id)).dns_servers).toEqual(['10.16.0.2']);
    const pointer = await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `PROJECT#${PROJECT}`, sk: `SERVER_ID#${id}` }, ConsistentRead: true }));
    expect(pointer.Item?.p2c_vgw_id).toBeDefined();

    const elsewhere = await failure(updateVpnServer(parseUpdateVpnServer({ projectId: OTHER_PROJECT, serverId: id, body: { vpn_server: { dns_servers: [] } } }), portsFor(table.newStore())));
    const unknown = await failure(update(randomUUID(), { dns_servers: [] }));
    expect([elsewhere.status, elsewhere.code]).toEqual([404, 'VPN.0004']);
    expect(elsewhere.message.replace(id, 'ID')).toBe(unknown.message.replace(/[0-9a-f-]{36}/, 'ID'));
  });

  test('an id in upper case names the same server', async () => {
    const id = await createServer();
    await update(id.toUpperCase(), { dns_servers: ['10.16.0.3'] });
    expect((await stored(id)).dns_servers).toEqual(['10.16.0.3']);
  });
});

describe('update (section 10.1)', () => {
  test('merges: absent fields and absent ssl_options members keep their values; updated_at moves, status stays ACTIVE', async () => {
    const id = await createServer();
    const before = await stored(id);
    const later = new Date(Date.parse(before.updated_at) + 60_000);
    await update(id, { ssl_options: { port: 1194 } }, portsFor(table.newStore(), () => later));
    const after = await stored(id);
    expect(after.ssl_options).toEqual({ ...before.ssl_options, port: 1194 });
    expect(after.client_cidr).toBe(before.client_cidr);
    expect(after.local_subnets).toEqual(before.local_subnets);
    expect(after.status).toBe('ACTIVE');
    expect(after.updated_at).not.toBe(before.updated_at);
    expect(after.created_at).toBe(before.created_at);
    expect(after.version).toBe(before.version + 1);
  });

  test('an update that changes nothing answers and writes nothing (the same values, CIDRs as written differently)', async () => {
    const id = await createServer();
    const before = await stored(id);
    await update(id, { client_cidr: '172.16.0.1/24', local_subnets: before.local_subnets, ssl_options: {} });
    expect(await stored(id)).toEqual(before);
  });

  test('a changed client_cidr re-runs every CIDR rule: reserved, overlap with subnets and routes, capacity', async () => {
    const id = await createServer();
    const error = await failure(update(id, { client_cidr: '192.168.10.0/24' }));
    expect(error.code).toBe('VPN.0001');
    expect(error.message).toContain('overlaps route table destination 192.168.0.0/16');
    const small = await failure(update(id, { client_cidr: '172.20.0.0/26' }));
    expect(small.message).toContain('needs more than 200 (4 x max_connection_number 50)');
    const reserved = await failure(update(id, { client_cidr: '169.254.0.0/16' }));
    expect(reserved.message).toContain('overlaps reserved block 169.254.0.0/16');
    const subnets = await failure(update(id, { local_subnets: ['10.16.0.0/24', '10.16.0.1/24', '172.16.0.0/25'] }));
    expect(subnets.message).toContain('vpn_server.local_subnets[1] 10.16.0.0/24 duplicates vpn_server.local_subnets[0]');
    expect(subnets.message).toContain('overlaps vpn_server.local_subnets[2] 172.16.0.0/25');
    // nothing was written by the refusals
    expect((await stored(id)).version).toBe(1);
  });

  test('the route table is read as it reads now, and untouched fields are not re-checked', async () => {
    const id = await createServer();
    const routes = (await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `PROJECT#${PROJECT}`, sk: `ROUTES#${template.vpc_id}` } }))).Item!;
    const added = { ...routes, routes: [...(routes.routes as object[]), { destination: '172.16.0.0/20', nexthop: 'local' }] };
    await documents.send(new PutCommand({ TableName: table.tableName, Item: added }));
    try {
      // client_cidr 172.16.0.0/24 now overlaps a route, but a port change does not look
      await update(id, { ssl_options: { port: 1194 }, client_cidr: '172.16.0.0/24' });
      expect((await stored(id)).ssl_options.port).toBe(1194);
      const error = await failure(update(id, { local_subnets: ['10.16.2.0/24'] }));
      expect(error.message).toContain('overlaps route table destination 172.16.0.0/20');
    } finally {
      await documents.send(new PutCommand({ TableName: table.tableName, Item: routes }));
    }
  });

  test('a new server certificate must exist in the project and not be expired; its facts replace the old', async () => {
    const id = await createServer();
    expect((await failure(update(id, { server_certificate: { id: 'scs-nope' } }))).code).toBe('VPN.0004');
    expect((await failure(update(id, { server_certificate: { id: 'scs1716171488888' } }))).code).toBe('VPN.0004');
    expect((await failure(update(id, { server_certificate: { id: 'scs1716171400001' } }))).code).toBe('VPN.0072');
    await update(id, { server_certificate: { id: 'pki-server' } });
    expect((await stored(id)).server_certificate).toMatchObject({ id: 'pki-server', name: 'pki-server', subject: expect.stringContaining('CN=') });
  });

  test('CERT to LOCAL_PASSWORD is refused while CAs remain, allowed once they are deleted; LOCAL_PASSWORD to CERT with none is allowed', async () => {
    const id = await createServer(certAuthExample());
    const error = await failure(update(id, { client_auth_type: 'LOCAL_PASSWORD' }));
    expect(error.message).toContain('delete them first');
    const [ca] = (await stored(id)).client_ca_certificates;
    await deleteClientCa({ projectId: PROJECT, serverId: id, caId: ca!.id }, portsFor(table.newStore()));
    await update(id, { client_auth_type: 'LOCAL_PASSWORD' });
    await update(id, { client_auth_type: 'CERT' });
    const server = await stored(id);
    expect([server.client_auth_type, server.client_ca_certificates]).toEqual(['CERT', []]);
  });

  test('ten concurrent updates on disjoint fields are all visible afterwards', async () => {
    const id = await createServer();
    const changes: Record<string, unknown>[] = [
      { ssl_options: { port: 1194 } },
      { ssl_options: { encryption_algorithm: 'AES-256-GCM' } },
      { dns_servers: ['10.16.0.2', '10.16.0.3'] },
      { client_cidr: '172.17.0.0/22' },
      { local_subnets: ['10.16.0.0/24', '10.16.1.0/24', '10.16.8.0/24'] },
      { server_certificate: { id: 'pki-server' } },
      { client_auth_type: 'CERT' },
      { ssl_options: { protocol: 'TCP' } },
      { dns_servers: ['10.16.0.2', '10.16.0.3'] },
      { client_cidr: '172.17.0.0/22' },
    ];
    // each from a function of its own, all racing on one item
    await Promise.all(changes.map((change) => update(id, change, portsFor(table.newStore()))));
    const server = await stored(id);
    expect(server.ssl_options).toMatchObject({ port: 1194, encryption_algorithm: 'AES-256-GCM', protocol: 'TCP' });
    expect(server.dns_servers).toEqual(['10.16.0.2', '10.16.0.3']);
    expect(server.client_cidr).toBe('172.17.0.0/22');
    expect(server.local_subnets).toEqual(['10.16.0.0/24', '10.16.1.0/24', '10.16.8.0/24']);
    expect(server.server_certificate.id).toBe('pki-server');
    expect(server.client_auth_type).toBe('CERT');
  });
});

describe('client CA certificates (section 10.2)', () => {
  test('import, show, rename and delete, each moving the server updated_at; content is never shown', async () => {
    const id = await createServer(certAuthExample());
    const t0 = new Date(Date.now() + 60_000);
    const t1 = new Date(Date.now() + 120_000);
    const t2 = new Date(Date.now() + 180_000);
    const { id: caId } = await importCa(id, { name: 'bench-1', content: validClientCaPems(1)[0]! }, { ports: portsFor(table.newStore(), () => t0) });
    expect((await stored(id)).updated_at).toBe(t0.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const shown = await showClientCa({ projectId: PROJECT, serverId: id, caId }, portsFor(table.newStore()));
    expect(shown).toMatchObject({ id: caId, name: 'bench-1', subject: expect.stringContaining('Bench Client CA 1') });
    expect(Object.keys(shown)).not.toContain('content');
    await updateClientCa({ projectId: PROJECT, serverId: id, caId, name: 'renamed' }, portsFor(table.newStore(), () => t1));
    const renamed = await showClientCa({ projectId: PROJECT, serverId: id, caId }, portsFor(table.newStore()));
    expect([renamed.name, renamed.created_at === shown.created_at, renamed.updated_at !== shown.updated_at]).toEqual(['renamed', true, true]);
    await deleteClientCa({ projectId: PROJECT, serverId: id, caId }, portsFor(table.newStore(), () => t2));
    expect((await failure(showClientCa({ projectId: PROJECT, serverId: id, caId }, portsFor(table.newStore())))).code).toBe('VPN.0004');
    expect((await failure(deleteClientCa({ projectId: PROJECT, serverId: id, caId }, portsFor(table.newStore())))).code).toBe('VPN.0004');
    expect((await stored(id)).updated_at).toBe(t2.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  test('import needs a CERT server, refuses a used name, a held certificate (VPN.0077) and the certificate checks', async () => {
    const password = await createServer();
    expect((await failure(importCa(password, { content: validClientCaPems(1)[0]! }))).message).toContain('need CERT');
    const id = await createServer(certAuthExample());
    const [held] = (await stored(id)).client_ca_certificates;
    expect((await failure(importCa(id, { name: held!.name, content: validClientCaPems(2)[1]! }))).message).toContain('is already the name of');
    const duplicate = await failure(importCa(id, { content: certificatePem('demo-ca') }));
    expect([duplicate.status, duplicate.code]).toEqual([400, 'VPN.0077']);
    expect((await failure(importCa(id, { content: certificatePem('sha1-ca') }))).code).toBe('VPN.0071');
    expect((await failure(importCa(id, { content: certificatePem('not-ca') }))).code).toBe('VPN.0076');
    expect((await stored(id)).client_ca_certificates).toHaveLength(1);
  });

  test('the same content can be re-imported under a new name once deleted (Terraform renames that way)', async () => {
    const id = await createServer(certAuthExample());
    const [held] = (await stored(id)).client_ca_certificates;
    await deleteClientCa({ projectId: PROJECT, serverId: id, caId: held!.id }, portsFor(table.newStore()));
    const { id: again } = await importCa(id, { name: 'test-cert-update', content: certificatePem('demo-ca') });
    expect((await stored(id)).client_ca_certificates.map((ca) => [ca.id, ca.name])).toEqual([[again, 'test-cert-update']]);
  });

  test('rename: unique on the server, the same name writes nothing, an unknown CA is 404', async () => {
    const id = await createServer(certAuthExample());
    const { id: second } = await importCa(id, { name: 'second', content: validClientCaPems(1)[0]! });
    const [first] = (await stored(id)).client_ca_certificates;
    expect((await failure(updateClientCa({ projectId: PROJECT, serverId: id, caId: second, name: first!.name }, portsFor(table.newStore())))).code).toBe('VPN.0001');
    const before = await stored(id);
    await updateClientCa({ projectId: PROJECT, serverId: id, caId: second, name: 'second' }, portsFor(table.newStore()));
    expect(await stored(id)).toEqual(before);
    expect((await failure(updateClientCa({ projectId: PROJECT, serverId: id, caId: randomUUID(), name: 'x' }, portsFor(table.newStore())))).code).toBe('VPN.0004');
  });

  test('at most 10 per server, also under 15 concurrent imports', async () => {
    const id = await createServer();
    await update(id, { client_auth_type: 'CERT' });
    const pems = validClientCaPems(15);
    const outcomes = await Promise.allSettled(pems.map((content) => importCa(id, { content }, { ports: portsFor(table.newStore()) })));
    const imported = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as ServiceError] : []));
    expect(imported).toHaveLength(10);
    expect(refused.map((error) => [error.code, /already holds 10 client CA certificates/.test(error.message)])).toEqual(Array(5).fill(['VPN.0001', true]));
    const server = await stored(id);
    expect(server.client_ca_certificates).toHaveLength(10);
    expect(new Set(server.client_ca_certificates.map((ca) => ca.fingerprint)).size).toBe(10);
  });

  test('X-Client-Token: a replay answers the same id and writes nothing, even after the CA was deleted; another request is 409', async () => {
    const id = await createServer(certAuthExample());
    const token = randomUUID();
    const content = validClientCaPems(3)[2]!;
    const first = await importCa(id, { content }, { token });
    const after = await stored(id);
    expect(await importCa(id, { content }, { token })).toEqual(first);
    expect(await stored(id)).toEqual(after);
    const other = await failure(importCa(id, { content: validClientCaPems(4)[3]! }, { token }));
    expect([other.status, other.code]).toEqual([409, 'VPN.0031']);
    await deleteClientCa({ projectId: PROJECT, serverId: id, caId: first.id }, portsFor(table.newStore()));
    expect(await importCa(id, { content }, { token })).toEqual(first);
    expect((await stored(id)).client_ca_certificates.map((ca) => ca.id)).not.toContain(first.id);
    // the token is the project's: on a create it is another request too
    const create = parseCreateVpnServer({ projectId: PROJECT, gatewayId: freshGateway(), clientToken: token, clientTokenField: 'X-Client-Token', body: passwordAuthExample() });
    expect((await failure(createVpnServer(create, portsFor(table.newStore())))).code).toBe('VPN.0031');
  });

  test('twenty concurrent imports with one token create one CA, and every one answers its id', async () => {
    const id = await createServer(certAuthExample());
    const token = randomUUID();
    const content = validClientCaPems(5)[4]!;
    const answers = await Promise.all(Array.from({ length: 20 }, () => importCa(id, { content }, { token, ports: portsFor(table.newStore()) })));
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect((await stored(id)).client_ca_certificates.filter((ca) => ca.id === answers[0]!.id)).toHaveLength(1);
  });

  test('a crash between the token reservation and the write of an import: the retry completes it under the reserved id', async () => {
    const id = await createServer(certAuthExample());
    const token = randomUUID();
    const content = validClientCaPems(6)[5]!;
    const crashing = table.newStore();
    crashing.replaceServer = () => Promise.reject(new Error('the function died'));
    await expect(importCa(id, { content }, { token, ports: portsFor(crashing) })).rejects.toThrow('the function died');
    const reservation = await documents.send(new GetCommand({ TableName: table.tableName, Key: { pk: `PROJECT#${PROJECT}`, sk: `TOKEN#${token}` }, ConsistentRead: true }));
    expect((await stored(id)).client_ca_certificates).toHaveLength(1);
    const retried = await importCa(id, { content }, { token });
    expect(retried.id).toBe(reservation.Item?.client_ca_id);
    expect((await stored(id)).client_ca_certificates.map((ca) => ca.id)).toContain(retried.id);
    expect(await importCa(id, { content }, { token })).toEqual(retried);
  });

  test('check describes a certificate and writes nothing; it applies the same certificate checks', () => {
    const facts = checkClientCaCertificate({ name: 'pre', content: certificatePem('ec-p256-ca') }, portsFor(table.newStore()));
    expect(facts).toMatchObject({ name: 'pre', signature_algorithm: 'ecdsa-with-SHA256' });
    expect(checkClientCaCertificate({ content: certificatePem('ec-p256-ca') }, portsFor(table.newStore())).name).toMatch(/^client_ca_[a-z0-9]{6}$/);
    expect(() => checkClientCaCertificate({ content: certificatePem('rsa1024-ca') }, portsFor(table.newStore()))).toThrow(expect.objectContaining({ code: 'VPN.0070' }));
  });
});

describe('export (section 10.3)', () => {
  const exportOf = (serverId: string, osType?: string) =>
    exportClientConfig(parseExportClientConfig({ projectId: PROJECT, serverId, body: osType ? { os_type: osType } : undefined }), portsFor(table.newStore()));

  test("the profile follows the server's current settings and the gateway's EIP; os_type changes nothing", async () => {
    const id = await createServer();
    const before = (await exportOf(id)).client_config;
    expect(before).toContain(`remote ${template.eip!.ip_address} 443\n`);
    expect(before).toContain('auth-user-pass\n');
    await update(id, { ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM' } });
    const after = (await exportOf(id, 'Linux')).client_config;
    expect(after).toContain(`remote ${template.eip!.ip_address} 1194\n`);
    expect(after).toContain('data-ciphers AES-256-GCM\n');
    expect((await exportOf(id, 'iOS')).client_config).toBe(after);
  });

  test('a gateway without an EIP, or a certificate with neither a chain nor a self-signature, is a 400 saying what is missing', async () => {
    const id = await createServer(passwordAuthExample(), noEip.id);
    expect((await failure(exportOf(id))).message).toContain(`gateway ${noEip.id} has no EIP`);
    const unchained = await createServer();
    await update(unchained, { server_certificate: { id: 'pki-server' } });
    const error = await failure(exportOf(unchained));
    expect([error.status, error.code]).toEqual([400, 'VPN.0001']);
    expect(error.message).toContain('holds no chain');
    await update(unchained, { server_certificate: { id: 'self-signed' } });
    expect((await exportOf(unchained)).client_config).toContain(readFixture('pki/self-signed-server.pem').trim());
  });

  test('an unknown server, or one of another project, is 404', async () => {
    const id = await createServer();
    const other = await failure(exportClientConfig(parseExportClientConfig({ projectId: OTHER_PROJECT, serverId: id, body: {} }), portsFor(table.newStore())));
    expect([other.code, (await failure(exportOf(randomUUID()))).code]).toEqual(['VPN.0004', 'VPN.0004']);
  });
});
