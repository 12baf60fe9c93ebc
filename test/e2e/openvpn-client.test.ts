/**
 * The service's exported client profile (contract 10.3) given to a real OpenVPN 2.6 client: servers are
 * created (and updated, and given client CAs) through serverless-offline, signed as the Huawei SDK signs,
 * the profile is exported, and the client must complete "Initialization Sequence Completed" against an
 * OpenVPN server holding the server certificate's key, over loopback in a private network namespace.
 * The seed's gateways have the EIP 127.0.0.1; private keys stay in the fixtures, never in the seed.
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClientCaList } from '../../lib/vpn-servers/certificates/client-ca';
import { connect, openVpnUnavailable, type ConnectOptions, type ConnectResult } from '../support/openvpn';
import { describeWithPrerequisites } from '../support/prerequisites';
import { demoSeed } from '../support/local-table';
import { PROJECT, certificatePem } from '../support/requests';
import { sdkClient, type Sdk, type SdkResult } from './support/sdk-client';
import { startStack, writeSeedFile, type Stack } from './support/stack';

const pki = (name: string): string => readFileSync(path.join(__dirname, '../fixtures/pki', name), 'utf8');

const ISSUED_CERT = 'scs-e2e-openvpn-issued';
const SELF_SIGNED_CERT = 'scs-e2e-openvpn-self-signed';
const NO_CHAIN_CERT = 'scs-e2e-openvpn-no-chain';
const WRONG_CHAIN_CERT = 'scs-e2e-openvpn-wrong-chain';

const GATEWAYS = {
  password: randomUUID(),
  cert: randomUUID(),
  updated: randomUUID(),
  compressed: randomUUID(),
  selfSigned: randomUUID(),
  noEip: randomUUID(),
  noChain: randomUUID(),
  wrongChain: randomUUID(),
};

let stack: Stack;
let sdk: Sdk;
beforeAll(async () => {
  const demo = demoSeed();
  const gateway = (id: string, index: number, withEip = true) => ({
    project_id: PROJECT,
    id,
    name: `openvpn-${index}`,
    vpc_id: randomUUID(),
    status: 'ACTIVE',
    max_connection_number: 10,
    ...(withEip ? { eip: { ip_address: '127.0.0.1' } } : {}),
  });
  const certificate = (id: string, content: string, chain?: string) => ({
    project_id: PROJECT,
    id,
    name: id,
    content,
    ...(chain === undefined ? {} : { certificate_chain: chain }),
  });
  const seedFile = writeSeedFile({
    credentials: demo.credentials,
    p2c_vpn_gateways: Object.values(GATEWAYS).map((id, index) => gateway(id, index, id !== GATEWAYS.noEip)),
    certificates: [
      certificate(ISSUED_CERT, pki('server.pem'), pki('server-chain.pem')),
      certificate(SELF_SIGNED_CERT, pki('self-signed-server.pem')),
      certificate(NO_CHAIN_CERT, pki('server.pem')),
      // a chain, but not the one that issued the certificate
      certificate(WRONG_CHAIN_CERT, pki('server.pem'), pki('client-ca.pem')),
    ],
  });
  expect(readFileSync(seedFile, 'utf8')).not.toContain('PRIVATE KEY');
  stack = await startStack({ seedFile });
  sdk = sdkClient(stack.baseUrl);
}, 180_000);
afterAll(() => stack?.stop(), 60_000);

const BY_GATEWAY = '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers';
const SERVER = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers/{vpn_server_id}';

function expectStatus(result: SdkResult, status: number): void {
  expect({ status: result.status, body: result.json }).toEqual({ status, body: expect.anything() });
}

async function createServer(gatewayId: string, vpnServer: Record<string, unknown>): Promise<string> {
  const created = await sdk('POST', BY_GATEWAY, { pathParams: { p2c_vgw_id: gatewayId }, data: { vpn_server: vpnServer } });
  expectStatus(created, 201);
  return created.json.vpn_server.id;
}

async function listed(gatewayId: string): Promise<Record<string, any>> {
  const list = await sdk('GET', BY_GATEWAY, { pathParams: { p2c_vgw_id: gatewayId } });
  expectStatus(list, 200);
  expect(list.json.vpn_servers).toHaveLength(1);
  return list.json.vpn_servers[0];
}

async function exportProfile(serverId: string): Promise<SdkResult> {
  return sdk('POST', `${SERVER}/client-config/export`, { pathParams: { vpn_server_id: serverId }, data: {} });
}

async function exported(serverId: string): Promise<string> {
  const result = await exportProfile(serverId);
  expectStatus(result, 200);
  expect(result.json.client_config).toMatch(/^client\n/);
  return result.json.client_config;
}

const passwordServer = (certificateId: string, sslOptions: Record<string, unknown>) => ({
  local_subnets: ['10.70.0.0/24'],
  client_cidr: '172.30.0.0/24',
  client_auth_type: 'LOCAL_PASSWORD',
  server_certificate: { id: certificateId },
  ssl_options: sslOptions,
});

const ALICE = { username: 'alice', password: 'correct horse battery staple' };
const issued = { certPem: pki('server.pem'), keyPem: pki('server.key'), chainPem: pki('server-chain.pem') };
const selfSigned = { certPem: pki('self-signed-server.pem'), keyPem: pki('self-signed-server.key') };
const passwordAuth = { type: 'LOCAL_PASSWORD' as const, accepted: ALICE };
const trustedClient = {
  type: 'CERT' as const,
  clientCaPems: [pki('client-ca.pem')],
  clientCertPem: pki('client.pem'),
  clientKeyPem: pki('client.key'),
};

/** The logs, for a failed expectation to show why. */
const logs = (result: ConnectResult): string => `--- client\n${result.clientLog}\n--- server\n${result.serverLog}`;

