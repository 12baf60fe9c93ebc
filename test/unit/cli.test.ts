import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { verifyRequest, type SignableRequest } from '../../lib/auth/signing';
import { COMMANDS, commandsOf, kebabCase, usageOf, type ManifestEntry } from '../../lib/cli/commands';
import { DEMO_SEED_PATH, main, run } from '../../lib/cli/main';
import { CLI_MANIFEST_FILE, manifestEntryOf, renderCliManifest } from '../../lib/cli/manifest';
import { formatResponse } from '../../lib/cli/output';
import { parseCommand, UsageError, type Command } from '../../lib/cli/parse';
import { buildRequest, type HttpRequest } from '../../lib/cli/request';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { defineOperation } from '../../lib/operations/operation';
import { fakeCliIo, type SentCall } from '../support/cli-io';

const PROJECT = '0123456789abcdef0123456789abcdef';
const GATEWAY = 'b5a1e6f2-4c1d-4f8e-9a3b-7c2d1e0f9a8b';
const TOKEN = '2f0b7f3e-61a6-4d54-9c1e-8d1a0f7a4b11';
const AK = 'CLITESTACCESSKEY0001';
const SK = 'cli-test-secret-key-never-printed-0001';
const DEMO_AK = 'DEMOKEY';
const DEMO_SK = 'demo-secret-never-printed';
const NOW = new Date('2026-03-01T12:00:00Z');
const BODY = '{"vpn_server":{"client_cidr":"172.16.0.0/22","local_subnets":["10.0.0.0/16"],"ssl_options":{}}}';
const REQUEST_ID = 'a'.repeat(32);
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';

function command(argv: string[], env: Record<string, string> = {}): Command {
  const parsed = parseCommand(argv, env);
  if (!('operation' in parsed)) throw new Error('expected a command');
  return parsed;
}

/** The request as the server would see it, for verifyRequest. */
function asReceived(request: HttpRequest): SignableRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: request.headers,
    body: request.body ?? new Uint8Array(0),
  };
}

const lookup = async (accessKey: string) =>
  ({ [AK]: { secretKey: SK }, [DEMO_AK]: { secretKey: DEMO_SK } })[accessKey];

