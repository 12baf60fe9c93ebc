/** Hostile input through the HTTP handler (and the event handler), with fast-check: whatever the body,
 * headers, path or method, never a 5xx, always the Huawei body with request_id = X-Request-Id. Signed
 * requests must pass authentication so the inputs reach the body checks; some are sent unsigned. */
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  apiEvent,
  callApi,
  createEvent,
  gatewayServersPath,
  lambdaContext,
  projectServersPath,
  requestIdHeader,
  type ApiRequest,
  type ApiResponse,
} from '../support/api-events';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { GATEWAY, OTHER_PROJECT, PROJECT, SECOND_GATEWAY, certAuthExample, passwordAuthExample } from '../support/requests';
import { assertHuaweiResponse, buildHandlers, printFigures } from './support/api';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(4);
const MAX_BODY_BYTES = 262_144;

let table: LocalTable;
let handler: ReturnType<typeof buildHandlers>['api'];
let events: (event: unknown, context: unknown) => Promise<any>;
const requestIds: string[] = [];
const figures = { inputs: 0, signed: 0, unsigned: 0, statuses: new Map<number, number>(), eventPayloads: 0 };

beforeAll(async () => {
  table = await startLocalTable(seed);
  ({ api: handler, events } = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint }));
});

afterAll(async () => {
  printFigures('hostile-input', {
    inputs_tried: figures.inputs,
    signed: figures.signed,
    unsigned: figures.unsigned,
    event_payloads: figures.eventPayloads,
    statuses: [...figures.statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}x${count}`).join('/'),
    server_errors: [...figures.statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0),
  });
  logs.restore();
  await table?.close();
});

afterEach(() => {
  // no input may reach Object.prototype
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

async function send(event: APIGatewayProxyEventV2): Promise<ApiResponse> {
  figures.inputs += 1;
  if (event.headers?.authorization) figures.signed += 1;
  else figures.unsigned += 1;
  const response = await callApi(handler, event);
  figures.statuses.set(response.status, (figures.statuses.get(response.status) ?? 0) + 1);
  assertHuaweiResponse(response);
  requestIds.push(requestIdHeader(response)!);
  return response;
}

const sendRequest = (request: ApiRequest) => send(apiEvent(request));
const post = (body: unknown, options: Omit<ApiRequest, 'method' | 'path' | 'body'> = {}) =>
  sendRequest({ method: 'POST', path: gatewayServersPath(PROJECT, GATEWAY), body, ...options });

const expectCode = (response: ApiResponse, status: number, code: string) =>
  expect([response.status, response.json?.error_code]).toEqual([status, code]);

/** A signed body reached the body checks: authentication passed, and no media type or size refusal. */
function reachedBodyChecks(response: ApiResponse): void {
  if ([401, 403, 413, 415].includes(response.status)) throw new Error(`did not reach the body checks: ${response.rawBody}`);
}

const RUNS = 150;

describe('fast-check: random bodies, signed, on the create route', () => {
  test('any JSON value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        reachedBodyChecks(await post(JSON.stringify(value)));
      }),
      { numRuns: RUNS },
    );
  });

  /** The examples with one field replaced by anything, removed, or joined by a strange key. */
  const FIELD_PATHS: (string | number)[][] = [
    [],
    ['vpn_server'],
    ['vpn_server', 'tunnel_protocol'],
    ['vpn_server', 'client_cidr'],
    ['vpn_server', 'local_subnets'],
    ['vpn_server', 'local_subnets', 0],
    ['vpn_server', 'client_auth_type'],
    ['vpn_server', 'server_certificate'],
    ['vpn_server', 'server_certificate', 'id'],
    ['vpn_server', 'client_ca_certificates'],
    ['vpn_server', 'client_ca_certificates', 0],
    ['vpn_server', 'client_ca_certificates', 0, 'name'],
    ['vpn_server', 'client_ca_certificates', 0, 'content'],
    ['vpn_server', 'ssl_options'],
    ['vpn_server', 'ssl_options', 'port'],
    ['vpn_server', 'ssl_options', 'is_compressed'],
  ];
  const STRANGE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'vpn_server', 'polluted'];

  /** Applies the change; `added` says whether a new own key landed on a plain object of the body. */
  function mutate(body: any, path: (string | number)[], change: { kind: 'set' | 'delete' | 'add'; key: string; value: unknown }) {
    const root = { body };
    let parent: any = root;
    let key: string | number = 'body';
    for (const step of path) {
      if (parent[key] === null || typeof parent[key] !== 'object') return { body: root.body, added: false };
      parent = parent[key];
      key = step;
    }
    if (change.kind === 'delete') delete parent[key];
    else if (change.kind === 'set') parent[key] = change.value;
    else {
      const target = parent[key];
      if (target === null || typeof target !== 'object' || Array.isArray(target) || Object.hasOwn(target, change.key)) {
        return { body: root.body, added: false };
      }
      // an own property even for __proto__, as JSON.parse would make it
      Object.defineProperty(target, change.key, { value: change.value, enumerable: true, configurable: true, writable: true });
      return { body: root.body, added: true };
    }
    return { body: root.body, added: false };
  }

  test('the examples with one field replaced, removed, or joined by a strange key', async () => {
    const change = fc.record({
      kind: fc.constantFrom<'set' | 'delete' | 'add'>('set', 'delete', 'add'),
      key: fc.oneof(fc.constantFrom(...STRANGE_KEYS), fc.string({ maxLength: 12 })),
      value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('443', 'false', null, 443, 1194, '10.0.0.0/8', 'CERT', 'SSL')),
    });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.constantFrom(...FIELD_PATHS), change, async (certAuth, path, edit) => {
        const { body, added } = mutate(certAuth ? certAuthExample() : passwordAuthExample(), path, edit);
        const response = await post(JSON.stringify(body) ?? '');
        reachedBodyChecks(response);
        // an unknown field (or a forbidden key) is refused before anything is read or written
        if (added) expectCode(response, 400, 'VPN.0001');
      }),
      { numRuns: 300 },
    );
  });

  test('any string, including lone surrogates and control characters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 })), async (text) => {
        reachedBodyChecks(await post(text));
      }),
      { numRuns: RUNS },
    );
  });

  test('random bytes, base64 encoded by the platform (isBase64Encoded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), async (bytes) => {
        const response = await post(Buffer.from(bytes));
        reachedBodyChecks(response);
        expect(response.status).toBe(400);
      }),
      { numRuns: RUNS },
    );
  });

  test('invalid base64 text with isBase64Encoded', async () => {
    const alphabet = fc.constantFrom(...'ABCxyz019+/=-_!@#$%^&*() \n\t.,{}"'.split(''));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: alphabet, maxLength: 400 }), async (text) => {
        const response = await sendRequest({ method: 'POST', path: gatewayServersPath(PROJECT, GATEWAY), base64Body: text });
        reachedBodyChecks(response);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fast-check: random headers, paths and methods', () => {
  const headerName = fc.oneof(
    fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE', 'authorization', 'Authorization', 'x-sdk-date', 'X-Sdk-Date', 'host', 'Host'),
    fc.constantFrom('x-client-token', 'X-Client-Token', 'x-project-id', 'X-Project-Id', 'x-sdk-content-sha256', 'x-forwarded-for', 'cookie'),
    fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/),
  );
  const headerValue = fc.oneof(
    fc.string({ maxLength: 100 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.constantFrom(
      'application/json, application/json',
      'application/json,text/plain',
      'text/plain',
      'application/json; charset=utf-8',
      'SDK-HMAC-SHA256 Access=DEMOACCESSKEY0000001, SignedHeaders=x-sdk-date, Signature=00',
      '00000000-0000-0000-0000-000000000000, 00000000-0000-0000-0000-000000000001',
      '20240101T000000Z',
      PROJECT,
      `${PROJECT},${OTHER_PROJECT}`,
    ),
    fc.nat({ max: 200_000 }).map((size) => 'h'.repeat(size)),
  );

  test('extra, overriding, case-variant, comma-joined and huge headers on a signed create', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(headerName, headerValue, { maxKeys: 8 }), async (headers) => {
        await post(passwordAuthExample(), { headers, clientToken: undefined });
      }),
      { numRuns: RUNS },
    );
  });

  test('random methods and paths, signed and unsigned', async () => {
    const segment = fc.oneof(
      fc.constantFrom(PROJECT, OTHER_PROJECT, GATEWAY, GATEWAY.toUpperCase(), 'v5', 'vpn-servers', 'p2c-vpn-gateways', '..', '.', '%2F', '%zz', '%00', '%E2%82', ''),
      fc.stringMatching(/^[0-9a-f]{32}$/),
      fc.uuid(),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 10 }),
    );
    const pathArb = fc.oneof(
      fc.tuple(segment, segment).map(([project, gateway]) => `/v5/${project}/p2c-vpn-gateways/${gateway}/vpn-servers`),
      segment.map((project) => `/v5/${project}/vpn-servers`),
      fc.array(segment, { maxLength: 7 }).map((segments) => `/${segments.join('/')}`),
      fc.webPath(),
    );
    const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'get', 'post', ''), fc.string({ maxLength: 8 }));
    const query = fc.oneof(fc.constant(''), fc.constantFrom('limit=1', 'limit=0', 'limit=201', 'limit=1&limit=2', 'marker=', 'marker=%ZZ'), fc.string({ maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(method, pathArb, query, fc.boolean(), fc.option(fc.jsonValue({ maxDepth: 2 })), async (m, p, q, signed, body) => {
        const response = await sendRequest({
          method: m,
          path: p,
          query: q,
          ...(body !== null ? { body: JSON.stringify(body) } : {}),
          ...(signed ? {} : { credential: null }),
        });
        if (response.status === 404 && response.json?.error_code === 'APIGW.0101') return;
        if (!signed) expectCode(response, 401, 'APIGW.0301');
      }),
      { numRuns: 300 },
    );
  });
});

describe('specific hostile inputs', () => {
  const padTo = (size: number) => {
    const text = JSON.stringify(passwordAuthExample());
    return text + ' '.repeat(size - Buffer.byteLength(text));
  };

  test('a body over 256 KiB is 413 VPN.0001; exactly 256 KiB is read', async () => {
    expectCode(await post(padTo(MAX_BODY_BYTES + 1)), 413, 'VPN.0001');
    expectCode(await post('x'.repeat(5 * 1024 * 1024)), 413, 'VPN.0001');
    const atLimit = await sendRequest({ method: 'POST', path: gatewayServersPath(PROJECT, gateways[0]!), body: padTo(MAX_BODY_BYTES) });
    expect(atLimit.status).toBe(201);
  });

  test('the limit applies after base64 decoding', async () => {
    const atLimit = Buffer.from(padTo(MAX_BODY_BYTES));
    const response = await sendRequest({ method: 'POST', path: gatewayServersPath(PROJECT, gateways[1]!), body: atLimit });
    expect(response.status).toBe(201);
    expectCode(await post(Buffer.from(padTo(MAX_BODY_BYTES + 1))), 413, 'VPN.0001');
  });

  test.each([
    ['100,000 nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['40,000 nested objects', `${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}`],
    ['deep nesting inside a field', `{"vpn_server":{"client_cidr":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`],
    ['deep nesting under an unknown field', `{"vpn_server":{"x":${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}}}`],
  ])('%s: 400 VPN.0001, not a crash', async (_name, body) => {
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expectCode(await post(body), 400, 'VPN.0001');
  });

  test.each([
    ['__proto__ at the top', '{"__proto__":{"polluted":true},"vpn_server":{}}'],
    ['__proto__ in vpn_server', `{"vpn_server":${JSON.stringify(passwordAuthExample().vpn_server).replace(/^\{/, '{"__proto__":{"polluted":true},')}}`],
    ['__proto__ in ssl_options', JSON.stringify(passwordAuthExample()).replace('"ssl_options":{', '"ssl_options":{"__proto__":{"polluted":true},')],
    ['constructor.prototype at the top', '{"constructor":{"prototype":{"polluted":true}}}'],
    ['constructor in vpn_server', `{"vpn_server":${JSON.stringify(passwordAuthExample().vpn_server).replace(/^\{/, '{"constructor":{"polluted":true},')}}`],
    ['constructor.prototype in a client CA', JSON.stringify(certAuthExample()).replace('"content":', '"constructor":{"prototype":{"polluted":true}},"content":')],
  ])('%s: 400 VPN.0001 and no prototype pollution', async (_name, body) => {
    const response = await post(body);
    expectCode(response, 400, 'VPN.0001');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ['a stray 0xff', [0x7b, 0xff, 0x7d]],
    ['an overlong "/"', [0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]],
    ['an encoded surrogate', [0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]],
    ['a truncated sequence', [0x7b, 0x22, 0xe2, 0x82, 0x22, 0x3a, 0x31, 0x7d]],
    ['a UTF-16 body', [...Buffer.from(JSON.stringify(passwordAuthExample()), 'utf16le')]],
  ])('invalid UTF-8 (%s): 400 VPN.0001', async (_name, bytes) => {
    expectCode(await post(Buffer.from(bytes)), 400, 'VPN.0001');
  });

  test.each(['!!!not base64!!!', '====', 'e30', '%%%%', 'eyJ2cG5fc2VydmVyIjp7fX0=garbage'])('invalid base64 %j: a 400, not a crash', async (text) => {
    const response = await sendRequest({ method: 'POST', path: gatewayServersPath(PROJECT, GATEWAY), base64Body: text });
    expectCode(response, 400, 'VPN.0001');
  });

  test('huge header values: each refused with its own code, and the value is not echoed', async () => {
    const huge = 'h'.repeat(1024 * 1024);
    const cases: [Omit<ApiRequest, 'method' | 'path' | 'body'>, number, string][] = [
      [{ clientToken: huge }, 400, 'VPN.0001'],
      [{ headers: { 'x-project-id': huge } }, 403, 'VPN.0007'],
      // a charset parameter is allowed, so this one passes every check and meets the gateway's server
      [{ contentType: `application/json; charset=${huge}` }, 409, 'VPN.0031'],
      [{ contentType: huge }, 415, 'VPN.0001'],
      [{ headers: { authorization: `SDK-HMAC-SHA256 Access=${huge}, SignedHeaders=x-sdk-date, Signature=${'0'.repeat(64)}` } }, 401, 'APIGW.0301'],
      [{ headers: { 'x-sdk-date': huge } }, 401, 'APIGW.0301'],
      [{ headers: { 'user-agent': huge, cookie: huge } }, 409, 'VPN.0031'],
    ];
    // the gateway gets its server first, so a request that passes every check is a 409, never a second server
    const path = gatewayServersPath(PROJECT, gateways[3]!);
    expect((await sendRequest({ method: 'POST', path, body: passwordAuthExample() })).status).toBe(201);
    for (const [options, status, code] of cases) {
      const response = await sendRequest({ method: 'POST', path, body: passwordAuthExample(), ...options });
      expectCode(response, status, code);
      expect(response.rawBody).not.toContain('h'.repeat(64));
    }
    expect(
      (await sendRequest({ method: 'GET', path: projectServersPath(PROJECT), headers: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`x-h-${i}`, 'v'])) }))
        .status,
    ).toBe(200);
  });

  test('header names in any case work as lowercase ones (payload v1 and serverless-offline keep the case)', async () => {
    const event = createEvent(PROJECT, gateways[2]!, passwordAuthExample(), { clientToken: '3f6b8f0e-52a4-4c1e-9d3c-0a1b2c3d4e5f' });
    const upper = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);
    event.headers = Object.fromEntries(Object.entries(event.headers).map(([name, value]) => [upper(name), value]));
    expect(Object.keys(event.headers)).toEqual(expect.arrayContaining(['Content-Type', 'Authorization', 'X-Sdk-Date', 'X-Client-Token']));
    const response = await send(event);
    expect(response.status).toBe(201);
    const replay = await send(createEvent(PROJECT, gateways[2]!, passwordAuthExample(), { clientToken: '3f6b8f0e-52a4-4c1e-9d3c-0a1b2c3d4e5f' }));
    expect(replay.json?.vpn_server?.id).toBe(response.json?.vpn_server?.id);
  });

  test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'json', 'application/json-seq', '', ' application/json'])(
    'Content-Type %j: 415 VPN.0001',
    async (contentType) => {
      expectCode(await post(passwordAuthExample(), { contentType }), 415, 'VPN.0001');
    },
  );

  test('no Content-Type at all, on a signed create: 415 VPN.0001', async () => {
    expectCode(await post(passwordAuthExample(), { contentType: null }), 415, 'VPN.0001');
    expectCode(await post(undefined, { contentType: null }), 415, 'VPN.0001');
  });

  test('charset parameters and +json media types are JSON', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON;charset=UTF-8', 'application/vnd.api+json']) {
      const response = await post(passwordAuthExample(), { contentType });
      expect([response.status, response.json?.error_code]).not.toEqual([415, 'VPN.0001']);
    }
  });

  test('unsigned calls on every route are 401 APIGW.0301, whatever the body', async () => {
    for (const request of [
      { method: 'POST', path: gatewayServersPath(PROJECT, SECOND_GATEWAY), body: passwordAuthExample() },
      { method: 'GET', path: gatewayServersPath(PROJECT, SECOND_GATEWAY) },
      { method: 'GET', path: projectServersPath(PROJECT) },
      { method: 'POST', path: gatewayServersPath(PROJECT, SECOND_GATEWAY), body: '['.repeat(100_000) },
    ]) {
      expectCode(await sendRequest({ ...request, credential: null }), 401, 'APIGW.0301');
    }
  });
});

describe('the event function', () => {
  test('fast-check: any payload is a result with a status below 500 and a request_id, never a throw', async () => {
    const payload = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record(
        {
          action: fc.oneof(fc.constantFrom('CreateVpnServer', 'ListVpnServersByVgw', 'createvpnserver', ''), fc.string({ maxLength: 10 })),
          project_id: fc.oneof(fc.constant(PROJECT), fc.jsonValue({ maxDepth: 1 })),
          p2c_vgw_id: fc.oneof(fc.constant(GATEWAY), fc.jsonValue({ maxDepth: 1 })),
          client_token: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })),
          vpn_server: fc.oneof(fc.constant(passwordAuthExample().vpn_server), fc.jsonValue({ maxDepth: 3 })),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (event) => {
        figures.eventPayloads += 1;
        const result = await events(event, lambdaContext({ functionName: 'p2c-vpn-dev-events' }));
        expect(result.status_code).toBeGreaterThanOrEqual(200);
        expect(result.status_code).toBeLessThan(500);
        expect(result.body.request_id).toMatch(/^[0-9a-f]{32}$/);
        if (result.status_code >= 400) expect(typeof result.body.error_code).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });
});

test('every request_id is new, and nothing was half written', async () => {
  expect(requestIds.length).toBeGreaterThan(1_000);
  expect(new Set(requestIds).size).toBe(requestIds.length);
  const contents = await projectItems(table.client, table.tableName);
  expect(integrityProblems(contents)).toEqual([]);
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  expect(logs.lines.some((line) => line.includes('request refused'))).toBe(true);
  expect(logs.leaks()).toEqual([]);
});