function expectConnected(result: ConnectResult, cipher: string, compression: string): void {
  expect({ connected: result.connected, dataChannel: result.dataChannel, logs: result.connected ? '' : logs(result) }).toEqual({
    connected: true,
    dataChannel: { client: { cipher, compression }, server: { cipher, compression } },
    logs: '',
  });
}

describe('PKI fixtures', () => {
  test('the server certificate is issued by the root CA its chain holds, for TLS servers', () => {
    const server = new X509Certificate(pki('server.pem'));
    const root = new X509Certificate(pki('server-chain.pem'));
    expect(root.subject).toContain('CN=P2C VPN Demo Root CA');
    expect(root.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(root) && server.verify(root.publicKey)).toBe(true);
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(pki('server-chain.pem')).toBe(pki('root-ca.pem'));
  });

  test("the client CA passes the service's client CA checks and issued the client certificate", () => {
    const { certificates, problems } = checkClientCaList([{ content: pki('client-ca.pem') }], new Date());
    expect(problems).toEqual([]);
    expect(certificates[0]!.signature_algorithm).toBe('sha256WithRSAEncryption');
    const ca = new X509Certificate(pki('client-ca.pem'));
    const client = new X509Certificate(pki('client.pem'));
    expect(client.checkIssued(ca) && client.verify(ca.publicKey)).toBe(true);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
  });

  test('the self-signed server certificate signs itself, a CA:FALSE certificate for TLS servers', () => {
    const certificate = new X509Certificate(pki('self-signed-server.pem'));
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.ca).toBe(false);
  });
});

describe('a server whose profile could not connect has no profile: a 4xx saying what is missing', () => {
  test('a gateway without an EIP', async () => {
    const id = await createServer(GATEWAYS.noEip, passwordServer(ISSUED_CERT, {}));
    const result = await exportProfile(id);
    expect({ status: result.status, code: result.json.error_code }).toEqual({ status: 400, code: 'VPN.0001' });
    expect(result.json.error_msg).toMatch(/EIP/);
    expect(result.json.error_msg).toContain(GATEWAYS.noEip);
  });

  test.each([
    ['stored without its chain', GATEWAYS.noChain, NO_CHAIN_CERT],
    ['stored with a chain that did not issue it', GATEWAYS.wrongChain, WRONG_CHAIN_CERT],
  ])('a server certificate that is not self-signed, %s', async (_name, gatewayId, certificateId) => {
    const id = await createServer(gatewayId, passwordServer(certificateId, {}));
    const result = await exportProfile(id);
    expect({ status: result.status, code: result.json.error_code }).toEqual({ status: 400, code: 'VPN.0001' });
    expect(result.json.error_msg).toContain(certificateId);
    expect(result.json.error_msg).toMatch(/self-signed/);
    expect(result.json.error_msg).toMatch(/chain/);
  });
});

