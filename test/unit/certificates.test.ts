import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_CA_NAME_PATTERN } from '../../lib/core/patterns';
import { MAX_CERTIFICATE_BYTES } from '../../lib/core/limits';
import { toUtcSeconds } from '../../lib/core/time';
import { checkClientCaList, type ClientCaInput } from '../../lib/vpn-servers/certificates/client-ca';
import { describeServerCertificate } from '../../lib/vpn-servers/certificates/server-certificate';
import { ServiceError } from '../../lib/core/errors';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, randomInt: jest.fn(actual.randomInt) };
});
const mockedRandomInt = randomInt as unknown as jest.Mock<number, [number]>;

const fixtures = join(__dirname, '..', 'fixtures');
const pem = (name: string): string => readFileSync(join(fixtures, 'certs', `${name}.pem`), 'utf8');

const NOW = new Date('2026-06-01T12:00:00Z');
const SERVER_CERT_ID = 'scs1716171403922';

/** The ServiceError that `run` throws; fails the test when it throws nothing or something else. */
function errorOf(run: () => unknown): ServiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError, nothing was thrown');
}

const checkOne = (content: string, now = NOW) => checkClientCaList([{ content }], now);
const rejectionOf = (content: string, now = NOW) => errorOf(() => checkOne(content, now));

/** The base64 between the armour lines of a PEM. */
const base64Of = (text: string): string => text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s/g, '');

/** Base64 lines of a PEM: what must never show up in a message. */
const bodyLines = (text: string): string[] => text.split(/\r?\n/).filter((line) => /^[A-Za-z0-9+/=]{16,}$/.test(line));

afterEach(() => mockedRandomInt.mockClear());

