import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOrThrow } from '../../lib/core/issues';
import { MAX_PAGE_LIMIT } from '../../lib/core/limits';
import {
  createVpnServerBodySchema,
  normaliseVpnServerRequest,
  parseCreateVpnServer,
  createFingerprint,
  type CreateVpnServerCommand,
} from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseListVpnServers } from '../../lib/vpn-servers/schemas/list-vpn-servers';
import { ServiceError } from '../../lib/core/errors';

const PROJECT = '0123456789abcdef0123456789abcdef';
const GATEWAY = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const OTHER_GATEWAY = '7f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const TOKEN = '0b6a9a52-36a1-4bd2-9d3b-6d7c1a2b3c4d';
const CA_CONTENT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const example = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'examples', name), 'utf8'));

/** A minimal valid body; every test changes one thing. */
function body(): Record<string, any> {
  return {
    vpn_server: {
      client_cidr: '172.16.0.0/24',
      local_subnets: ['10.0.0.0/24'],
      server_certificate: { id: 'scs1716171403922' },
      ssl_options: {},
    },
  };
}

function withServer(change: (server: Record<string, any>) => void): Record<string, any> {
  const b = body();
  change(b.vpn_server);
  return b;
}

function create(input: { body: unknown; projectId?: unknown; gatewayId?: unknown; clientToken?: unknown }): CreateVpnServerCommand {
  return parseCreateVpnServer({
    projectId: 'projectId' in input ? input.projectId : PROJECT,
    gatewayId: 'gatewayId' in input ? input.gatewayId : GATEWAY,
    ...('clientToken' in input ? { clientToken: input.clientToken } : {}),
    clientTokenField: 'X-Client-Token',
    body: input.body,
  });
}

/** The ServiceError thrown by `call`; fails the test when nothing (or something else) is thrown. */
function thrown(call: () => unknown): ServiceError {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected an error, none was thrown');
  expect(caught).toBeInstanceOf(ServiceError);
  const error = caught as ServiceError;
  expect(error.code).toBe('VPN.0001');
  expect(error.status).toBe(400);
  expect(error.message.startsWith('invalid request: ')).toBe(true);
  return error;
}

const rejectMessage = (b: unknown, extra: Omit<Parameters<typeof create>[0], 'body'> = {}) =>
  thrown(() => create({ ...extra, body: b })).message;

const fingerprintOf = (b: unknown, gatewayId = GATEWAY) => {
  const command = create({ body: b, gatewayId });
  return createFingerprint(command.gatewayId, command.server);
};

describe('the reference page examples', () => {
  test('the LOCAL_PASSWORD example parses, with the client CIDR normalised to its network', () => {
    const command = create({ body: example('create-server-password-auth.json') });
    expect(command).toEqual({
      projectId: PROJECT,
      gatewayId: GATEWAY,
      server: {
        tunnel_protocol: 'SSL',
        client_cidr: '172.16.0.0/24',
        local_subnets: ['10.16.0.0/24', '10.16.1.0/24'],
        client_auth_type: 'LOCAL_PASSWORD',
        server_certificate: { id: 'scs1716171403922' },
        client_ca_certificates: [],
        ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
        dns_servers: [],
      },
    });
  });

  test('the CERT example parses and keeps its client CA name and content', () => {
    const raw = example('create-server-cert-auth.json');
    const command = create({ body: raw });
    expect(command.server.client_auth_type).toBe('CERT');
    expect(command.server.client_cidr).toBe('172.16.0.0/24');
    expect(command.server.client_ca_certificates).toEqual([
      { name: 'client_ca_8sux3d', content: raw.vpn_server.client_ca_certificates[0].content },
    ]);
  });

  test('parseOrThrow(createVpnServerBodySchema) accepts both examples as sent', () => {
    for (const name of ['create-server-password-auth.json', 'create-server-cert-auth.json']) {
      const raw = example(name);
      expect(parseOrThrow(createVpnServerBodySchema, raw)).toEqual(raw);
    }
  });
});