describeWithPrerequisites('OpenVPN 2.6 client with the exported profile', openVpnUnavailable(), () => {
  jest.setTimeout(120_000);

  describe('LOCAL_PASSWORD on 443 with AES-128-GCM, server certificate issued by the root CA', () => {
    let profile: string;
    const options = (): ConnectOptions => ({ profile, server: issued, auth: passwordAuth, port: 443, cipher: 'AES-128-GCM', compression: false });

    beforeAll(async () => {
      const id = await createServer(GATEWAYS.password, passwordServer(ISSUED_CERT, {}));
      expect((await listed(GATEWAYS.password)).ssl_options).toMatchObject({ port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false });
      profile = await exported(id);
    });

    test('the profile names the gateway EIP and the settings, and holds the chain as <ca>', () => {
      expect(profile).toContain('remote 127.0.0.1 443\n');
      expect(profile).toContain('data-ciphers AES-128-GCM\n');
      expect(profile).toContain('auth-user-pass\n');
      expect(profile).toContain(`<ca>\n${pki('server-chain.pem').trim()}\n</ca>`);
      expect(profile).not.toMatch(/^-----BEGIN [A-Z ]*PRIVATE KEY-----$/m);
    });

    test('connects', async () => {
      const result = await connect(options());
      expectConnected(result, 'AES-128-GCM', 'none');
      expect(result.clientLog).toContain('VERIFY EKU OK');
      expect(result.serverLog).toContain(`Username/Password authentication succeeded for username '${ALICE.username}'`);
    });

    test('a wrong password does not connect', async () => {
      const result = await connect({ ...options(), auth: { ...passwordAuth, presented: { ...ALICE, password: 'wrong' } } });
      expect(result.connected).toBe(false);
      expect(result.clientLog).toContain('AUTH_FAILED');
    });

    test('a server compressing while the profile does not: the handshake completes, but the data channels differ', async () => {
      const result = await connect({ ...options(), compression: true });
      expect(result.connected).toBe(true);
      expect(result.dataChannel).toEqual({
        client: { cipher: 'AES-128-GCM', compression: 'none' },
        server: { cipher: 'AES-128-GCM', compression: 'lz4v2' },
      });
    });

    test('an OpenVPN server with a key the profile\'s <ca> did not certify does not connect', async () => {
      const result = await connect({ ...options(), server: selfSigned });
      expect(result.connected).toBe(false);
      expect(result.clientLog).toMatch(/VERIFY ERROR: depth=0, error=self-signed certificate: .*CN=self-signed\.p2c-demo\.example\.com/);
    });
  });

  describe('CERT on 1194 with AES-256-GCM, client-ca.pem imported through the API', () => {
    let profile: string;
    const options = (): ConnectOptions => ({ profile, server: issued, auth: trustedClient, port: 1194, cipher: 'AES-256-GCM', compression: false });

    beforeAll(async () => {
      // a CERT server needs a CA at creation: another one, deleted once client-ca.pem is imported
      const id = await createServer(GATEWAYS.cert, {
        local_subnets: ['10.71.0.0/24'],
        client_cidr: '172.31.0.0/24',
        client_auth_type: 'CERT',
        server_certificate: { id: ISSUED_CERT },
        client_ca_certificates: [{ name: 'placeholder', content: certificatePem('demo-ca') }],
        ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM' },
      });
      const cas = `${SERVER}/client-ca-certificates`;
      const imported = await sdk('POST', cas, { pathParams: { vpn_server_id: id }, data: { client_ca_certificate: { name: 'openvpn-clients', content: pki('client-ca.pem') } } });
      expectStatus(imported, 201);
      const placeholder = (await listed(GATEWAYS.cert)).client_ca_certificates.find((ca: { name: string }) => ca.name === 'placeholder');
      const deleted = await sdk('DELETE', `${cas}/{client_ca_certificate_id}`, { pathParams: { vpn_server_id: id, client_ca_certificate_id: placeholder.id } });
      expect(deleted.status).toBe(204);
      const server = await listed(GATEWAYS.cert);
      // the OpenVPN server trusts exactly the CAs the service holds
      expect(server.client_ca_certificates).toEqual([
        expect.objectContaining({ name: 'openvpn-clients', serial_number: BigInt(`0x${new X509Certificate(pki('client-ca.pem')).serialNumber}`).toString() }),
      ]);
      expect(server.ssl_options).toMatchObject({ port: 1194, encryption_algorithm: 'AES-256-GCM' });
      profile = await exported(id);
    });

    test('the profile asks for no password and says where the certificate and key go', () => {
      expect(profile).toContain('remote 127.0.0.1 1194\n');
      expect(profile).toContain('data-ciphers AES-256-GCM\n');
      expect(profile).not.toContain('auth-user-pass');
      expect(profile).toMatch(/^# <cert>$/m);
      expect(profile).toMatch(/^# <key>$/m);
    });

    test('connects with the client certificate the client CA issued', async () => {
      const result = await connect(options());
      expectConnected(result, 'AES-256-GCM', 'none');
      expect(result.serverLog).toContain('VERIFY OK: depth=0, C=CN, O=P2C VPN Demo, CN=p2c-demo-openvpn-client');
    });

    test('a client certificate from a CA the server does not trust does not connect', async () => {
      const result = await connect({ ...options(), auth: { ...trustedClient, clientCertPem: pki('untrusted-client.pem'), clientKeyPem: pki('untrusted-client.key') } });
      expect(result.connected).toBe(false);
      expect(result.serverLog).toMatch(/VERIFY ERROR: depth=0, error=unable to get local issuer certificate: .*CN=untrusted-client/);
    });
  });

  test('a server updated (PUT) to 1194 with AES-256-GCM: the re-exported profile connects with the new settings', async () => {
    const id = await createServer(GATEWAYS.updated, passwordServer(ISSUED_CERT, { port: 443, encryption_algorithm: 'AES-128-GCM' }));
    const before = await exported(id);
    const put = await sdk('PUT', SERVER, { pathParams: { vpn_server_id: id }, data: { vpn_server: { ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM' } } } });
    expectStatus(put, 200);
    expect((await listed(GATEWAYS.updated)).ssl_options).toMatchObject({ port: 1194, encryption_algorithm: 'AES-256-GCM' });
    const after = await exported(id);
    expect(before).toContain('remote 127.0.0.1 443\n');
    expect(after).toContain('remote 127.0.0.1 1194\n');
    expect(after).toContain('data-ciphers AES-256-GCM\n');
    const result = await connect({ profile: after, server: issued, auth: passwordAuth, port: 1194, cipher: 'AES-256-GCM', compression: false });
    expectConnected(result, 'AES-256-GCM', 'none');
  });

  test('is_compressed: true: the profile carries `compress lz4-v2` and both ends agree on lz4v2', async () => {
    const id = await createServer(GATEWAYS.compressed, passwordServer(ISSUED_CERT, { is_compressed: true }));
    expect((await listed(GATEWAYS.compressed)).ssl_options.is_compressed).toBe(true);
    const profile = await exported(id);
    expect(profile).toMatch(/^compress lz4-v2$/m);
    const result = await connect({ profile, server: issued, auth: passwordAuth, port: 443, cipher: 'AES-128-GCM', compression: true });
    expectConnected(result, 'AES-128-GCM', 'lz4v2');
  });

  test('a self-signed server certificate is its own <ca>', async () => {
    const id = await createServer(GATEWAYS.selfSigned, passwordServer(SELF_SIGNED_CERT, {}));
    const profile = await exported(id);
    expect(profile).toContain(`<ca>\n${pki('self-signed-server.pem').trim()}\n</ca>`);
    const result = await connect({ profile, server: selfSigned, auth: passwordAuth, port: 443, cipher: 'AES-128-GCM', compression: false });
    expectConnected(result, 'AES-128-GCM', 'none');
    expect(result.clientLog).toContain('VERIFY OK: depth=0, C=CN, O=P2C VPN Demo, CN=self-signed.p2c-demo.example.com');
  });
});
