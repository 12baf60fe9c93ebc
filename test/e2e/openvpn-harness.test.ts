/**
 * The OpenVPN harness and the PKI fixtures, proven with real OpenVPN 2.6 handshakes, ahead of the
 * export endpoint (contract 10.3). Temporary: a test that connects with the service's exported
 * profile replaces the local `profile` function below.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkClientCaCertificates } from '../../lib/vpn-servers/certificates';
import { connect, openVpnUnavailable, type ConnectOptions, type ConnectResult } from '../support/openvpn';

const pki = (name: string): string => readFileSync(join(__dirname, '../fixtures/pki', name), 'utf8');

const ALICE = { username: 'alice', password: 'correct horse battery staple' };

interface ProfileSettings {
  authType: 'LOCAL_PASSWORD' | 'CERT';
  port: 443 | 1194;
  cipher: 'AES-128-GCM' | 'AES-256-GCM';
  compressed: boolean;
  /** the server certificate's certificate_chain, or the certificate itself when it is self-signed */
  ca: string;
}

/** Contract 10.3's template, line for line; `compress lz4-v2` is the directive for is_compressed. */
function profile(settings: ProfileSettings): string {
  const lines = [
    'client',
    'dev tun',
    'proto tcp',
    `remote 127.0.0.1 ${settings.port}`, // the test seed's gateway eip.ip_address
    'resolv-retry infinite',
    'nobind',
    'persist-key',
    'persist-tun',
    'remote-cert-tls server',
    `data-ciphers ${settings.cipher}`,
    'auth SHA256',
    'verb 3',
  ];
  if (settings.authType === 'LOCAL_PASSWORD') lines.push('auth-user-pass');
  if (settings.compressed) lines.push('compress lz4-v2');
  lines.push('<ca>', settings.ca.trim(), '</ca>');
  if (settings.authType === 'CERT') {
    lines.push(
      '# Certificate authentication: add your client certificate and its private key, issued by one of',
      "# this VPN server's client CA certificates, here:",
      '# <cert>',
      '# -----BEGIN CERTIFICATE-----',
      '# ...',
      '# -----END CERTIFICATE-----',
      '# </cert>',
      '# <key>',
      '# -----BEGIN PRIVATE KEY-----',
      '# ...',
      '# -----END PRIVATE KEY-----',
      '# </key>',
    );
  }
  lines.push('reneg-sec 0', 'disable-dco');
  return `${lines.join('\n')}\n`;
}

const issued = { certPem: pki('server.pem'), keyPem: pki('server.key'), chainPem: pki('server-chain.pem') };
const selfSigned = { certPem: pki('self-signed-server.pem'), keyPem: pki('self-signed-server.key') };
const trustedClient = {
  type: 'CERT' as const,
  clientCaPems: [pki('client-ca.pem')],
  clientCertPem: pki('client.pem'),
  clientKeyPem: pki('client.key'),
};

/** A LOCAL_PASSWORD server on 443 with AES-128-GCM, no compression, and its matching profile. */
function passwordCase(overrides: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    profile: profile({ authType: 'LOCAL_PASSWORD', port: 443, cipher: 'AES-128-GCM', compressed: false, ca: issued.chainPem }),
    server: issued,
    auth: { type: 'LOCAL_PASSWORD', accepted: ALICE },
    port: 443,
    cipher: 'AES-128-GCM',
    compression: false,
    ...overrides,
  };
}

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
  const now = new Date();

  test('the server certificate is issued by the root CA its chain holds, for TLS servers', () => {
    const server = new X509Certificate(pki('server.pem'));
    const root = new X509Certificate(pki('server-chain.pem'));
    expect(root.subject).toContain('CN=P2C VPN Demo Root CA');
    expect(root.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(root) && server.verify(root.publicKey)).toBe(true);
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // Node names the EKU: serverAuth
    expect(pki('server-chain.pem')).toBe(pki('root-ca.pem'));
  });

  test('the client CA passes the service\'s client CA checks and issued the client certificate', () => {
    const { certificates, problems } = checkClientCaCertificates([{ content: pki('client-ca.pem') }], now);
    expect(problems).toEqual([]);
    expect(certificates[0]!.signature_algorithm).toBe('sha256WithRSAEncryption');
    const ca = new X509Certificate(pki('client-ca.pem'));
    const client = new X509Certificate(pki('client.pem'));
    expect(ca.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(client.checkIssued(ca) && client.verify(ca.publicKey)).toBe(true);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
  });

  test('the self-signed server certificate signs itself, a CA:FALSE certificate for TLS servers', () => {
    const certificate = new X509Certificate(pki('self-signed-server.pem'));
    // without keyCertSign OpenSSL's checkIssued says no, yet OpenVPN trusts it as its own <ca>
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });
});

