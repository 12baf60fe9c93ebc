import { verifyRequest, type SignableRequest } from '../../lib/auth/signing';
import {
  buildRequest,
  DEMO_SEED_PATH,
  formatResponse,
  parseCommand,
  run,
  UsageError,
  type CliIo,
  type Command,
  type HttpRequest,
} from '../../lib/cli/main';

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
  if (parsed.name === 'help') throw new Error('expected a command');
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

  function harness(respond: (request: Request) => Response | Promise<Response>, env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const sent: Request[] = [];
    const files: Record<string, string> = { [DEMO_SEED_PATH]: SEED, '/work/dir/body.json': BODY, '/work/dir/ca.pem': PEM };
    const written: Record<string, string> = {};
    const io: CliIo = {
      env,
      cwd: '/work/dir',
      fetch: async (url, init) => {
        const request = new Request(url, init);
        sent.push(request.clone());
        return respond(request);
      },
      readFile: async (path) => {
        const content = files[path];
        if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return Buffer.from(content);
      },
      writeFile: async (path, content) => {
        written[path] = content;
      },
      now: () => NOW,
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
    };
    return { io, out, err, sent, written };
  }

  const created = () =>
    new Response(JSON.stringify({ vpn_server: { id: 'srv-9' }, request_id: REQUEST_ID }), { status: 201 });

  it('creates with the demo credentials and a --file relative to the working directory', async () => {
    const { io, out, err, sent } = harness(created);
    const code = await run(['create-vpn-server', '--project', PROJECT, '--gateway', GATEWAY, '--file', 'body.json'], io);
    expect({ code, out, err }).toEqual({ code: 0, out: [`created vpn server srv-9 (request ${REQUEST_ID})`], err: [] });
    const [request] = sent;
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
    expect(sent[0]?.headers.get('authorization')).toContain(`Access=${AK},`);
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
