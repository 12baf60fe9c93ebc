/** The pure parts of CONTRACT.md section 10: the update merge and which rules re-run, the bodies'
 * schemas, the profile text, what goes into <ca>, and the client CA rules over an in-memory store. */
import { randomUUID } from 'node:crypto';
import { deleteClientCa, importClientCa } from '../../lib/vpn-servers/client-cas';
import { MAX_COMPLETED_IMPORTS } from '../../lib/core/limits';
import { profileTrustAnchors } from '../../lib/vpn-servers/certificates/trust-chain';
import { isServiceError, type ServiceError } from '../../lib/core/errors';
import type { ServerSnapshot, UseCasePorts, VpnServerStore } from '../../lib/vpn-servers/ports';
import { renderClientProfile } from '../../lib/vpn-servers/profile';
import type { ClientCaRecord, VpnServerRecord } from '../../lib/vpn-servers/records';
import type { TokenReservation } from '../../lib/core/client-token';
import { parseImportClientCa, parseUpdateClientCa } from '../../lib/vpn-servers/schemas/client-ca';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseExportClientConfig } from '../../lib/vpn-servers/schemas/export-client-config';
import { parseUpdateVpnServer } from '../../lib/vpn-servers/schemas/update-vpn-server';
import { mergeServerChanges } from '../../lib/vpn-servers/update';
import { certificatePem, passwordAuthExample, readFixture, validClientCaPems } from '../support/requests';
import { portsFor } from '../support/use-cases';

const PROJECT = '0123456789abcdef0123456789abcdef';
const SERVER = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