describe('defaults and normalisation', () => {
  test('omitted optional fields get their defaults', () => {
    const { server } = create({ body: body() });
    expect(server.tunnel_protocol).toBe('SSL');
    expect(server.client_auth_type).toBe('LOCAL_PASSWORD');
    expect(server.client_ca_certificates).toEqual([]);
    expect(server.ssl_options).toEqual({ protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false });
  });

  test('optional fields sent as null count as absent', () => {
    const b = withServer((s) => {
      s.tunnel_protocol = null;
      s.client_auth_type = null;
      s.client_ca_certificates = null;
      s.ssl_options = { protocol: null, port: null, encryption_algorithm: null, is_compressed: null };
    });
    expect(create({ body: b }).server).toEqual(create({ body: body() }).server);
  });

  test('explicit non-default values are kept', () => {
    const { server } = create({
      body: withServer((s) => {
        s.ssl_options = { port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: true };
      }),
    });
    expect(server.ssl_options).toEqual({ protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: true });
  });

  test('client_cidr and every local subnet are normalised to their network, in the order sent', () => {
    const { server } = create({
      body: withServer((s) => {
        s.client_cidr = '172.16.0.1/24';
        s.local_subnets = ['10.1.2.3/16', '192.168.7.9/24', '10.0.0.0/8'];
      }),
    });
    expect(server.client_cidr).toBe('172.16.0.0/24');
    expect(server.local_subnets).toEqual(['10.1.0.0/16', '192.168.7.0/24', '10.0.0.0/8']);
  });

  test('a client CA with an empty or null name is left without one (to be generated)', () => {
    const { server } = create({
      body: withServer((s) => {
        s.client_auth_type = 'CERT';
        s.client_ca_certificates = [{ name: '', content: CA_CONTENT }, { name: null, content: CA_CONTENT }, { content: CA_CONTENT }];
      }),
    });
    expect(server.client_ca_certificates).toEqual([{ content: CA_CONTENT }, { content: CA_CONTENT }, { content: CA_CONTENT }]);
  });

  test('normaliseVpnServerRequest fills defaults without a schema pass', () => {
    const normalised = normaliseVpnServerRequest({
      client_cidr: '10.9.8.7/8',
      local_subnets: ['192.168.1.1/24'],
      server_certificate: { id: 'c' },
      ssl_options: { port: 1194 },
    });
    expect(normalised.client_cidr).toBe('10.0.0.0/8');
    expect(normalised.local_subnets).toEqual(['192.168.1.0/24']);
    expect(normalised.ssl_options).toEqual({ protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-128-GCM', is_compressed: false });
    expect(normalised.client_auth_type).toBe('LOCAL_PASSWORD');
    expect(normalised.tunnel_protocol).toBe('SSL');
  });
});

describe('strict types and enums', () => {
  test.each([
    ['the string "443" as port', (s: any) => (s.ssl_options.port = '443'), 'vpn_server.ssl_options.port'],
    ['port 8443', (s: any) => (s.ssl_options.port = 8443), 'vpn_server.ssl_options.port'],
    ['port 443.5', (s: any) => (s.ssl_options.port = 443.5), 'vpn_server.ssl_options.port'],
    ['the string "false" as is_compressed', (s: any) => (s.ssl_options.is_compressed = 'false'), 'vpn_server.ssl_options.is_compressed'],
    ['0 as is_compressed', (s: any) => (s.ssl_options.is_compressed = 0), 'vpn_server.ssl_options.is_compressed'],
    ['lowercase "ssl"', (s: any) => (s.tunnel_protocol = 'ssl'), 'vpn_server.tunnel_protocol'],
    ['"UDP" protocol', (s: any) => (s.ssl_options.protocol = 'UDP'), 'vpn_server.ssl_options.protocol'],
    ['lowercase "tcp"', (s: any) => (s.ssl_options.protocol = 'tcp'), 'vpn_server.ssl_options.protocol'],
    ['lowercase "cert"', (s: any) => (s.client_auth_type = 'cert'), 'vpn_server.client_auth_type'],
    ['lowercase "aes-128-gcm"', (s: any) => (s.ssl_options.encryption_algorithm = 'aes-128-gcm'), 'vpn_server.ssl_options.encryption_algorithm'],
    ['"AES-192-GCM"', (s: any) => (s.ssl_options.encryption_algorithm = 'AES-192-GCM'), 'vpn_server.ssl_options.encryption_algorithm'],
    ['a number as client_cidr', (s: any) => (s.client_cidr = 10), 'vpn_server.client_cidr'],
    ['a string as local_subnets', (s: any) => (s.local_subnets = '10.0.0.0/24'), 'vpn_server.local_subnets'],
    ['a string as server_certificate', (s: any) => (s.server_certificate = 'scs1'), 'vpn_server.server_certificate'],
    ['an array as ssl_options', (s: any) => (s.ssl_options = []), 'vpn_server.ssl_options'],
    ['a bad server certificate id', (s: any) => (s.server_certificate = { id: 'a b' }), 'vpn_server.server_certificate.id'],
    ['a leading-zero client_cidr', (s: any) => (s.client_cidr = '010.0.0.0/8'), 'vpn_server.client_cidr'],
    ['an IPv6 client_cidr', (s: any) => (s.client_cidr = 'fd00::/64'), 'vpn_server.client_cidr'],
  ])('rejects %s, naming the field', (_label, change, path) => {
    expect(rejectMessage(withServer(change))).toContain(`${path}: `);
  });

  test('the error for "443" says what the port must be', () => {
    expect(rejectMessage(withServer((s) => (s.ssl_options.port = '443')))).toContain('vpn_server.ssl_options.port: must be one of 443, 1194');
  });

  test('a wrong-typed value that was sent is not reported as missing', () => {
    // "false" was sent: the caller must learn it has the wrong type, not that it is absent
    const message = rejectMessage(withServer((s) => (s.ssl_options.is_compressed = 'false')));
    expect(message).toContain('vpn_server.ssl_options.is_compressed: must be a boolean');
    expect(message).not.toContain('is required');
  });

  test('a string sent as local_subnets is reported as "must be an array"', () => {
    expect(rejectMessage(withServer((s) => (s.local_subnets = '10.0.0.0/24')))).toContain('vpn_server.local_subnets: must be an array');
  });
});

describe('unknown fields', () => {
  test.each([
    ['top level', (b: any) => (b.foo = 1), 'foo: unknown field'],
    ['vpn_server', (b: any) => (b.vpn_server.foo = 1), 'vpn_server.foo: unknown field'],
    ['ssl_options', (b: any) => (b.vpn_server.ssl_options.foo = 1), 'vpn_server.ssl_options.foo: unknown field'],
    ['server_certificate', (b: any) => (b.vpn_server.server_certificate.name = 'x'), 'vpn_server.server_certificate.name: unknown field'],
    [
      'client_ca_certificates[i]',
      (b: any) => {
        b.vpn_server.client_auth_type = 'CERT';
        b.vpn_server.client_ca_certificates = [{ content: CA_CONTENT }, { content: CA_CONTENT, foo: 1 }];
      },
      'vpn_server.client_ca_certificates[1].foo: unknown field',
    ],
  ])('an unknown field in %s is rejected by path', (_where, change, expected) => {
    const b = body();
    change(b);
    expect(rejectMessage(b)).toContain(expected);
  });

  test('an unknown field sent as null is still unknown', () => {
    expect(rejectMessage(withServer((s) => (s.extra = null)))).toContain('vpn_server.extra: unknown field');
  });
});

describe('CIDR path naming and collecting every problem', () => {
  test('a bad local subnet is named by its index', () => {
    const message = rejectMessage(
      withServer((s) => (s.local_subnets = ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/33'])),
    );
    expect(message).toContain('vpn_server.local_subnets[3]: ');
    expect(message).not.toContain('vpn_server.local_subnets[0]');
    expect(message).not.toContain('vpn_server.local_subnets[2]');
  });

  test('several problems in one request are all named in one message', () => {
    const b = withServer((s) => {
      s.client_cidr = '10.0.0.0/08';
      s.local_subnets = ['10.0.0.0/24', '1.2.3'];
      s.ssl_options = { port: '443', foo: 1 };
      s.client_auth_type = 'CERT';
      s.bar = true;
    });
    const message = rejectMessage(b);
    for (const path of [
      'vpn_server.client_cidr: ',
      'vpn_server.local_subnets[1]: ',
      'vpn_server.ssl_options.port: ',
      'vpn_server.ssl_options.foo: unknown field',
      'vpn_server.client_ca_certificates: ',
      'vpn_server.bar: unknown field',
    ]) {
      expect(message).toContain(path);
    }
    expect(message.split('; ')).toHaveLength(6);
  });
});

describe('counts', () => {
  const subnets = (n: number) => Array.from({ length: n }, (_, i) => `10.${i}.0.0/24`);

  test('local_subnets with 0 entries is rejected', () => {
    expect(rejectMessage(withServer((s) => (s.local_subnets = [])))).toContain('vpn_server.local_subnets: must have at least 1 entries');
  });

  test('local_subnets with 21 entries is rejected, 20 are fine', () => {
    expect(rejectMessage(withServer((s) => (s.local_subnets = subnets(21))))).toContain(
      'vpn_server.local_subnets: must have at most 20 entries',
    );
    expect(create({ body: withServer((s) => (s.local_subnets = subnets(20))) }).server.local_subnets).toHaveLength(20);
  });

  const cas = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `ca_${i}`, content: CA_CONTENT }));

  test.each([
    ['absent', undefined],
    ['null', null],
    ['empty', []],
  ])('CERT with client CAs %s is rejected', (_label, value) => {
    const message = rejectMessage(
      withServer((s) => {
        s.client_auth_type = 'CERT';
        if (value !== undefined) s.client_ca_certificates = value;
      }),
    );
    expect(message).toContain('vpn_server.client_ca_certificates: ');
  });

  test('CERT with 1 and 10 client CAs is fine, 11 are rejected', () => {
    for (const n of [1, 10]) {
      const command = create({ body: withServer((s) => ((s.client_auth_type = 'CERT'), (s.client_ca_certificates = cas(n)))) });
      expect(command.server.client_ca_certificates).toHaveLength(n);
    }
    expect(rejectMessage(withServer((s) => ((s.client_auth_type = 'CERT'), (s.client_ca_certificates = cas(11)))))).toContain(
      'vpn_server.client_ca_certificates: ',
    );
  });

  test('LOCAL_PASSWORD (explicit or default) with a non-empty client CA list is rejected', () => {
    for (const auth of ['LOCAL_PASSWORD', undefined, null]) {
      const message = rejectMessage(
        withServer((s) => {
          if (auth !== undefined) s.client_auth_type = auth;
          s.client_ca_certificates = cas(1);
        }),
      );
      expect(message).toContain('vpn_server.client_ca_certificates: must be absent or empty when client_auth_type is LOCAL_PASSWORD');
    }
  });

  test('LOCAL_PASSWORD with [] or null client CAs is fine', () => {
    for (const value of [[], null]) {
      const command = create({
        body: withServer((s) => ((s.client_auth_type = 'LOCAL_PASSWORD'), (s.client_ca_certificates = value))),
      });
      expect(command.server.client_ca_certificates).toEqual([]);
    }
  });

  test('a client CA with empty content or a bad name is rejected by index', () => {
    const message = rejectMessage(
      withServer((s) => {
        s.client_auth_type = 'CERT';
        s.client_ca_certificates = [{ content: '' }, { name: 'bad name!', content: CA_CONTENT }, { name: 'ok' }];
      }),
    );
    expect(message).toContain('vpn_server.client_ca_certificates[0].content: must not be empty');
    expect(message).toContain('vpn_server.client_ca_certificates[1].name: ');
    expect(message).toContain('vpn_server.client_ca_certificates[2].content: is required');
  });
});

describe('required fields and the body shape', () => {
  test.each(['client_cidr', 'local_subnets', 'server_certificate', 'ssl_options'])('missing %s says "is required"', (field) => {
    expect(rejectMessage(withServer((s) => delete s[field]))).toContain(`vpn_server.${field}: is required`);
  });

  test.each(['client_cidr', 'local_subnets', 'server_certificate', 'ssl_options'])('a null %s says "is required"', (field) => {
    expect(rejectMessage(withServer((s) => (s[field] = null)))).toContain(`vpn_server.${field}: is required`);
  });

  test('missing server_certificate.id says "is required"', () => {
    expect(rejectMessage(withServer((s) => (s.server_certificate = {})))).toContain('vpn_server.server_certificate.id: is required');
  });

  test('a body without vpn_server says "vpn_server: is required"', () => {
    expect(rejectMessage({})).toContain('vpn_server: is required');
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
  ])('a %s body is rejected', (_label, value) => {
    expect(rejectMessage(value)).toBe('invalid request: body: is required');
  });

  test.each([
    ['a string', 'vpn_server'],
    ['a number', 42],
    ['an array', [body()]],
    ['true', true],
  ])('a body that is %s is rejected as not an object', (_label, value) => {
    expect(rejectMessage(value)).toBe('invalid request: body: must be an object');
  });

  test('vpn_server that is not an object is rejected as such', () => {
    expect(rejectMessage({ vpn_server: 'x' })).toBe('invalid request: vpn_server: must be an object');
  });
});

describe('X-Client-Token, project_id and p2c_vgw_id', () => {
  test.each([
    ['not a UUID', 'not-a-uuid'],
    ['a UUID without dashes', '0b6a9a5236a14bd29d3b6d7c1a2b3c4d'],
    ['a UUID in braces', `{${TOKEN}}`],
    ['a UUID with whitespace', ` ${TOKEN}`],
    ['empty', ''],
  ])('a token that is %s is rejected, naming X-Client-Token', (_label, token) => {
    expect(rejectMessage(body(), { clientToken: token })).toContain('X-Client-Token: must be a 36-character UUID');
  });

  test('a token that is not a string is rejected, naming X-Client-Token', () => {
    expect(rejectMessage(body(), { clientToken: 12345 })).toMatch(/^invalid request: X-Client-Token: /);
  });

  test('the token field is named as the adapter calls it', () => {
    const error = thrown(() =>
      parseCreateVpnServer({ projectId: PROJECT, gatewayId: GATEWAY, clientToken: 'x', clientTokenField: 'client_token', body: body() }),
    );
    expect(error.message).toContain('client_token: ');
    expect(error.message).not.toContain('X-Client-Token');
  });

  test('an upper-case UUID token and gateway id are accepted and lowercased', () => {
    const command = create({ body: body(), clientToken: TOKEN.toUpperCase(), gatewayId: GATEWAY.toUpperCase() });
    expect(command.clientToken).toBe(TOKEN);
    expect(command.gatewayId).toBe(GATEWAY);
  });

  test('no token: the command has no clientToken', () => {
    expect(create({ body: body() })).not.toHaveProperty('clientToken');
  });

  test.each([
    ['upper-case hex', PROJECT.toUpperCase()],
    ['31 characters', PROJECT.slice(1)],
    ['33 characters', `${PROJECT}0`],
    ['non-hex', `${PROJECT.slice(1)}g`],
    ['a UUID', GATEWAY],
    ['empty', ''],
  ])('a project_id that is %s is rejected', (_label, projectId) => {
    expect(rejectMessage(body(), { projectId })).toContain('project_id: must be 32 lowercase hexadecimal characters');
  });

  test.each([
    ['not a UUID', 'gw-1'],
    ['too short', GATEWAY.slice(1)],
    ['empty', ''],
  ])('a p2c_vgw_id that is %s is rejected', (_label, gatewayId) => {
    expect(rejectMessage(body(), { gatewayId })).toContain('p2c_vgw_id: must be a 36-character UUID');
  });
});

describe('createFingerprint', () => {
  test('explicit defaults and omitted defaults have the same fingerprint', () => {
    const explicit = withServer((s) => {
      s.tunnel_protocol = 'SSL';
      s.client_auth_type = 'LOCAL_PASSWORD';
      s.client_ca_certificates = [];
      s.ssl_options = { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false };
    });
    const nulls = withServer((s) => {
      s.client_ca_certificates = null;
      s.ssl_options = { port: null };
    });
    expect(fingerprintOf(explicit)).toBe(fingerprintOf(body()));
    expect(fingerprintOf(nulls)).toBe(fingerprintOf(body()));
  });

  test('CIDRs equal after normalisation have the same fingerprint', () => {
    const hostBits = withServer((s) => {
      s.client_cidr = '172.16.0.1/24';
      s.local_subnets = ['10.0.0.77/24'];
    });
    expect(fingerprintOf(hostBits)).toBe(fingerprintOf(body()));
  });

  test('upper- and lower-case gateway ids have the same fingerprint', () => {
    expect(fingerprintOf(body(), GATEWAY.toUpperCase())).toBe(fingerprintOf(body(), GATEWAY));
  });

  test('an empty client CA name and an absent one have the same fingerprint', () => {
    const cert = (name?: string) =>
      withServer((s) => {
        s.client_auth_type = 'CERT';
        s.client_ca_certificates = [name === undefined ? { content: CA_CONTENT } : { name, content: CA_CONTENT }];
      });
    expect(fingerprintOf(cert(''))).toBe(fingerprintOf(cert()));
    expect(fingerprintOf(cert('named'))).not.toBe(fingerprintOf(cert()));
  });

  test('the fingerprint is a sha256 hex digest and stable', () => {
    expect(fingerprintOf(body())).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(body())).toBe(fingerprintOf(body()));
  });

  test.each([
    ['another client_cidr', (s: any) => (s.client_cidr = '172.17.0.0/24')],
    ['another client_cidr prefix', (s: any) => (s.client_cidr = '172.16.0.0/23')],
    ['another local subnet', (s: any) => (s.local_subnets = ['10.0.1.0/24'])],
    ['an extra local subnet', (s: any) => (s.local_subnets = ['10.0.0.0/24', '10.0.1.0/24'])],
    ['another certificate', (s: any) => (s.server_certificate = { id: 'other' })],
    ['another port', (s: any) => (s.ssl_options = { port: 1194 })],
    ['another algorithm', (s: any) => (s.ssl_options = { encryption_algorithm: 'AES-256-GCM' })],
    ['compression on', (s: any) => (s.ssl_options = { is_compressed: true })],
  ])('%s changes the fingerprint', (_label, change) => {
    expect(fingerprintOf(withServer(change))).not.toBe(fingerprintOf(body()));
  });

  test('another gateway changes the fingerprint', () => {
    expect(fingerprintOf(body(), OTHER_GATEWAY)).not.toBe(fingerprintOf(body(), GATEWAY));
  });

  test('local subnet order is a difference', () => {
    const ab = withServer((s) => (s.local_subnets = ['10.0.0.0/24', '10.0.1.0/24']));
    const ba = withServer((s) => (s.local_subnets = ['10.0.1.0/24', '10.0.0.0/24']));
    expect(fingerprintOf(ab)).not.toBe(fingerprintOf(ba));
  });

  test('client auth type and client CA content are differences', () => {
    const cert = (content: string) =>
      withServer((s) => {
        s.client_auth_type = 'CERT';
        s.client_ca_certificates = [{ name: 'a', content }];
      });
    expect(fingerprintOf(cert(CA_CONTENT))).not.toBe(fingerprintOf(body()));
    expect(fingerprintOf(cert(CA_CONTENT))).not.toBe(fingerprintOf(cert(CA_CONTENT.replace('MIIB', 'MIIC'))));
  });
});