const unavailable = openVpnUnavailable();
if (unavailable) console.warn(`OpenVPN handshake tests skipped: ${unavailable}`);
const describeHandshake = unavailable ? describe.skip : describe;

describeHandshake(`OpenVPN 2.6 client with a contract 10.3 profile${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  jest.setTimeout(90_000);

  test('LOCAL_PASSWORD on 443 with AES-128-GCM, server certificate issued by the root CA', async () => {
    const result = await connect(passwordCase());
    expectConnected(result, 'AES-128-GCM', 'none');
    expect(result.clientLog).toContain('VERIFY EKU OK');
    expect(result.serverLog).toContain(`Username/Password authentication succeeded for username '${ALICE.username}'`);
  });

  test('CERT on 1194 with AES-256-GCM, client certificate issued by the client CA', async () => {
    const result = await connect({
      profile: profile({ authType: 'CERT', port: 1194, cipher: 'AES-256-GCM', compressed: false, ca: issued.chainPem }),
      server: issued,
      auth: trustedClient,
      port: 1194,
      cipher: 'AES-256-GCM',
      compression: false,
    });
    expectConnected(result, 'AES-256-GCM', 'none');
    expect(result.serverLog).toContain('VERIFY OK: depth=0, C=CN, O=P2C VPN Demo, CN=p2c-demo-openvpn-client');
  });

  test('a self-signed server certificate is its own <ca>', async () => {
    const result = await connect(
      passwordCase({
        profile: profile({ authType: 'LOCAL_PASSWORD', port: 443, cipher: 'AES-128-GCM', compressed: false, ca: selfSigned.certPem }),
        server: selfSigned,
      }),
    );
    expectConnected(result, 'AES-128-GCM', 'none');
    expect(result.clientLog).toContain('VERIFY OK: depth=0, C=CN, O=P2C VPN Demo, CN=self-signed.p2c-demo.example.com');
  });

  test('compression on: `compress lz4-v2` gives both ends the same lz4v2 data channel', async () => {
    const result = await connect(
      passwordCase({
        profile: profile({ authType: 'LOCAL_PASSWORD', port: 443, cipher: 'AES-128-GCM', compressed: true, ca: issued.chainPem }),
        compression: true,
      }),
    );
    expectConnected(result, 'AES-128-GCM', 'lz4v2');
  });

  test('compression on, profile without the directive: the handshake completes, but the data channels differ', async () => {
    const result = await connect(passwordCase({ compression: true }));
    expect(result.connected).toBe(true);
    expect(result.dataChannel).toEqual({
      client: { cipher: 'AES-128-GCM', compression: 'none' },
      server: { cipher: 'AES-128-GCM', compression: 'lz4v2' },
    });
  });

  test('a wrong password does not connect', async () => {
    const result = await connect(
      passwordCase({ auth: { type: 'LOCAL_PASSWORD', accepted: ALICE, presented: { ...ALICE, password: 'wrong' } } }),
    );
    expect(result.connected).toBe(false);
    expect(result.clientLog).toContain('AUTH_FAILED');
  });

  test('a client certificate from a CA the server does not trust does not connect', async () => {
    const result = await connect({
      profile: profile({ authType: 'CERT', port: 1194, cipher: 'AES-256-GCM', compressed: false, ca: issued.chainPem }),
      server: issued,
      auth: { ...trustedClient, clientCertPem: pki('untrusted-client.pem'), clientKeyPem: pki('untrusted-client.key') },
      port: 1194,
      cipher: 'AES-256-GCM',
      compression: false,
    });
    expect(result.connected).toBe(false);
    expect(result.serverLog).toMatch(/VERIFY ERROR: depth=0, error=unable to get local issuer certificate: .*CN=untrusted-client/);
  });

  test('a profile whose <ca> did not issue the server certificate does not connect', async () => {
    const result = await connect(
      passwordCase({
        profile: profile({ authType: 'LOCAL_PASSWORD', port: 443, cipher: 'AES-128-GCM', compressed: false, ca: pki('client-ca.pem') }),
      }),
    );
    expect(result.connected).toBe(false);
    // the server sends its chain, whose root the profile's <ca> does not hold
    expect(result.clientLog).toMatch(
      /VERIFY ERROR: depth=1, error=self-signed certificate in certificate chain: .*CN=P2C VPN Demo Root CA/,
    );
  });
});