describe('checkClientCaList: accepted certificates', () => {
  it.each(['demo-ca', 'ec-p256-ca', 'ec-p384-ca', 'rsa-pss-sha256-ca'])('accepts %s', (name) => {
    const { certificates, problems } = checkOne(pem(name));
    expect(problems).toEqual([]);
    expect(certificates).toHaveLength(1);
  });

  it('reports the facts of the demo CA', () => {
    const content = pem('demo-ca');
    const [certificate] = checkClientCaList([{ name: 'demo', content }], NOW).certificates;
    expect(certificate).toEqual({
      name: 'demo',
      content,
      issuer: 'C=CN, O=P2C VPN Demo, CN=P2C VPN Demo Client CA',
      subject: 'C=CN, O=P2C VPN Demo, CN=P2C VPN Demo Client CA',
      serial_number: BigInt('0x5A17C0DE0001').toString(),
      expiration_time: '2125-01-01T00:00:00Z',
      signature_algorithm: 'sha256WithRSAEncryption',
      fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
  });

  it('names an EC signature algorithm', () => {
    const [certificate] = checkOne(pem('ec-p384-ca')).certificates;
    expect(certificate?.signature_algorithm).toBe('ecdsa-with-SHA384');
  });

  it('accepts surrounding whitespace and CRLF line ends', () => {
    const content = `\r\n  ${pem('demo-ca').replace(/\n/g, '\r\n')}\n\n`;
    const [certificate] = checkOne(content).certificates;
    expect(certificate?.content).toBe(content);
  });

  it('accepts the block on one line, as the reference page writes it', () => {
    const oneLine = pem('demo-ca').replace(/\n/g, '');
    expect(checkOne(oneLine).certificates).toHaveLength(1);
  });

  it(`accepts exactly ${MAX_CERTIFICATE_BYTES} bytes`, () => {
    const content = pem('demo-ca').padEnd(MAX_CERTIFICATE_BYTES, ' ');
    expect(checkOne(content).certificates).toHaveLength(1);
  });

  it('accepts a certificate on the last second of its validity and on its first', () => {
    expect(checkOne(pem('demo-ca'), new Date('2125-01-01T00:00:00Z')).certificates).toHaveLength(1);
    expect(checkOne(pem('demo-ca'), new Date('2024-01-01T00:00:00Z')).certificates).toHaveLength(1);
  });

  it('accepts an empty list', () => {
    expect(checkClientCaList([], NOW)).toEqual({ certificates: [], problems: [] });
  });
});

describe('checkClientCaList: format (VPN.0074)', () => {
  const cases: Array<[string, () => string]> = [
    ['empty content', () => ''],
    ['text without a PEM block', () => 'not a certificate'],
    ['base64 without the PEM armour', () => base64Of(pem('demo-ca'))],
    ['a private key', () => pem('private-key')],
    ['a certificate followed by its key', () => pem('demo-ca') + pem('private-key')],
    ['two certificates', () => pem('demo-ca') + pem('ec-p256-ca')],
    ['a BEGIN line without END', () => pem('demo-ca').replace('-----END CERTIFICATE-----', '')],
    ['text before the block', () => `my CA\n${pem('demo-ca')}`],
    ['text after the block', () => `${pem('demo-ca')}that was my CA`],
    ['a second END line', () => `${pem('demo-ca')}-----END CERTIFICATE-----\n`],
    ['more than 16 KiB', () => pem('demo-ca').padEnd(MAX_CERTIFICATE_BYTES + 1, ' ')],
  ];

  it.each(cases)('rejects %s', (_, content) => {
    const error = rejectionOf(content());
    expect(error.code).toBe('VPN.0074');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^vpn_server\.client_ca_certificates\[0\]\.content: /);
  });

  it('counts the blocks it found', () => {
    expect(rejectionOf(pem('demo-ca') + pem('ec-p256-ca')).message).toContain('2 PEM blocks found');
    expect(rejectionOf(pem('demo-ca') + pem('private-key')).message).toContain('2 PEM blocks found');
  });

  it('says which block type it found', () => {
    expect(rejectionOf(pem('private-key')).message).toContain('PRIVATE KEY, not a CERTIFICATE');
  });

  it('does not repeat a block label that does not look like one', () => {
    const label = 'CERT<img src=x>';
    const error = rejectionOf(`-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----`);
    expect(error.code).toBe('VPN.0074');
    expect(error.message).not.toContain('<img');
  });

  it('counts bytes, not characters', () => {
    // 2 bytes per character in UTF-8: under the limit in characters, over it in bytes.
    const content = pem('demo-ca') + 'é'.repeat((MAX_CERTIFICATE_BYTES - pem('demo-ca').length) / 2 + 1);
    expect(content.length).toBeLessThanOrEqual(MAX_CERTIFICATE_BYTES);
    expect(rejectionOf(content).code).toBe('VPN.0074');
  });
});

describe('checkClientCaList: content (VPN.0075)', () => {
  const armour = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
  const demoDer = () => Buffer.from(base64Of(pem('demo-ca')), 'base64');

  it.each<[string, () => string]>([
    ['base64 that is not a certificate', () => pem('garbage')],
    ['an empty block', () => armour('')],
    ['characters outside base64', () => armour('MIIB*****')],
    ['broken base64 padding', () => armour('MIIBx')],
    ['a truncated certificate', () => armour(demoDer().subarray(0, 200).toString('base64'))],
    ['a certificate with trailing bytes', () => armour(Buffer.concat([demoDer(), Buffer.from([0, 0])]).toString('base64'))],
  ])('rejects %s', (_, content) => {
    const error = rejectionOf(content());
    expect(error.code).toBe('VPN.0075');
    expect(error.message).toMatch(/^vpn_server\.client_ca_certificates\[0\]\.content: /);
  });
});

describe('checkClientCaList: key (VPN.0070)', () => {
  it.each([
    ['rsa1024-ca', 'RSA 1024 bits'],
    ['ec-p521-ca', 'EC secp521r1'],
    ['ed25519-ca', 'ed25519'],
    ['dsa-ca', 'dsa'],
  ])('rejects %s', (name, described) => {
    const error = rejectionOf(pem(name));
    expect(error.code).toBe('VPN.0070');
    expect(error.message).toContain(`the key is ${described}`);
  });
});

describe('checkClientCaList: signature (VPN.0071)', () => {
  it.each([
    ['sha1-ca', 'sha1WithRSAEncryption (SHA-1)'],
    ['md5-ca', 'md5WithRSAEncryption (MD5)'],
    // The PSS OID says nothing about the hash: this one only fails when the parameters are read.
    ['rsa-pss-sha1-ca', 'rsassaPss (SHA-1)'],
  ])('rejects %s', (name, described) => {
    const error = rejectionOf(pem(name));
    expect(error.code).toBe('VPN.0071');
    expect(error.message).toContain(`signed with ${described}`);
  });
});

describe('checkClientCaList: validity (VPN.0072, VPN.0073)', () => {
  it('rejects an expired certificate', () => {
    const error = rejectionOf(pem('expired-ca'));
    expect(error.code).toBe('VPN.0072');
    expect(error.message).toBe(
      'vpn_server.client_ca_certificates[0].content: the certificate expired at 2001-01-01T00:00:00Z',
    );
  });

  it('rejects a certificate one second after it expires', () => {
    expect(rejectionOf(pem('demo-ca'), new Date('2125-01-01T00:00:01Z')).code).toBe('VPN.0072');
  });

  it('rejects a certificate that is not valid yet', () => {
    const error = rejectionOf(pem('not-yet-valid-ca'));
    expect(error.code).toBe('VPN.0073');
    expect(error.message).toBe(
      'vpn_server.client_ca_certificates[0].content: the certificate is not valid before 2090-01-01T00:00:00Z',
    );
  });

  it('rejects a certificate one second before it becomes valid', () => {
    expect(rejectionOf(pem('demo-ca'), new Date('2023-12-31T23:59:59Z')).code).toBe('VPN.0073');
  });

  it('checks validity against each call\'s time, though a warm function analyses a content once', () => {
    const content = pem('demo-ca');
    expect(rejectionOf(content, new Date('2023-12-31T23:59:59Z')).code).toBe('VPN.0073');
    expect(checkOne(content, NOW).certificates).toHaveLength(1);
    expect(rejectionOf(content, new Date('2125-01-01T00:00:01Z')).code).toBe('VPN.0072');
  });

  it('names the field of each call, though the same rejected content was analysed before', () => {
    const content = pem('expired-ca');
    expect(rejectionOf(content).message).toMatch(/^vpn_server\.client_ca_certificates\[0\]\.content: /);
    const second = errorOf(() => checkClientCaList([{ content: pem('demo-ca') }, { content }], NOW));
    expect(second.message).toMatch(/^vpn_server\.client_ca_certificates\[1\]\.content: the certificate expired/);
  });
});

describe('checkClientCaList: CA (VPN.0076)', () => {
  it.each(['not-ca', 'server-cert'])('rejects %s', (name) => {
    const error = rejectionOf(pem(name));
    expect(error.code).toBe('VPN.0076');
    expect(error.message).toContain('basicConstraints CA:TRUE');
  });
});

describe('checkClientCaList: order', () => {
  it('checks expiry before the CA flag', () => {
    expect(rejectionOf(pem('expired-server-cert')).code).toBe('VPN.0072');
  });

  it('reports the first failing certificate by index, naming its path', () => {
    const entries: ClientCaInput[] = [
      { content: pem('demo-ca') },
      { name: 'weak', content: pem('sha1-ca') },
      { content: pem('rsa1024-ca') },
    ];
    const error = errorOf(() => checkClientCaList(entries, NOW));
    expect(error.code).toBe('VPN.0071');
    expect(error.message).toMatch(/^vpn_server\.client_ca_certificates\[1\]\.content: /);
  });

  it('throws a certificate error rather than return duplicate problems', () => {
    const entries = [{ content: pem('demo-ca') }, { content: pem('demo-ca') }, { content: pem('expired-ca') }];
    expect(errorOf(() => checkClientCaList(entries, NOW)).code).toBe('VPN.0072');
  });
});

describe('checkClientCaList: names', () => {
  it('keeps given names and generates the missing ones', () => {
    const { certificates } = checkClientCaList(
      [{ name: 'client_ca_8sux3d', content: pem('demo-ca') }, { content: pem('ec-p256-ca') }, { name: '', content: pem('ec-p384-ca') }],
      NOW,
    );
    const [given, absent, empty] = certificates.map((certificate) => certificate.name);
    expect(given).toBe('client_ca_8sux3d');
    expect(absent).toMatch(/^client_ca_[a-z0-9]{6}$/);
    expect(empty).toMatch(/^client_ca_[a-z0-9]{6}$/);
    expect(absent).not.toBe(empty);
    for (const name of [absent, empty]) expect(name).toMatch(CLIENT_CA_NAME_PATTERN);
  });

  it('draws every generated character from the 36 letters and digits', () => {
    checkOne(pem('demo-ca'));
    expect(mockedRandomInt.mock.calls).toEqual(Array.from({ length: 6 }, () => [36]));
  });

  it('never generates a name given elsewhere in the request, nor one generated before', () => {
    const draws = (index: number) => Array.from({ length: 6 }, () => index);
    // 0 is 'a', 1 is 'b', 2 is 'c' in the alphabet.
    for (const value of [...draws(0), ...draws(0), ...draws(1), ...draws(1), ...draws(2)]) {
      mockedRandomInt.mockReturnValueOnce(value);
    }
    const { certificates, problems } = checkClientCaList(
      [{ content: pem('demo-ca') }, { content: pem('ec-p256-ca') }, { name: 'client_ca_aaaaaa', content: pem('ec-p384-ca') }],
      NOW,
    );
    expect(problems).toEqual([]);
    expect(certificates.map((certificate) => certificate.name)).toEqual([
      'client_ca_bbbbbb',
      'client_ca_cccccc',
      'client_ca_aaaaaa',
    ]);
  });

  it('exports the name pattern of the contract', () => {
    for (const name of ['a', 'client_ca_8sux3d', 'CA-1_x', 'x'.repeat(64)]) expect(name).toMatch(CLIENT_CA_NAME_PATTERN);
    for (const name of ['', 'x'.repeat(65), 'with space', 'dot.ted', 'ca/1', 'é']) expect(name).not.toMatch(CLIENT_CA_NAME_PATTERN);
  });
});

describe('checkClientCaList: duplicates (VPN.0001 problems)', () => {
  it('reports the same certificate under two names, naming both indexes', () => {
    const { certificates, problems } = checkClientCaList(
      [{ name: 'one', content: pem('demo-ca') }, { name: 'other', content: pem('ec-p256-ca') }, { name: 'two', content: pem('demo-ca') }],
      NOW,
    );
    expect(certificates).toHaveLength(3);
    expect(problems).toEqual([
      'vpn_server.client_ca_certificates[2].content: the same certificate as vpn_server.client_ca_certificates[0].content',
    ]);
  });

  it('sees the same certificate through different PEM whitespace', () => {
    const oneLine = pem('demo-ca').replace(/\n/g, '');
    const { problems } = checkClientCaList([{ content: pem('demo-ca') }, { content: oneLine }], NOW);
    expect(problems).toHaveLength(1);
  });

  it('reports one name given twice, naming both indexes', () => {
    const { problems } = checkClientCaList(
      [{ name: 'ca', content: pem('demo-ca') }, { content: pem('ec-p256-ca') }, { name: 'ca', content: pem('ec-p384-ca') }],
      NOW,
    );
    expect(problems).toEqual([
      'vpn_server.client_ca_certificates[2].name: "ca" is already the name of vpn_server.client_ca_certificates[0]',
    ]);
  });

  it('treats names that differ in case as different', () => {
    const { problems } = checkClientCaList(
      [{ name: 'ca', content: pem('demo-ca') }, { name: 'CA', content: pem('ec-p256-ca') }],
      NOW,
    );
    expect(problems).toEqual([]);
  });
});

describe('describeServerCertificate', () => {
  it('reports the facts of the demo server certificate', () => {
    expect(describeServerCertificate(SERVER_CERT_ID, pem('server-cert'), NOW)).toEqual({
      issuer: 'C=CN, O=P2C VPN Demo, CN=P2C VPN Demo Client CA',
      subject: 'C=CN, O=P2C VPN Demo, CN=vpn.p2c-demo.example.com',
      serial_number: BigInt('0x5A17C0DE0002').toString(),
      expiration_time: '2124-01-01T00:00:00Z',
      signature_algorithm: 'sha256WithRSAEncryption',
      fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
    });
  });

  it('rejects an expired server certificate with VPN.0072, naming the id', () => {
    const error = errorOf(() => describeServerCertificate('scs1716171400001', pem('expired-server-cert'), NOW));
    expect(error.code).toBe('VPN.0072');
    expect(error.message).toBe(
      'vpn_server.server_certificate.id: certificate scs1716171400001 expired at 2001-01-01T00:00:00Z',
    );
  });

  it('does not apply the client CA rules to the server certificate', () => {
    expect(() => describeServerCertificate(SERVER_CERT_ID, pem('not-ca'), NOW)).not.toThrow();
  });

  it('rejects stored content that is not a certificate, naming the id', () => {
    const error = errorOf(() => describeServerCertificate(SERVER_CERT_ID, pem('garbage'), NOW));
    expect(error.code).toBe('VPN.0075');
    expect(error.message).toMatch(/^vpn_server\.server_certificate\.id: certificate scs1716171403922 /);
  });
});

describe('messages', () => {
  const inputs = [
    'garbage',
    'private-key',
    'rsa1024-ca',
    'ec-p521-ca',
    'ed25519-ca',
    'dsa-ca',
    'sha1-ca',
    'md5-ca',
    'rsa-pss-sha1-ca',
    'expired-ca',
    'not-yet-valid-ca',
    'not-ca',
  ].map((name) => pem(name));
  inputs.push(pem('demo-ca') + pem('private-key'), pem('demo-ca').padEnd(MAX_CERTIFICATE_BYTES + 1, ' '));

  it('never contain the certificate body', () => {
    for (const content of inputs) {
      const error = rejectionOf(content);
      expect(bodyLines(content).length).toBeGreaterThan(0);
      for (const line of bodyLines(content)) expect(error.message).not.toContain(line.slice(0, 16));
    }
    const duplicate = checkClientCaList([{ content: pem('demo-ca') }, { content: pem('demo-ca') }], NOW);
    for (const line of bodyLines(pem('demo-ca'))) expect(duplicate.problems.join()).not.toContain(line.slice(0, 16));
  });

  it('never contain the server certificate body', () => {
    const error = errorOf(() => describeServerCertificate('scs1716171400001', pem('expired-server-cert'), NOW));
    for (const line of bodyLines(pem('expired-server-cert'))) expect(error.message).not.toContain(line.slice(0, 16));
  });
});

describe('toUtcSeconds', () => {
  it('formats UTC to the second without milliseconds', () => {
    expect(toUtcSeconds(new Date('2026-11-25T18:00:00.999Z'))).toBe('2026-11-25T18:00:00Z');
    expect(toUtcSeconds(new Date(Date.UTC(2001, 0, 1)))).toBe('2001-01-01T00:00:00Z');
  });
});

describe('shipped data', () => {
  interface Seed {
    certificates: Array<{ project_id: string; id: string; content: string }>;
  }
  const seed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'lib', 'local', 'demo-seed.json'), 'utf8')) as Seed;
  const example = JSON.parse(readFileSync(join(fixtures, 'examples', 'create-server-cert-auth.json'), 'utf8')) as {
    vpn_server: { client_ca_certificates: ClientCaInput[] };
  };

  it('seeds the demo server certificate under its id', () => {
    const stored = seed.certificates.find((certificate) => certificate.id === SERVER_CERT_ID);
    expect(stored?.content).toBe(pem('server-cert'));
    expect(() => describeServerCertificate(SERVER_CERT_ID, stored?.content ?? '', new Date())).not.toThrow();
  });

  it('carries the demo CA in the certificate-authentication example, which passes the checks today', () => {
    const entries = example.vpn_server.client_ca_certificates;
    expect(entries).toEqual([{ name: 'client_ca_8sux3d', content: pem('demo-ca') }]);
    expect(checkClientCaList(entries, new Date()).problems).toEqual([]);
  });
});