describe('parseListVpnServers', () => {
  test('limit defaults to 200', () => {
    expect(MAX_PAGE_LIMIT).toBe(200);
    expect(parseListVpnServers({ projectId: PROJECT })).toEqual({ projectId: PROJECT, limit: 200 });
  });

  test.each([
    ['1', 1],
    ['9', 9],
    ['10', 10],
    ['99', 99],
    ['100', 100],
    ['199', 199],
    ['200', 200],
  ])('limit %s is accepted as the number %d', (limit, expected) => {
    expect(parseListVpnServers({ projectId: PROJECT, limit }).limit).toBe(expected);
  });

  test.each(['0', '201', '1000', 'abc', '1.5', '01', '', '-1', ' 5', '1e2', '0x10'])('limit %p is rejected', (limit) => {
    expect(thrown(() => parseListVpnServers({ projectId: PROJECT, limit })).message).toBe(
      'invalid request: limit: must be an integer from 1 to 200',
    );
  });

  test.each([
    ['short', 'abc'],
    ['base64url alphabet', 'ZmZm_-09'],
    ['200 characters', 'x'.repeat(200)],
  ])('a %s marker is passed through', (_label, marker) => {
    expect(parseListVpnServers({ projectId: PROJECT, marker }).marker).toBe(marker);
  });

  test.each([
    ['empty', ''],
    ['space', 'a b'],
    ['plus', 'a+b'],
    ['slash', 'a/b'],
    ['padding', 'abc='],
    ['201 characters', 'x'.repeat(201)],
  ])('a marker with %s is rejected', (_label, marker) => {
    expect(thrown(() => parseListVpnServers({ projectId: PROJECT, marker })).message).toContain('marker: ');
  });

  test('a bad limit and a bad marker are named together', () => {
    const message = thrown(() => parseListVpnServers({ projectId: PROJECT, limit: '0', marker: '!' })).message;
    expect(message).toContain('limit: ');
    expect(message).toContain('marker: ');
  });

  test('the gateway id is validated and lowercased, and the project id validated', () => {
    expect(parseListVpnServers({ projectId: PROJECT, gatewayId: GATEWAY.toUpperCase() })).toEqual({
      projectId: PROJECT,
      gatewayId: GATEWAY,
      limit: 200,
    });
    expect(thrown(() => parseListVpnServers({ projectId: PROJECT, gatewayId: 'gw' })).message).toContain('p2c_vgw_id: ');
    expect(thrown(() => parseListVpnServers({ projectId: 'nope' })).message).toContain('project_id: ');
  });
});