function caught(run: () => unknown): ServiceError {
  try {
    run();
  } catch (error) {
    if (isServiceError(error)) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
}

const parseUpdate = (vpnServer: unknown) => parseUpdateVpnServer({ projectId: PROJECT, serverId: SERVER, body: { vpn_server: vpnServer } });

function server(changes: Partial<VpnServerRecord> = {}): VpnServerRecord {
  return {
    id: SERVER,
    project_id: PROJECT,
    p2c_vgw_id: 'e01377f1-3925-47eb-a309-fcb5f91b88b2',
    tunnel_protocol: 'SSL',
    client_cidr: '172.16.0.0/24',
    local_subnets: ['10.16.0.0/24'],
    client_auth_type: 'LOCAL_PASSWORD',
    server_certificate: {
      id: 'scs1',
      name: 'cert',
      issuer: 'CN=ca',
      subject: 'CN=server',
      serial_number: '1',
      expiration_time: '2125-01-01T00:00:00Z',
      signature_algorithm: 'sha256WithRSAEncryption',
    },
    client_ca_certificates: [],
    ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
    dns_servers: [],
    status: 'ACTIVE',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    completed_imports: [],
    version: 1,
    ...changes,
  };
}

describe('the update body', () => {
  test('absent and null fields are not changes; CIDRs are normalised', () => {
    expect(parseUpdate({ client_cidr: '172.16.0.1/24', local_subnets: null, ssl_options: { port: 1194, protocol: null } }).changes).toEqual({
      client_cidr: '172.16.0.0/24',
      ssl_options: { port: 1194 },
    });
  });

  test('fields that cannot be updated are named, not called unknown', () => {
    const error = caught(() => parseUpdate({ tunnel_protocol: 'SSL', client_ca_certificates: [], p2c_vgw_id: SERVER, ssl_options: { is_compressed: false } }));
    expect(error.message).toContain('vpn_server.tunnel_protocol: cannot be updated');
    expect(error.message).toContain('vpn_server.client_ca_certificates: cannot be updated');
    expect(error.message).toContain('vpn_server.p2c_vgw_id: cannot be updated');
    expect(error.message).toContain('vpn_server.ssl_options.is_compressed: cannot be updated');
    expect(caught(() => parseUpdate({ idp_name: 'x', client_cidr: '172.16.0.0/24' })).message).toContain('vpn_server.idp_name: unknown field');
  });

  test('at least one updatable field; an empty body, an all-null one or only fixed fields as null is 400', () => {
    for (const body of [{}, { client_cidr: null, dns_servers: null }, { tunnel_protocol: null }]) {
      expect(caught(() => parseUpdate(body)).message).toContain('vpn_server: must set at least one of client_cidr');
    }
    expect(parseUpdate({ ssl_options: {} }).changes).toEqual({ ssl_options: {} });
  });

  test('types and enums are strict, as on create', () => {
    const error = caught(() => parseUpdate({ ssl_options: { port: '443', encryption_algorithm: 'aes-128-gcm' }, client_auth_type: 'IAM', local_subnets: [] }));
    expect(error.message).toContain('vpn_server.ssl_options.port: must be one of 443, 1194');
    expect(error.message).toContain('vpn_server.ssl_options.encryption_algorithm: must be one of');
    expect(error.message).toContain('vpn_server.client_auth_type: must be one of "CERT", "LOCAL_PASSWORD"');
    expect(error.message).toContain('vpn_server.local_subnets: must have at least 1 entries');
  });

  test('dns_servers: 0..2 distinct strict IPv4 addresses outside the reserved blocks (create and update alike)', () => {
    expect(parseUpdate({ dns_servers: [] }).changes.dns_servers).toEqual([]);
    const error = caught(() => parseUpdate({ dns_servers: ['8.8.8.8', '8.8.8.8', '1.1.1.1'] }));
    expect(error.message).toContain('vpn_server.dns_servers: must have at most 2 entries');
    expect(caught(() => parseUpdate({ dns_servers: ['8.8.8.8', '8.8.8.8'] })).message).toContain('vpn_server.dns_servers[1]: 8.8.8.8 duplicates entry [0]');
    expect(caught(() => parseUpdate({ dns_servers: ['127.0.0.53'] })).message).toContain('vpn_server.dns_servers[0]: 127.0.0.53 is in reserved block 127.0.0.0/8');
    expect(caught(() => parseUpdate({ dns_servers: ['169.254.169.253'] })).message).toContain('reserved block 169.254.0.0/16');
    expect(caught(() => parseUpdate({ dns_servers: ['010.0.0.1'] })).message).toContain('vpn_server.dns_servers[0]: must be an IPv4 address');
    const create = parseCreateVpnServer({
      projectId: PROJECT,
      gatewayId: SERVER,
      clientTokenField: 'X-Client-Token',
      body: { vpn_server: { ...passwordAuthExample().vpn_server, dns_servers: ['10.16.0.2'] } },
    });
    expect(create.server.dns_servers).toEqual(['10.16.0.2']);
  });
});

describe('the update merge and which rules re-run', () => {
  test('absent fields keep their value, ssl_options member by member', () => {
    const { merged, changed } = mergeServerChanges(server(), parseUpdate({ ssl_options: { encryption_algorithm: 'AES-256-GCM' } }).changes);
    expect(merged.ssl_options).toEqual({ protocol: 'TCP', port: 443, encryption_algorithm: 'AES-256-GCM', is_compressed: false });
    expect(merged.client_cidr).toBe('172.16.0.0/24');
    expect(changed).toEqual(['ssl_options']);
  });

  test('a value equal to the stored one is no change, so its rules do not re-run', () => {
    const same = parseUpdate({ client_cidr: '172.16.0.9/24', local_subnets: ['10.16.0.1/24'], server_certificate: { id: 'scs1' }, dns_servers: [], client_auth_type: 'LOCAL_PASSWORD' });
    expect(mergeServerChanges(server(), same.changes).changed).toEqual([]);
  });

  test('each changed field is reported (the use case re-checks CIDRs, certificate and auth type from it)', () => {
    const all = parseUpdate({
      client_cidr: '172.17.0.0/24',
      local_subnets: ['10.16.1.0/24'],
      server_certificate: { id: 'scs2' },
      ssl_options: { port: 1194 },
      client_auth_type: 'CERT',
      dns_servers: ['10.16.0.2'],
    });
    expect(mergeServerChanges(server(), all.changes).changed.sort()).toEqual(
      ['client_auth_type', 'client_cidr', 'dns_servers', 'local_subnets', 'server_certificate', 'ssl_options'].sort(),
    );
    expect(mergeServerChanges(server(), parseUpdate({ local_subnets: ['10.16.0.0/24', '10.16.1.0/24'] }).changes).changed).toEqual(['local_subnets']);
  });
});

describe('the client CA bodies', () => {
  test('rename takes a name only; content cannot change', () => {
    const target = { projectId: PROJECT, serverId: SERVER, caId: randomUUID() };
    expect(parseUpdateClientCa({ ...target, body: { client_ca_certificate: { name: 'new-name' } } }).name).toBe('new-name');
    expect(caught(() => parseUpdateClientCa({ ...target, body: { client_ca_certificate: { name: 'x', content: 'pem' } } })).message).toContain(
      'client_ca_certificate.content: cannot be updated',
    );
    expect(caught(() => parseUpdateClientCa({ ...target, body: { client_ca_certificate: { name: 'a b' } } })).message).toContain('client_ca_certificate.name: must be 1 to 64');
    expect(caught(() => parseUpdateClientCa({ ...target, body: { client_ca_certificate: {} } })).message).toContain('client_ca_certificate.name: is required');
  });

  test('export takes no body, {} or a known os_type', () => {
    const parse = (body: unknown) => parseExportClientConfig({ projectId: PROJECT, serverId: SERVER.toUpperCase(), body });
    expect(parse(undefined)).toEqual({ projectId: PROJECT, serverId: SERVER, osType: 'Windows' });
    expect(parse({}).osType).toBe('Windows');
    expect(parse({ os_type: 'MacOS' }).osType).toBe('MacOS');
    expect(caught(() => parse({ os_type: 'macOS' })).message).toContain('os_type: must be one of');
    expect(caught(() => parse({ os: 'Linux' })).message).toContain('os: unknown field');
  });
});

describe('the profile text', () => {
  const anchors = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const profile = (changes: Partial<VpnServerRecord> = {}) => renderClientProfile({ server: server(changes), remoteAddress: '203.0.113.10', trustAnchors: anchors });

  test("LOCAL_PASSWORD: Huawei's profile with the server's port, protocol and cipher, and auth-user-pass", () => {
    expect(profile()).toBe(
      [
        'client',
        'dev tun',
        'proto tcp',
        'remote 203.0.113.10 443',
        'resolv-retry infinite',
        'nobind',
        'persist-key',
        'persist-tun',
        'remote-cert-tls server',
        'data-ciphers AES-128-GCM',
        'auth SHA256',
        'verb 3',
        'auth-user-pass',
        '<ca>',
        anchors.trim(),
        '</ca>',
        '',
        'reneg-sec 0',
        '# Add a comment character (#) in front of disable-dco when OpenVPN 2.5 or earlier is used.',
        'disable-dco',
        '',
      ].join('\n'),
    );
  });

  test('CERT: no auth-user-pass, comments saying where the user certificate and key go', () => {
    const text = profile({ client_auth_type: 'CERT' });
    expect(text).not.toContain('auth-user-pass');
    expect(text).toMatch(/^# <cert>$/m);
    expect(text).toMatch(/^# <key>$/m);
    expect(text.indexOf('# <cert>')).toBeLessThan(text.indexOf('<ca>'));
  });

  test('port, cipher and compression follow the server', () => {
    const text = profile({ ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: true } });
    expect(text).toContain('remote 203.0.113.10 1194\n');
    expect(text).toContain('data-ciphers AES-256-GCM\n');
    expect(text).toContain('\ncompress lz4-v2\n');
    expect(profile()).not.toContain('compress');
  });
});

describe("what the profile's <ca> holds", () => {
  test('the certificate itself when self-signed', () => {
    const pem = readFixture('pki/self-signed-server.pem');
    expect(profileTrustAnchors(pem, undefined)).toBe(pem.trim());
  });

  test('the chain when it leads from the certificate to a self-signed root; else nothing', () => {
    const chain = readFixture('pki/server-chain.pem');
    expect(profileTrustAnchors(readFixture('pki/server.pem'), chain)).toBe(chain.trim());
    expect(profileTrustAnchors(readFixture('pki/server.pem'), undefined)).toBeUndefined();
    // a chain that did not issue it
    expect(profileTrustAnchors(readFixture('pki/server.pem'), certificatePem('demo-ca'))).toBeUndefined();
    expect(profileTrustAnchors(certificatePem('server-cert'), certificatePem('demo-ca'))).toBe(certificatePem('demo-ca').trim());
  });
});

describe('the client CA rules, over an in-memory store', () => {
  /** One server, its token reservations, versions as the DynamoDB store keeps them. */
  function memoryPorts(initial: VpnServerRecord): { ports: UseCasePorts; current: () => VpnServerRecord } {
    let stored = initial;
    const tokens = new Map<string, TokenReservation>();
    const store: Pick<VpnServerStore, 'readServer' | 'replaceServer' | 'reserveToken'> = {
      readServer: ({ serverId, clientToken }): Promise<ServerSnapshot> =>
        Promise.resolve(serverId === stored.id ? { server: structuredClone(stored), ...(clientToken ? { token: tokens.get(clientToken) } : {}) } : {}),
      replaceServer: (next, readVersion) => {
        if (stored.version !== readVersion) return Promise.resolve(false);
        stored = { ...next, version: readVersion + 1 };
        return Promise.resolve(true);
      },
      reserveToken: (reservation) => {
        const held = tokens.get(reservation.token) ?? reservation;
        tokens.set(reservation.token, held);
        return Promise.resolve(held);
      },
    };
    return { ports: portsFor(store as VpnServerStore), current: () => stored };
  }

  const importInto = (ports: UseCasePorts, content: string, name?: string) =>
    importClientCa(
      parseImportClientCa({ projectId: PROJECT, serverId: SERVER, clientTokenField: 'X-Client-Token', body: { client_ca_certificate: { content, ...(name ? { name } : {}) } } }),
      ports,
    ).then(
      (result) => result,
      (error: ServiceError) => error,
    );

  test('the 11th CA is refused with VPN.0001, and nothing is written', async () => {
    const pems = validClientCaPems(11);
    const { ports, current } = memoryPorts(server({ client_auth_type: 'CERT' }));
    for (const pem of pems.slice(0, 10)) expect(await importInto(ports, pem)).toEqual({ id: expect.any(String) });
    const eleventh = (await importInto(ports, pems[10]!)) as ServiceError;
    expect([eleventh.code, eleventh.message]).toEqual(['VPN.0001', expect.stringContaining('already holds 10 client CA certificates')]);
    expect(current().client_ca_certificates).toHaveLength(10);
  });

  test('a name the server uses is refused; absent names are generated, unique on the server', async () => {
    const { ports, current } = memoryPorts(server({ client_auth_type: 'CERT' }));
    const [a, b, c] = validClientCaPems(3);
    await importInto(ports, a!, 'team-a');
    expect(((await importInto(ports, b!, 'team-a')) as ServiceError).message).toContain('"team-a" is already the name of');
    await importInto(ports, b!);
    await importInto(ports, c!);
    const names = current().client_ca_certificates.map((ca: ClientCaRecord) => ca.name);
    expect(names[0]).toBe('team-a');
    expect(names.slice(1).every((name) => /^client_ca_[a-z0-9]{6}$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(3);
  });

  test('the same certificate (by fingerprint, whatever its PEM wrapping) is VPN.0077', async () => {
    const { ports } = memoryPorts(server({ client_auth_type: 'CERT' }));
    const pem = certificatePem('ec-p256-ca');
    await importInto(ports, pem);
    const rewrapped = `\n\n${pem.trim()}\n\n`;
    const duplicate = (await importInto(ports, rewrapped, 'other-name')) as ServiceError;
    expect([duplicate.status, duplicate.code]).toEqual([400, 'VPN.0077']);
  });

  test('the completed token imports a server remembers are bounded, however many imports a day brings', async () => {
    const { ports, current } = memoryPorts(server({ client_auth_type: 'CERT' }));
    const [pem] = validClientCaPems(1);
    for (let i = 0; i < MAX_COMPLETED_IMPORTS + 5; i += 1) {
      const token = randomUUID();
      const { id } = await importClientCa(
        parseImportClientCa({ projectId: PROJECT, serverId: SERVER, clientToken: token, clientTokenField: 'X-Client-Token', body: { client_ca_certificate: { content: pem! } } }),
        ports,
      );
      await deleteClientCa({ projectId: PROJECT, serverId: SERVER, caId: id }, ports);
    }
    expect(current().completed_imports).toHaveLength(MAX_COMPLETED_IMPORTS);
  });

  test('a replay of a token the server no longer remembers still answers its CA, while the CA is there', async () => {
    const { ports, current } = memoryPorts(server({ client_auth_type: 'CERT' }));
    const [kept, ...others] = validClientCaPems(3);
    const importWith = (token: string, content: string) =>
      importClientCa(parseImportClientCa({ projectId: PROJECT, serverId: SERVER, clientToken: token, clientTokenField: 'X-Client-Token', body: { client_ca_certificate: { content } } }), ports);
    const oldToken = randomUUID();
    const { id } = await importWith(oldToken, kept!);
    for (let i = 0; i < MAX_COMPLETED_IMPORTS; i += 1) {
      const { id: other } = await importWith(randomUUID(), others[i % others.length]!);
      await deleteClientCa({ projectId: PROJECT, serverId: SERVER, caId: other }, ports);
    }
    expect(current().completed_imports.map((entry) => entry.token)).not.toContain(oldToken);
    expect(await importWith(oldToken, kept!)).toEqual({ id });
    expect(current().client_ca_certificates.filter((ca) => ca.id === id)).toHaveLength(1);
  });

  test('content is kept for the data plane with its fingerprint; the view never shows either', async () => {
    const { ports, current } = memoryPorts(server({ client_auth_type: 'CERT' }));
    const pem = certificatePem('ec-p384-ca');
    await importInto(ports, pem);
    expect(current().client_ca_certificates[0]).toMatchObject({ content: pem, fingerprint: expect.stringMatching(/^[0-9A-F:]{95}$/) });
  });
});