describe('parseCommand', () => {
  it.each([
    [[], 'no command given'],
    [['delete-vpn-server', '--project', PROJECT], 'unknown command delete-vpn-server'],
    [['list-vpn-servers', '--project', PROJECT, 'extra'], 'unexpected argument extra'],
    [['list-vpn-servers', '--project', PROJECT, '--verbose'], "Unknown option '--verbose'"],
    [['list-vpn-servers', '--project'], "Option '--project <value>' argument missing"],
    [['list-vpn-servers'], 'list-vpn-servers needs --project'],
    [['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY], 'create-vpn-server needs --file'],
    [['create-vpn-server', '--project', PROJECT, '--file', 'b.json'], 'create-vpn-server needs --gateway'],
    [['list-vpn-servers', '--project', PROJECT, '--file', 'b.json'], '--file does not apply to list-vpn-servers'],
    [['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'b', '--limit', '2'], '--limit does not apply'],
    [['list-vpn-servers', '--project', PROJECT, '--gateway', GATEWAY, '--limit', '2'], 'do not apply with --gateway'],
    [['list-vpn-servers', '--project', PROJECT, '--endpoint', 'not a url'], 'is not a URL'],
    [['list-vpn-servers', '--project', PROJECT, '--endpoint', 'ftp://host'], 'must be http or https'],
    [['list-vpn-servers', '--project', PROJECT, '--ak', AK], 'give both an AK and an SK'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv, {})).toThrow(UsageError);
    expect(() => parseCommand(argv, {})).toThrow(message);
  });

  it('recognises --help and -h anywhere', () => {
    expect(parseCommand(['list-vpn-servers', '--help'], {})).toEqual({ name: 'help' });
    expect(parseCommand(['-h'], {})).toEqual({ name: 'help' });
  });

  it('takes the endpoint from the flag, else VPN_ENDPOINT, else localhost and PORT', () => {
    const list = ['list-vpn-servers', '--project', PROJECT];
    expect(command(list).endpoint.href).toBe('http://localhost:3000/');
    expect(command(list, { PORT: '4100' }).endpoint.href).toBe('http://localhost:4100/');
    expect(command(list, { PORT: '4100', VPN_ENDPOINT: 'https://vpn.example.com' }).endpoint.href).toBe('https://vpn.example.com/');
    expect(command([...list, '--endpoint', 'http://h:1'], { VPN_ENDPOINT: 'https://vpn.example.com' }).endpoint.href).toBe('http://h:1/');
  });

  it('takes credentials from the flags, else the environment, else leaves them to the demo seed', () => {
    const list = ['list-vpn-servers', '--project', PROJECT];
    const env = { HUAWEICLOUD_SDK_AK: 'ENVAK', HUAWEICLOUD_SDK_SK: 'envsk' };
    expect(command(list).credentials).toBeUndefined();
    expect(command(list, env).credentials).toEqual({ accessKey: 'ENVAK', secretKey: 'envsk' });
    expect(command([...list, '--ak', AK, '--sk', SK], env).credentials).toEqual({ accessKey: AK, secretKey: SK });
  });
});

describe('buildRequest', () => {
  it('builds a signed create that the server-side verification accepts', async () => {
    const create = command(
      ['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'b.json', '--client-token', TOKEN],
      { VPN_ENDPOINT: 'http://localhost:3000' },
    );
    const request = buildRequest(create, { accessKey: AK, secretKey: SK }, Buffer.from(BODY), NOW);
    expect(request).toMatchObject({
      url: `http://localhost:3000/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}/vpn-servers`,
      method: 'POST',
      headers: {
        Host: 'localhost:3000',
        'Content-Type': 'application/json',
        'X-Project-Id': PROJECT,
        'X-Client-Token': TOKEN,
        'X-Sdk-Date': '20260301T120000Z',
      },
    });
    expect(Buffer.from(request.body ?? []).toString()).toBe(BODY);
    expect(request.headers.Authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=CLITESTACCESSKEY0001, SignedHeaders=content-type;host;x-client-token;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
    await expect(verifyRequest(asReceived(request), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    const tampered = { ...request, body: Buffer.from(BODY.replace('/22', '/21')) };
    await expect(verifyRequest(asReceived(tampered), lookup, NOW)).rejects.toMatchObject({ code: 'APIGW.0301' });
  });

  it('builds a signed, paged project listing with an encoded query', async () => {
    const list = command(['list-vpn-servers', '--project', PROJECT, '--limit', '5', '--marker', 'a+b/c d', '--endpoint', 'https://vpn.example.com/prefix/']);
    const request = buildRequest(list, { accessKey: AK, secretKey: SK }, undefined, NOW);
    expect(request.url).toBe(`https://vpn.example.com/prefix/v5/${PROJECT}/vpn-servers?limit=5&marker=a%2Bb%2Fc%20d`);
    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.headers['Content-Type']).toBeUndefined();
    await expect(verifyRequest(asReceived(request), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
  });

  it("lists one gateway's server on the gateway path", () => {
    const list = command(['list-vpn-servers', '--project', PROJECT, '--gateway', GATEWAY]);
    const request = buildRequest(list, { accessKey: AK, secretKey: SK }, undefined, NOW);
    expect(request.url).toBe(`http://localhost:3000/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}/vpn-servers`);
  });
});

describe('formatResponse', () => {
  const create = command(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'b.json']);
  const list = command(['list-vpn-servers', '--project', PROJECT]);
  const listJson = command(['list-vpn-servers', '--project', PROJECT, '--json']);
  const listing = JSON.stringify({
    vpn_servers: [
      { id: 'srv-1', p2c_vgw_id: GATEWAY, client_cidr: '172.16.0.0/22', local_subnets: ['10.0.0.0/16', '10.1.0.0/16'], client_auth_type: 'LOCAL_PASSWORD', status: 'ACTIVE' },
      { id: 'srv-22', p2c_vgw_id: 'gw-2', client_cidr: '172.17.0.0/24', local_subnets: ['192.168.0.0/24'], client_auth_type: 'CERT', status: 'ACTIVE' },
    ],
    total_count: 3,
    page_info: { current_count: 2, next_marker: 'next-1' },
    request_id: REQUEST_ID,
  });

  it('reports a created server', () => {
    const body = JSON.stringify({ vpn_server: { id: 'srv-1' }, request_id: REQUEST_ID });
    expect(formatResponse(create, 201, body)).toEqual({ exitCode: 0, stdout: `created vpn server srv-1 (request ${REQUEST_ID})` });
  });

  it('prints a listing as an aligned table with the paging hint', () => {
    expect(formatResponse(list, 200, listing)).toEqual({
      exitCode: 0,
      stdout: [
        'ID      GATEWAY                               CLIENT_CIDR    LOCAL_SUBNETS            AUTH            STATUS',
        `srv-1   ${GATEWAY}  172.16.0.0/22  10.0.0.0/16,10.1.0.0/16  LOCAL_PASSWORD  ACTIVE`,
        'srv-22  gw-2                                  172.17.0.0/24  192.168.0.0/24           CERT            ACTIVE',
        `2 of 3 vpn servers (request ${REQUEST_ID})`,
        'next page: --marker next-1',
      ].join('\n'),
    });
  });

  it('says so when there are no servers', () => {
    const body = JSON.stringify({ vpn_servers: [], total_count: 0, page_info: { current_count: 0 }, request_id: REQUEST_ID });
    expect(formatResponse(list, 200, body)).toEqual({ exitCode: 0, stdout: `no vpn servers (request ${REQUEST_ID})` });
  });

  it('prints the body untouched with --json', () => {
    expect(formatResponse(listJson, 200, listing)).toEqual({ exitCode: 0, stdout: listing });
  });

  it('turns an error body into a one-line error and a failing exit code', () => {
    const body = JSON.stringify({ error_code: 'VPN.0004', error_msg: 'p2c vpn gateway not found', request_id: REQUEST_ID });
    expect(formatResponse(create, 404, body)).toEqual({
      exitCode: 1,
      stderr: `error VPN.0004: p2c vpn gateway not found (request ${REQUEST_ID})`,
    });
    expect(formatResponse(listJson, 404, body)).toEqual({ exitCode: 1, stdout: body, stderr: expect.stringMatching(/^error VPN\.0004/) });
  });

  it('fails on a body that is not the API\'s, naming the status', () => {
    expect(formatResponse(list, 502, '<html>Bad Gateway</html>', 'b'.repeat(32))).toEqual({
      exitCode: 1,
      stderr: `error: unexpected response HTTP 502 (request ${'b'.repeat(32)}): <html>Bad Gateway</html>`,
    });
    expect(formatResponse(create, 201, '{"unexpected":true}').exitCode).toBe(1);
  });
});

describe('run', () => {
  const SEED = JSON.stringify({ credentials: [{ access_key: DEMO_AK, secret_key: DEMO_SK, project_ids: [PROJECT] }] });

  const harness = (respond: (request: Request) => Response | Promise<Response>, env: Record<string, string> = {}) =>
    fakeCliIo({ respond, env, now: NOW, files: { [DEMO_SEED_PATH]: SEED, '/work/dir/body.json': BODY, '/work/dir/ca.pem': PEM } });

  const created = () =>
    new Response(JSON.stringify({ vpn_server: { id: 'srv-9' }, request_id: REQUEST_ID }), { status: 201 });

  it('--curl prints the signed request as a curl command and sends nothing', async () => {
    const { io, out, err, sent } = harness(created);
    const code = await run(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'body.json', '--client-token', TOKEN, '--curl'], io);
    expect({ code, err, sent }).toEqual({ code: 0, err: [], sent: [] });
    const [command] = out as [string];
    expect(command.split(' \\\n  ')).toEqual([
      `curl -X POST 'http://localhost:3000/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}/vpn-servers'`,
      `-H 'X-Project-Id: ${PROJECT}'`,
      "-H 'Content-Type: application/json'",
      `-H 'X-Client-Token: ${TOKEN}'`,
      expect.stringMatching(/^-H 'X-Sdk-Date: \d{8}T\d{6}Z'$/),
      expect.stringMatching(new RegExp(`^-H 'Authorization: SDK-HMAC-SHA256 Access=${DEMO_AK}, SignedHeaders=content-type;host;x-client-token;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}'$`)),
      `--data-binary '${BODY.replaceAll("'", "'\\''")}'`,
    ]);
  });

  it('creates with the demo credentials and a --file relative to the working directory', async () => {
    const { io, out, err, sent } = harness(created);
    const code = await run(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'body.json'], io);
    expect({ code, out, err }).toEqual({ code: 0, out: [`created vpn server srv-9 (request ${REQUEST_ID})`], err: [] });
    const request = sent[0]?.request;
    expect(request?.headers.get('authorization')).toContain(`Access=${DEMO_AK},`);
    expect(await request?.text()).toBe(BODY);
  });

  it('reads --file relative to INIT_CWD, where npm run was started', async () => {
    const { io, sent } = harness(created, { INIT_CWD: '/work/dir' });
    io.cwd = '/elsewhere';
    expect(await run(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'body.json'], io)).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('uses the environment credentials over the demo ones', async () => {
    const { io, sent } = harness(created, { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK });
    await run(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'body.json'], io);
    expect(sent[0]?.request.headers.get('authorization')).toContain(`Access=${AK},`);
  });

  it('exits 1 with the error line on stderr for an API error', async () => {
    const body = { error_code: 'VPN.0007', error_msg: 'the access key may not act in this project', request_id: REQUEST_ID };
    const { io, out, err } = harness(() => new Response(JSON.stringify(body), { status: 403 }));
    expect(await run(['list-vpn-servers', '--project', PROJECT], io)).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([`error VPN.0007: the access key may not act in this project (request ${REQUEST_ID})`]);
  });

  it('exits 1 when the file cannot be read or the endpoint cannot be reached, sending nothing for the former', async () => {
    const missing = harness(created);
    expect(await run(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'nope.json'], missing.io)).toBe(1);
    expect(missing.err).toEqual(['error: cannot read /work/dir/nope.json: ENOENT']);
    expect(missing.sent).toEqual([]);

    const down = harness(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    });
    expect(await run(['list-vpn-servers', '--project', PROJECT], down.io)).toBe(1);
    expect(down.err).toEqual(['error: cannot reach http://localhost:3000: ECONNREFUSED']);
  });

  it('prints usage for --help (exit 0) and points to it on a usage error (exit 2) without calling out', async () => {
    const help = harness(created);
    expect(await run(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('create-vpn-server  --project P --gateway G --file body.json');

    const bad = harness(created);
    expect(await run(['list-vpn-servers'], bad.io)).toBe(2);
    expect(bad.err).toEqual(['error: list-vpn-servers needs --project (see --help)']);
    expect(bad.sent).toEqual([]);
  });

  it('never prints a secret key', async () => {
    const printed: string[] = [];
    const scenarios: [string[], () => Response][] = [
      [['list-vpn-servers', '--project', PROJECT, '--ak', AK, '--sk', SK], () => new Response('{}', { status: 500 })],
      [['list-vpn-servers', '--project', PROJECT, '--sk', SK], created],
      [['list-vpn-servers', '--project', PROJECT, '--json'], () => new Response('{"error_code":"APIGW.0301"}', { status: 401 })],
      [['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'body.json', '--ak', AK, '--sk', SK], created],
    ];
    for (const [argv, respond] of scenarios) {
      const { io, out, err } = harness(respond);
      await run(argv, io);
      printed.push(...out, ...err);
    }
    expect(printed.length).toBeGreaterThanOrEqual(scenarios.length);
    for (const line of printed) {
      expect(line).not.toContain(SK);
      expect(line).not.toContain(DEMO_SK);
    }
  });
});

describe('the lifecycle commands (contract section 10)', () => {
  const SERVER = '5b8e2c1a-9d4f-4e6b-8a7c-3f2e1d0c9b8a';
  const CA = '4e3a364f-1213-4a37-917e-d494aeada34e';
  const HEADER_ID = 'c'.repeat(32);
  const SERVERS = `http://localhost:3000/v5/${PROJECT}/p2c-vpn-gateways/vpn-servers`;
  // Odd spacing and a final newline: the file is sent and signed as read, not re-serialised.
  const UPDATE = '{ "vpn_server": {"dns_servers": ["10.0.0.2"],  "ssl_options": {"port": 1194}} }\n';
  const PROFILE = 'client\ndev tun\nproto tcp\nremote 203.0.113.10 443\n<ca>\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n</ca>\ndisable-dco\n';
  const FACTS = {
    name: 'corp-ca',
    issuer: 'CN=P2C VPN Demo CA',
    subject: 'CN=P2C VPN Demo CA',
    serial_number: '621079609299744022526309164429940520767604766768',
    expiration_time: '2124-01-01T00:00:00Z',
    signature_algorithm: 'sha256WithRSAEncryption',
  };
  const SEED = JSON.stringify({ credentials: [{ access_key: DEMO_AK, secret_key: DEMO_SK, project_ids: [PROJECT] }] });

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'X-Request-Id': HEADER_ID } });
  const noContent = () => new Response(null, { status: 204, headers: { 'X-Request-Id': HEADER_ID } });

  /** What each command's success looks like (contract section 10). */
  const SUCCESS: Record<string, () => Response> = {
    'update-vpn-server': () => json({ request_id: REQUEST_ID }),
    'import-client-ca': () => json({ client_ca_certificate: { id: CA }, request_id: REQUEST_ID }, 201),
    'check-client-ca': () => json({ ...FACTS, request_id: REQUEST_ID }),
    'show-client-ca': () =>
      json({
        client_ca_certificate: { id: CA, ...FACTS, created_at: '2026-03-01T12:00:00Z', updated_at: '2026-03-01T12:05:00Z' },
        request_id: REQUEST_ID,
      }),
    'rename-client-ca': () => json({ request_id: REQUEST_ID }),
    'delete-client-ca': noContent,
    'export-client-config': () => json({ client_config: PROFILE, request_id: REQUEST_ID }),
  };

  const harness = (respond: (request: Request) => Response | Promise<Response>, env: Record<string, string> = {}) =>
    fakeCliIo({ respond, env, now: NOW, files: { [DEMO_SEED_PATH]: SEED, '/work/dir/update.json': UPDATE, '/work/dir/ca.pem': PEM } });

  /** The call as the server receives it: fetch's arguments, exactly. */
  function received({ url, init }: SentCall): SignableRequest & { headers: Record<string, string>; text: string | undefined } {
    const parsed = new URL(url);
    const body = init.body as Uint8Array | undefined;
    return {
      method: init.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: init.headers as Record<string, string>,
      body: body ?? new Uint8Array(0),
      text: body === undefined ? undefined : Buffer.from(body).toString(),
    };
  }

  const CALLS: [string, string[], string, string, string | undefined, string][] = [
    ['update-vpn-server', ['--server', SERVER, '--file', 'update.json'], 'PUT', `${SERVERS}/${SERVER}`, UPDATE, 'content-type;host;x-project-id;x-sdk-date'],
    [
      'import-client-ca',
      ['--server', SERVER, '--certificate', 'ca.pem', '--name', 'corp-ca', '--client-token', TOKEN],
      'POST',
      `${SERVERS}/${SERVER}/client-ca-certificates`,
      JSON.stringify({ client_ca_certificate: { name: 'corp-ca', content: PEM } }),
      'content-type;host;x-client-token;x-project-id;x-sdk-date',
    ],
    [
      'import-client-ca',
      ['--server', SERVER, '--certificate', 'ca.pem'],
      'POST',
      `${SERVERS}/${SERVER}/client-ca-certificates`,
      JSON.stringify({ client_ca_certificate: { content: PEM } }),
      'content-type;host;x-project-id;x-sdk-date',
    ],
    [
      'check-client-ca',
      ['--certificate', 'ca.pem', '--name', 'corp-ca'],
      'POST',
      `${SERVERS}/client-ca-certificates/check`,
      JSON.stringify({ client_ca_certificate: { name: 'corp-ca', content: PEM } }),
      'content-type;host;x-project-id;x-sdk-date',
    ],
    ['show-client-ca', ['--server', SERVER, '--ca', CA], 'GET', `${SERVERS}/${SERVER}/client-ca-certificates/${CA}`, undefined, 'host;x-project-id;x-sdk-date'],
    [
      'rename-client-ca',
      ['--server', SERVER, '--ca', CA, '--name', 'corp-ca-2'],
      'PUT',
      `${SERVERS}/${SERVER}/client-ca-certificates/${CA}`,
      '{"client_ca_certificate":{"name":"corp-ca-2"}}',
      'content-type;host;x-project-id;x-sdk-date',
    ],
    ['delete-client-ca', ['--server', SERVER, '--ca', CA], 'DELETE', `${SERVERS}/${SERVER}/client-ca-certificates/${CA}`, undefined, 'host;x-project-id;x-sdk-date'],
    ['export-client-config', ['--server', SERVER], 'POST', `${SERVERS}/${SERVER}/client-config/export`, '{}', 'content-type;host;x-project-id;x-sdk-date'],
    [
      'export-client-config',
      ['--server', SERVER, '--os-type', 'MacOS'],
      'POST',
      `${SERVERS}/${SERVER}/client-config/export`,
      '{"os_type":"MacOS"}',
      'content-type;host;x-project-id;x-sdk-date',
    ],
  ];

  it.each(CALLS)('%s %j sends one signed call the server-side verification accepts', async (name, args, method, url, body, signed) => {
    const { io, sent, out, err } = harness(SUCCESS[name]!, { HUAWEICLOUD_SDK_AK: AK, HUAWEICLOUD_SDK_SK: SK });
    expect(await run([name, '--project', PROJECT, ...args], io)).toBe(0);
    expect({ out: out.length, err }).toEqual({ out: 1, err: [] });
    expect(sent).toHaveLength(1);
    const request = received(sent[0]!);
    expect({ method: request.method, url: sent[0]!.url, query: request.query, text: request.text }).toEqual({ method, url, query: {}, text: body });
    expect(request.headers).toMatchObject({ Host: 'localhost:3000', 'X-Project-Id': PROJECT, 'X-Sdk-Date': '20260301T120000Z' });
    expect(request.headers['Content-Type']).toBe(body === undefined ? undefined : 'application/json');
    expect(request.headers['X-Client-Token']).toBe(args.includes('--client-token') ? TOKEN : undefined);
    expect(request.headers.Authorization).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${signed}, Signature=[0-9a-f]{64}$`));
    await expect(verifyRequest(request, lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    if (body !== undefined) {
      const tampered = { ...request, body: Buffer.from(`${body} `) };
      await expect(verifyRequest(tampered, lookup, NOW)).rejects.toMatchObject({ code: 'APIGW.0301' });
    }
  });

  it('percent-encodes the ids in the path and signs the encoded path, under an endpoint prefix', async () => {
    const show = command(['show-client-ca', '--project', PROJECT, '--server', 'a b/c', '--ca', 'x?y', '--endpoint', 'https://vpn.example.com/prefix/']);
    const request = buildRequest(show, { accessKey: AK, secretKey: SK }, undefined, NOW);
    expect(request.url).toBe(`https://vpn.example.com/prefix/v5/${PROJECT}/p2c-vpn-gateways/vpn-servers/a%20b%2Fc/client-ca-certificates/x%3Fy`);
    await expect(verifyRequest(asReceived(request), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
  });

  it('signs with the demo credentials by default', async () => {
    const { io, sent } = harness(SUCCESS['delete-client-ca']!);
    expect(await run(['delete-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA], io)).toBe(0);
    expect(received(sent[0]!).headers.Authorization).toContain(`Access=${DEMO_AK},`);
  });

  it.each([
    ['update-vpn-server', ['--server', SERVER, '--file', 'update.json'], [`updated vpn server ${SERVER} (request ${REQUEST_ID})`]],
    ['import-client-ca', ['--server', SERVER, '--certificate', 'ca.pem'], [`imported client ca ${CA} into vpn server ${SERVER} (request ${REQUEST_ID})`]],
    [
      'check-client-ca',
      ['--certificate', 'ca.pem'],
      [
        [
          'name                 corp-ca',
          'issuer               CN=P2C VPN Demo CA',
          'subject              CN=P2C VPN Demo CA',
          'serial_number        621079609299744022526309164429940520767604766768',
          'expiration_time      2124-01-01T00:00:00Z',
          'signature_algorithm  sha256WithRSAEncryption',
          `valid as a client ca (request ${REQUEST_ID})`,
        ].join('\n'),
      ],
    ],
    [
      'show-client-ca',
      ['--server', SERVER, '--ca', CA],
      [
        [
          `id                   ${CA}`,
          'name                 corp-ca',
          'issuer               CN=P2C VPN Demo CA',
          'subject              CN=P2C VPN Demo CA',
          'serial_number        621079609299744022526309164429940520767604766768',
          'expiration_time      2124-01-01T00:00:00Z',
          'signature_algorithm  sha256WithRSAEncryption',
          'created_at           2026-03-01T12:00:00Z',
          'updated_at           2026-03-01T12:05:00Z',
          `client ca of vpn server ${SERVER} (request ${REQUEST_ID})`,
        ].join('\n'),
      ],
    ],
    ['rename-client-ca', ['--server', SERVER, '--ca', CA, '--name', 'corp-ca-2'], [`renamed client ca ${CA} to corp-ca-2 (request ${REQUEST_ID})`]],
    ['delete-client-ca', ['--server', SERVER, '--ca', CA], [`deleted client ca ${CA} (request ${HEADER_ID})`]],
  ])('%s prints what the call did', async (name, args, printed) => {
    const { io, out, err } = harness(SUCCESS[name]!);
    expect(await run([name, '--project', PROJECT, ...args], io)).toBe(0);
    expect({ out, err }).toEqual({ out: printed, err: [] });
  });

  it('takes the request id of a 204 from its X-Request-Id header, and prints nothing for it with --json', async () => {
    const del = command(['delete-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA]);
    expect(formatResponse(del, 204, '', HEADER_ID)).toEqual({ exitCode: 0, stdout: `deleted client ca ${CA} (request ${HEADER_ID})` });
    expect(formatResponse(del, 204, '', null)).toEqual({ exitCode: 0, stdout: `deleted client ca ${CA} (request -)` });
    const { io, out, err } = harness(noContent);
    expect(await run(['delete-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA, '--json'], io)).toBe(0);
    expect({ out, err }).toEqual({ out: [], err: [] });
  });

  it('prints --json bodies untouched', async () => {
    const body = JSON.stringify({ ...FACTS, request_id: REQUEST_ID });
    const { io, out } = harness(() => new Response(body, { status: 200 }));
    expect(await run(['check-client-ca', '--project', PROJECT, '--certificate', 'ca.pem', '--json'], io)).toBe(0);
    expect(out).toEqual([body]);
  });

  it('exports the profile to stdout as it came, so that `> client.ovpn` is the profile', async () => {
    const { io, out, err, written } = harness(SUCCESS['export-client-config']!);
    expect(await run(['export-client-config', '--project', PROJECT, '--server', SERVER], io)).toBe(0);
    expect(err).toEqual([]);
    // io.stdout prints each text followed by a newline
    expect(out.map((text) => `${text}\n`).join('')).toBe(PROFILE);
    expect(written).toEqual({});
  });

  it('writes the profile to --output, relative to INIT_CWD, and says so', async () => {
    const { io, out, err, written } = harness(SUCCESS['export-client-config']!, { INIT_CWD: '/work/dir' });
    io.cwd = '/elsewhere';
    expect(await run(['export-client-config', '--project', PROJECT, '--server', SERVER, '--output', 'client.ovpn'], io)).toBe(0);
    expect({ out, err, written }).toEqual({
      out: [`wrote client profile to client.ovpn (request ${REQUEST_ID})`],
      err: [],
      written: { '/work/dir/client.ovpn': PROFILE },
    });

    const absolute = harness(SUCCESS['export-client-config']!);
    expect(await run(['export-client-config', '--project', PROJECT, '--server', SERVER, '--output', '/tmp/p.ovpn', '--json'], absolute.io)).toBe(0);
    expect(absolute.written).toEqual({ '/tmp/p.ovpn': PROFILE });
    expect(absolute.out).toEqual([JSON.stringify({ client_config: PROFILE, request_id: REQUEST_ID })]);
  });

  it('exits 1 when the profile cannot be written, and writes nothing for a failed export', async () => {
    const failing = harness(SUCCESS['export-client-config']!);
    failing.io.writeFile = async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(await run(['export-client-config', '--project', PROJECT, '--server', SERVER, '--output', 'client.ovpn'], failing.io)).toBe(1);
    expect({ out: failing.out, err: failing.err }).toEqual({ out: [], err: ['error: cannot write /work/dir/client.ovpn: EACCES'] });

    const refused = harness(() => json({ error_code: 'VPN.0001', error_msg: 'invalid request: the gateway has no eip', request_id: REQUEST_ID }, 400));
    expect(await run(['export-client-config', '--project', PROJECT, '--server', SERVER, '--output', 'client.ovpn'], refused.io)).toBe(1);
    expect(refused.written).toEqual({});
    expect(refused.err).toEqual([`error VPN.0001: invalid request: the gateway has no eip (request ${REQUEST_ID})`]);
  });

  it.each(CALLS.filter((_, index, calls) => calls.findIndex(([name]) => name === calls[index]![0]) === index))(
    '%s exits 1 with the API error on stderr',
    async (name, args) => {
      const { io, out, err, written } = harness(() => json({ error_code: 'VPN.0004', error_msg: 'resource not found', request_id: REQUEST_ID }, 404));
      expect(await run([name, '--project', PROJECT, ...args], io)).toBe(1);
      expect({ out, err, written }).toEqual({ out: [], err: [`error VPN.0004: resource not found (request ${REQUEST_ID})`], written: {} });
    },
  );

  it.each([
    ['update-vpn-server', ['--server', SERVER, '--file', 'update.json'], () => new Response(null, { status: 204 })],
    ['update-vpn-server', ['--server', SERVER, '--file', 'update.json'], () => new Response('ok', { status: 200 })],
    ['import-client-ca', ['--server', SERVER, '--certificate', 'ca.pem'], () => json({ request_id: REQUEST_ID }, 201)],
    ['check-client-ca', ['--certificate', 'ca.pem'], () => json({ request_id: REQUEST_ID })],
    ['show-client-ca', ['--server', SERVER, '--ca', CA], () => json({ request_id: REQUEST_ID })],
    ['rename-client-ca', ['--server', SERVER, '--ca', CA, '--name', 'n'], () => noContent()],
    ['delete-client-ca', ['--server', SERVER, '--ca', CA], () => new Response('<html>', { status: 200 })],
    ['export-client-config', ['--server', SERVER, '--output', 'client.ovpn'], () => json({ request_id: REQUEST_ID })],
  ])('%s fails on a 2xx that is not the API answer', async (name, args, respond) => {
    const { io, out, err, written } = harness(respond);
    expect(await run([name, '--project', PROJECT, ...args], io)).toBe(1);
    expect({ out, written }).toEqual({ out: [], written: {} });
    expect(err).toEqual([expect.stringMatching(/^error: unexpected response HTTP 20[014]/)]);
  });

  it.each([
    [['update-vpn-server', '--project', PROJECT, '--file', 'update.json'], 'update-vpn-server needs --server'],
    [['update-vpn-server', '--project', PROJECT, '--server', SERVER], 'update-vpn-server needs --file'],
    [['update-vpn-server', '--server', SERVER, '--file', 'update.json'], 'update-vpn-server needs --project'],
    [['update-vpn-server', '--project', PROJECT, '--server', SERVER, '--file', 'u', '--client-token', TOKEN], '--client-token does not apply to update-vpn-server'],
    [['import-client-ca', '--project', PROJECT, '--server', SERVER], 'import-client-ca needs --certificate'],
    [['import-client-ca', '--project', PROJECT, '--certificate', 'ca.pem'], 'import-client-ca needs --server'],
    [['import-client-ca', '--project', PROJECT, '--server', SERVER, '--certificate', 'ca.pem', '--file', 'b'], '--file does not apply to import-client-ca'],
    [['check-client-ca', '--project', PROJECT], 'check-client-ca needs --certificate'],
    [['check-client-ca', '--project', PROJECT, '--certificate', 'ca.pem', '--server', SERVER], '--server does not apply to check-client-ca'],
    [['check-client-ca', '--project', PROJECT, '--certificate', 'ca.pem', '--client-token', TOKEN], '--client-token does not apply to check-client-ca'],
    [['show-client-ca', '--project', PROJECT, '--server', SERVER], 'show-client-ca needs --ca'],
    [['show-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA, '--name', 'n'], '--name does not apply to show-client-ca'],
    [['rename-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA], 'rename-client-ca needs --name'],
    [['rename-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA, '--name', ''], 'rename-client-ca needs --name'],
    [['rename-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA, '--name', 'n', '--certificate', 'c'], '--certificate does not apply'],
    [['delete-client-ca', '--project', PROJECT, '--ca', CA], 'delete-client-ca needs --server'],
    [['delete-client-ca', '--project', PROJECT, '--server', SERVER, '--ca', CA, '--output', 'f'], '--output does not apply to delete-client-ca'],
    [['export-client-config', '--project', PROJECT], 'export-client-config needs --server'],
    [['export-client-config', '--project', PROJECT, '--server', SERVER, '--os-type', 'windows'], '--os-type must be one of Windows, Linux, MacOS, Android, iOS'],
    [['export-client-config', '--project', PROJECT, '--server', SERVER, '--ca', CA], '--ca does not apply to export-client-config'],
    [['export-client-config', '--project', PROJECT, '--server', SERVER, '--output'], "Option '--output <value>' argument missing"],
    [['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'b', '--server', SERVER], '--server does not apply to create-vpn-server'],
    [['list-vpn-servers', '--project', PROJECT, '--os-type', 'Linux'], '--os-type does not apply to list-vpn-servers'],
    [['constructor', '--project', PROJECT], 'unknown command constructor'],
  ])('refuses %j with exit 2, calling nothing', async (argv, message) => {
    expect(() => parseCommand(argv, {})).toThrow(UsageError);
    const { io, err, sent, out } = harness(() => json({}));
    expect(await run(argv, io)).toBe(2);
    expect({ out, sent }).toEqual({ out: [], sent: [] });
    expect(err).toEqual([expect.stringContaining(message)]);
    expect(err[0]).toMatch(/^error: .* \(see --help\)$/);
  });

  it('exits 1 without calling when the certificate file cannot be read', async () => {
    const { io, err, sent } = harness(SUCCESS['import-client-ca']!);
    expect(await run(['import-client-ca', '--project', PROJECT, '--server', SERVER, '--certificate', 'missing.pem'], io)).toBe(1);
    expect(err).toEqual(['error: cannot read /work/dir/missing.pem: ENOENT']);
    expect(sent).toEqual([]);
  });

  it('lists one line per command in the help', async () => {
    const { io, out } = harness(() => json({}));
    expect(await run(['--help'], io)).toBe(0);
    const commands = out.join('\n').split('\n').filter((line) => /^ {2}[a-z0-9]+(-[a-z0-9]+)+ +--project P/.test(line));
    expect(commands).toEqual([
      '  create-vpn-server  --project P --gateway G --file body.json [--client-token UUID]',
      '  list-vpn-servers   --project P [--gateway G] [--limit N] [--marker M]',
      '  update-vpn-server  --project P --server ID --file body.json',
      '  import-client-ca   --project P --server ID --certificate ca.pem [--name N] [--client-token UUID]',
      '  check-client-ca    --project P --certificate ca.pem [--name N]',
      '  show-client-ca     --project P --server ID --ca CAID',
      '  rename-client-ca   --project P --server ID --ca CAID --name N',
      '  delete-client-ca   --project P --server ID --ca CAID',
      '  export-client-config  --project P --server ID [--os-type OS] [--output FILE]',
      '  list-p2c-vgws      --project P [--limit N] [--marker M]',
      '  show-p2c-vgw       --project P --gateway G',
      '  create-vpn-user    --project P --server ID --file body.json [--client-token UUID]',
      '  batch-create-vpn-users  --project P --server ID --file body.json [--client-token UUID]',
      '  list-vpn-users     --project P --server ID [--limit N] [--marker M]',
      '  show-vpn-user      --project P --server ID --user USER',
      '  update-vpn-user    --project P --server ID --user USER --file body.json',
      '  delete-vpn-user    --project P --server ID --user USER',
      '  batch-delete-vpn-users  --project P --server ID --file body.json',
      '  update-vpn-user-password  --project P --server ID --user USER --file body.json',
      '  reset-vpn-user-password  --project P --server ID --user USER --file body.json',
      '  create-vpn-user-group  --project P --server ID --name NAME [--description TEXT] [--client-token UUID]',
      '  list-vpn-user-groups  --project P --server ID [--limit N] [--marker M]',
      '  show-vpn-user-group  --project P --server ID --group GROUP',
      '  update-vpn-user-group  --project P --server ID --group GROUP [--name NAME] [--description TEXT]',
      '  delete-vpn-user-group  --project P --server ID --group GROUP',
      '  add-vpn-users-to-group  --project P --server ID --group GROUP --file body.json',
      '  remove-vpn-users-from-group  --project P --server ID --group GROUP --file body.json',
      '  list-vpn-users-in-group  --project P --server ID --group GROUP [--limit N] [--marker M]',
      '  create-vpn-access-policy  --project P --server ID --file body.json [--client-token UUID]',
      '  list-vpn-access-policies  --project P --server ID [--limit N] [--marker M]',
      '  show-vpn-access-policy  --project P --server ID --policy POLICY',
      '  update-vpn-access-policy  --project P --server ID --policy POLICY --file body.json',
      '  delete-vpn-access-policy  --project P --server ID --policy POLICY',
    ]);
  });

  it('never prints or writes a secret key', async () => {
    const printed: string[] = [];
    const failure = () => json({ error_code: 'APIGW.0301', error_msg: 'authentication failed', request_id: REQUEST_ID }, 401);
    for (const [name, args] of CALLS) {
      for (const respond of [SUCCESS[name]!, failure]) {
        for (const keys of [[], ['--ak', AK, '--sk', SK], ['--sk', SK]]) {
          for (const flags of [[], ['--json'], ...(name === 'export-client-config' ? [['--output', 'p.ovpn']] : [])]) {
            const { io, out, err, written } = harness(respond);
            await run([name, '--project', PROJECT, ...args, ...keys, ...flags], io);
            printed.push(...out, ...err, ...Object.values(written));
          }
        }
      }
    }
    expect(printed.length).toBeGreaterThan(CALLS.length * 8);
    for (const line of printed) {
      expect(line).not.toContain(SK);
      expect(line).not.toContain(DEMO_SK);
    }
  });
});

describe('main', () => {
  it('prints the help ending in one newline and exits 0', async () => {
    const argv = process.argv;
    const writes: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    process.argv = ['node', 'p2c-vpn', '--help'];
    try {
      main();
      await new Promise((resolve) => setImmediate(resolve));
      expect(process.exitCode).toBe(0);
    } finally {
      write.mockRestore();
      process.argv = argv;
      process.exitCode = undefined;
    }
    expect(writes.join('')).toMatch(/^Usage: [^]*print this help\n$/);
  });
});

describe('the commands from the operation catalogue', () => {
  it('lib/cli/commands.json is what lib/cli/manifest.ts writes from the catalogue now (else run npm run cli:manifest)', () => {
    expect(readFileSync(CLI_MANIFEST_FILE, 'utf8')).toBe(renderCliManifest());
  });

  it('names every operation in kebab case, beside the aliases', () => {
    for (const operation of OPERATIONS) expect(COMMANDS.get(kebabCase(operation.name))?.map((spec) => spec.entry.name)).toEqual([operation.name]);
    expect(COMMANDS.get('list-vpn-servers')?.map((spec) => spec.entry.name)).toEqual(['ListVpnServersByVgw', 'ListVpnServersByProject']);
    expect(command(['update-client-ca', '--project', PROJECT, '--server', GATEWAY, '--ca', TOKEN, '--name', 'n']).operation.entry.name).toBe('UpdateClientCa');
    expect(command(['list-vpn-servers-by-vgw', '--project', PROJECT, '--gateway', GATEWAY]).operation.entry.name).toBe('ListVpnServersByVgw');
    expect(() => command(['list-vpn-servers-by-vgw', '--project', PROJECT])).toThrow('list-vpn-servers-by-vgw needs --gateway');
    expect(() => command(['list-vpn-servers', '--project', PROJECT, '--gateway', GATEWAY, '--marker', 'm'])).toThrow(
      '--limit and --marker are list-vpn-servers-by-project\'s: they do not apply with --gateway',
    );
  });

  it('makes a command of an operation without cli data: its ids, its query, --file for its body, the reply as JSON', async () => {
    const extra = manifestEntryOf(
      defineOperation({
        name: 'UpdateVpnUserKey',
        method: 'PUT',
        path: '/v5/{project_id}/vpn-servers/{vpn_server_id}/users/{user_id}/key',
        body: 'required',
        query: ['dry_run'],
        parse: () => undefined,
        run: () => undefined,
        reply: () => ({ status: 200, body: {} }),
        docs: { tag: 'VpnServer', summary: 'An operation without cli data', success: { status: 200, description: 'Changed.' } },
      }),
    );
    const commands = commandsOf([...(JSON.parse(renderCliManifest()) as ManifestEntry[]), extra]);
    expect(usageOf(commands)).toContain('  update-vpn-user-key  --project P --server ID --user USER --file body.json [--dry_run DRY_RUN]');
    const argv = ['update-vpn-user-key', '--project', PROJECT, '--server', GATEWAY, '--user', 'u 1', '--file', 'b.json', '--dry_run', 'yes'];
    const parsed = parseCommand(argv, {}, commands);
    if (!('operation' in parsed)) throw new Error('expected a command');
    const request = buildRequest(parsed, { accessKey: AK, secretKey: SK }, Buffer.from('{}'), NOW);
    expect(request.url).toBe(`http://localhost:3000/v5/${PROJECT}/vpn-servers/${GATEWAY}/users/u%201/key?dry_run=yes`);
    await expect(verifyRequest(asReceived(request), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    expect(formatResponse(parsed, 200, JSON.stringify({ request_id: REQUEST_ID }))).toEqual({ exitCode: 0, stdout: `done (request ${REQUEST_ID})` });
    expect(formatResponse(parsed, 200, JSON.stringify({ user: { id: 'u' }, request_id: REQUEST_ID }))).toEqual({
      exitCode: 0,
      stdout: JSON.stringify({ user: { id: 'u' } }, null, 2),
    });
    expect(() => parseCommand(argv.slice(0, 7), {}, commands)).toThrow('update-vpn-user-key needs --file');
  });
});

describe('the gateway reads (contract section 11)', () => {
  const gateway = (overrides: object = {}) => ({
    id: GATEWAY,
    name: 'p2c-vgw-demo',
    vpc_id: '140937c5-d723-4499-ae2d-c953a0c0933f',
    connect_subnet: '',
    status: 'ACTIVE',
    flavor: 'Professional1',
    availability_zone_ids: [],
    eip: { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', ip_address: '203.0.113.10', ip_version: 4 },
    max_connection_number: 50,
    current_connection_number: 0,
    enterprise_project_id: '0',
    tags: [],
    created_at: '2026-03-01T12:00:00.000Z',
    updated_at: '2026-03-01T12:00:00.000Z',
    ...overrides,
  });

  it('list-p2c-vgws and show-p2c-vgw send the signed GETs of ListP2cVgws and ShowP2cVgw', async () => {
    const list = buildRequest(command(['list-p2c-vgws', '--project', PROJECT, '--limit', '2', '--marker', 'cDJjX3ZndzpY']), { accessKey: AK, secretKey: SK }, undefined, NOW);
    expect([list.method, list.url, list.body]).toEqual(['GET', `http://localhost:3000/v5/${PROJECT}/p2c-vpn-gateways?limit=2&marker=cDJjX3ZndzpY`, undefined]);
    await expect(verifyRequest(asReceived(list), lookup, NOW)).resolves.toMatchObject({ accessKey: AK });
    const show = buildRequest(command(['show-p2c-vgw', '--project', PROJECT, '--gateway', GATEWAY]), { accessKey: AK, secretKey: SK }, undefined, NOW);
    expect([show.method, show.url]).toEqual(['GET', `http://localhost:3000/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}`]);
    expect(() => command(['show-p2c-vgw', '--project', PROJECT])).toThrow('show-p2c-vgw needs --gateway');
  });

  it('prints the list as a table with the paging hint, and one gateway as its facts, the EIP address among them', () => {
    const listing = JSON.stringify({
      p2c_vpn_gateways: [gateway(), gateway({ id: 'gw-2', name: 'creating', status: 'PENDING_CREATE', flavor: 'Professional2', max_connection_number: 10 })],
      total_count: 3,
      page_info: { next_marker: 'next-1', current_count: 2 },
      request_id: REQUEST_ID,
    });
    expect(formatResponse(command(['list-p2c-vgws', '--project', PROJECT]), 200, listing)).toEqual({
      exitCode: 0,
      stdout: [
        'ID                                    NAME          STATUS          VPC                                   FLAVOR         CONNECTIONS  MAX',
        `${GATEWAY}  p2c-vgw-demo  ACTIVE          140937c5-d723-4499-ae2d-c953a0c0933f  Professional1  0            50`,
        'gw-2                                  creating      PENDING_CREATE  140937c5-d723-4499-ae2d-c953a0c0933f  Professional2  0            10',
        `2 of 3 p2c vpn gateways (request ${REQUEST_ID})`,
        'next page: --marker next-1',
      ].join('\n'),
    });
    const show = command(['show-p2c-vgw', '--project', PROJECT, '--gateway', GATEWAY]);
    const shown = formatResponse(show, 200, JSON.stringify({ p2c_vpn_gateway: gateway(), request_id: REQUEST_ID }));
    expect(shown.stdout?.split('\n')).toEqual([
      `id                         ${GATEWAY}`,
      'name                       p2c-vgw-demo',
      'status                     ACTIVE',
      'vpc_id                     140937c5-d723-4499-ae2d-c953a0c0933f',
      'connect_subnet',
      'flavor                     Professional1',
      'eip.ip_address             203.0.113.10',
      'max_connection_number      50',
      'current_connection_number  0',
      'enterprise_project_id      0',
      'created_at                 2026-03-01T12:00:00.000Z',
      'updated_at                 2026-03-01T12:00:00.000Z',
      `p2c vpn gateway of project ${PROJECT} (request ${REQUEST_ID})`,
    ]);
    // a gateway without an eip shows none
    const { eip: _eip, ...withoutEip } = gateway();
    expect(formatResponse(show, 200, JSON.stringify({ p2c_vpn_gateway: withoutEip, request_id: REQUEST_ID })).stdout).toContain('eip.ip_address             -\n');
  });
});

describe('the packed CLI', () => {
  it('bundles neither zod nor the catalogue nor the use cases: only commands.json, the signer and the patterns', async () => {
    const { metafile } = await build({ entryPoints: ['lib/cli/bin.ts'], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('lib/cli/commands.json');
    expect(inputs.filter((input) => /node_modules|zod|^lib\/(operations|vpn-servers|http|events|store)\//.test(input))).toEqual([]);
  });
});
