/** Hostile input through the HTTP handler (and the event handler), with fast-check: whatever the body,
 * headers, path or method, never a 5xx, always the Huawei body with request_id = X-Request-Id. Signed
 * requests must pass authentication so the inputs reach the body checks; some are sent unsigned. */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  apiEvent,
  callApi,
  createEvent,
  lambdaContext,
  requestIdHeader,
  type ApiRequest,
  type ApiResponse,
} from '../support/api-events';
import { startLocalTable, type LocalTable } from '../support/local-table';
import {
  GATEWAY,
  OTHER_PROJECT,
  PROJECT,
  SECOND_GATEWAY,
  SERVER_CERTIFICATE_ID,
  certAuthExample,
  certificatePem,
  passwordAuthExample,
} from '../support/requests';
import { buildHandlers, printFigures } from './support/api';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { bodyFieldsOf, pathIdsOf, type AnyOperation } from '../../lib/operations/operation';
import { isMemberOperation, memberFixture } from '../support/members';
import { idsOf, pathOf } from '../support/samples';
import { clientCaPath, gatewayServersPath, importPath, projectServersPath, serverPath } from '../support/paths';
import { assertLifecycleResponse, generateClientCas, pemLines } from './support/lifecycle';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(8);
// the lifecycle servers' gateways have a public address, so a client profile can be exported
for (const gateway of seed.p2c_vpn_gateways ?? []) {
  if (gateway.id === gateways[4] || gateway.id === gateways[5]) gateway.eip = { ip_address: '203.0.113.44' };
}
const MAX_BODY_BYTES = 262_144;

let table: LocalTable;
let handler: ReturnType<typeof buildHandlers>['api'];
let events: (event: unknown, context: unknown) => Promise<any>;
const requestIds: string[] = [];
/** certificates made during the run: their bodies must not be logged either */
const generatedPems: string[] = [];
const figures = { inputs: 0, signed: 0, unsigned: 0, statuses: new Map<number, number>(), eventPayloads: 0, lifecycleInputs: 0, lifecycleEventPayloads: 0 };

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
    lifecycle_inputs: figures.lifecycleInputs,
    lifecycle_event_payloads: figures.lifecycleEventPayloads,
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
  // a successful DELETE is the one 204: the header, no body
  assertLifecycleResponse(response, event.requestContext.http.method.toUpperCase());
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
      fc.tuple(segment, segment).map(([project, gateway]) => gatewayServersPath(project, gateway)),
      segment.map(projectServersPath),
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

describe('the lifecycle routes (CONTRACT.md section 10)', () => {
  const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const LIFECYCLE_RUNS = 80;
  /** Most of these runs read or write the table (a 404 needs a read), about 20 ms each here: the count
   * bounds the work so that a machine ten times slower stays within the file's timeout. Every outcome
   * (no route, invalid, unknown, found) is still reached with near certainty (a miss is about 1e-6). */
  const ID_RUNS = 100;
  const ids = { certServer: '', passwordServer: '', caId: '', caName: '' };
  /** the CA the CERT server was created with (the certificate example's) */
  const heldCa = () => (certAuthExample().vpn_server.client_ca_certificates as { name: string; content: string }[])[0]!;
  const lifecycleSend = (request: ApiRequest) => {
    figures.lifecycleInputs += 1;
    return sendRequest(request);
  };

  beforeAll(async () => {
    const cert = await send(createEvent(PROJECT, gateways[4]!, certAuthExample()));
    const password = await send(createEvent(PROJECT, gateways[5]!, passwordAuthExample()));
    expect([cert.status, password.status]).toEqual([201, 201]);
    ids.certServer = cert.json?.vpn_server.id;
    ids.passwordServer = password.json?.vpn_server.id;
    const stored = (await projectItems(table.client, table.tableName)).servers.find((server) => server.id === ids.certServer)!;
    ids.caId = stored.client_ca_certificates[0]!.id;
    ids.caName = stored.client_ca_certificates[0]!.name;
  });

  /** The two servers and every other one are whole after each property. */
  afterEach(async () => {
    const contents = await projectItems(table.client, table.tableName);
    expect(integrityProblems(contents)).toEqual([]);
    expect(contents.servers.map((server) => server.id)).toEqual(expect.arrayContaining([ids.certServer, ids.passwordServer]));
  });

  /** The catalogue's operations on an existing server or CA, or that take a body without a gateway (the
   * create and the lists have their own describes above, section 11's its own below). Each is sent as its sample: the documented
   * example on the CERT server, except where SAMPLES says otherwise. A new operation joins the day it is
   * in the catalogue. */
  const LIFECYCLE = OPERATIONS.filter((operation) => {
    const pathIds = pathIdsOf(operation.path);
    return !pathIds.includes('p2c_vgw_id') && !isMemberOperation(operation) && (operation.body !== 'none' || pathIds.length > 1);
  });
  const takesCaId = (operation: AnyOperation) => pathIdsOf(operation.path).includes('client_ca_certificate_id');
  /** the lifecycle operations addressed by a server id (and a CA id) */
  const ID_ROUTES = LIFECYCLE.filter((operation) => pathIdsOf(operation.path).includes('vpn_server_id'));
  const caBody = () => ({ client_ca_certificate: { name: 'fuzz_ca', content: certificatePem('ec-p256-ca') } });
  interface Sample {
    /** runs on the password server (it changes settings a CERT server's CAs depend on) */
    onPasswordServer?: true;
    /** a fuller example than the documented one, so mutations reach more fields */
    example?: () => object;
    /** the body for the id fuzz on the CERT server, and what the real ids answer */
    idFuzz?: { body?: () => object; found: number | string };
  }
  const SAMPLES: Readonly<Record<string, Sample>> = {
    UpdateVpnServer: {
      onPasswordServer: true,
      // every updatable field, each with the value it has: a strange key added anywhere is unknown
      example: () => ({
        vpn_server: {
          client_cidr: '172.16.0.0/24',
          local_subnets: ['10.16.0.0/24', '10.16.1.0/24'],
          server_certificate: { id: SERVER_CERTIFICATE_ID },
          ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM' },
          client_auth_type: 'LOCAL_PASSWORD',
          dns_servers: ['10.16.0.2'],
        },
      }),
      idFuzz: { body: () => ({ vpn_server: { client_auth_type: 'CERT' } }), found: 200 },
    },
    ExportClientConfig: { onPasswordServer: true },
    ImportClientCa: { example: caBody, idFuzz: { body: () => ({ client_ca_certificate: { content: heldCa().content } }), found: 'VPN.0077' } },
    CheckClientCaCertificate: { example: caBody },
    UpdateClientCa: { example: () => ({ client_ca_certificate: { name: ids.caName } }) },
  };
  const sampleOf = (operation: AnyOperation): Sample => SAMPLES[operation.name] ?? {};
  const exampleOf = (operation: AnyOperation): object => sampleOf(operation).example?.() ?? structuredClone(operation.docs.example ?? {});
  const idsFor = (operation: AnyOperation, serverId?: string, caId?: string) =>
    idsOf(operation, {
      project_id: PROJECT,
      vpn_server_id: serverId ?? (sampleOf(operation).onPasswordServer ? ids.passwordServer : ids.certServer),
      client_ca_certificate_id: caId ?? ids.caId,
    });
  /** every place in the example a mutation can touch: the root, each member, the first item of each array */
  const fieldPathsOf = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
    if (value === null || typeof value !== 'object') return [at];
    const children: [string | number, unknown][] = Array.isArray(value) ? (value.length > 0 ? [[0, value[0]]] : []) : Object.entries(value);
    return [at, ...children.flatMap(([key, child]) => fieldPathsOf(child, [...at, key]))];
  };
  const BODY_ROUTES = LIFECYCLE.filter((operation) => operation.body !== 'none').map((operation) => ({
    operation,
    path: () => pathOf(operation, idsFor(operation)),
    example: () => exampleOf(operation),
    fieldPaths: fieldPathsOf(exampleOf(operation)),
  }));

  test('the samples cover the lifecycle operations of section 10', () => {
    expect(LIFECYCLE.map((operation) => operation.name).sort()).toEqual(
      expect.arrayContaining(['CheckClientCaCertificate', 'DeleteClientCa', 'ExportClientConfig', 'ImportClientCa', 'ShowClientCa', 'UpdateClientCa', 'UpdateVpnServer']),
    );
    expect(BODY_ROUTES.find((route) => route.operation.name === 'UpdateVpnServer')?.fieldPaths).toContainEqual(['vpn_server', 'local_subnets', 0]);
  });

  /** keys a body may legitimately gain (a null content on rename, say): no 400 is promised for them */
  const FIELD_NAMES = new Set(['content', 'name', 'os_type', 'client_ca_certificate', 'vpn_server']);

  /** Authentication passed, the route matched, no media type or size refusal: the body checks decided. */
  function reachedLifecycleBodyChecks(response: ApiResponse): void {
    reachedBodyChecks(response);
    if (response.json?.error_code === 'APIGW.0101') throw new Error(`the route did not match: ${response.rawBody}`);
  }

  test('fast-check: any JSON value or string as the body of every lifecycle operation that reads one', async () => {
    const body = fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)), fc.string({ maxLength: 200 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_ROUTES), body, async (route, text) => {
        reachedLifecycleBodyChecks(await lifecycleSend({ method: route.operation.method, path: route.path(), body: text }));
      }),
      { numRuns: LIFECYCLE_RUNS },
    );
  });

  test('fast-check: each route\'s valid example with one field replaced, removed, or joined by a strange key', async () => {
    const change = fc.record({
      kind: fc.constantFrom<'set' | 'delete' | 'add'>('set', 'delete', 'add'),
      key: fc.oneof(fc.constantFrom(...STRANGE_KEYS, 'is_compressed', 'tunnel_protocol', 'p2c_vgw_id', 'client_ca_certificates'), fc.string({ maxLength: 12 })),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom('443', 1194, 'AES-256-GCM', 'CERT', 'LOCAL_PASSWORD', '10.16.0.3', '010.0.0.0/8', 'Windows', 'ios', '', 'a'.repeat(65), true),
      ),
    });
    const routeAndPath = fc.constantFrom(...BODY_ROUTES).chain((route) => fc.tuple(fc.constant(route), fc.constantFrom(...route.fieldPaths)));
    await fc.assert(
      fc.asyncProperty(routeAndPath, change, async ([route, fieldPath], edit) => {
        const { body, added } = mutate(route.example(), fieldPath, edit);
        const response = await lifecycleSend({ method: route.operation.method, path: route.path(), body: JSON.stringify(body) ?? '' });
        reachedLifecycleBodyChecks(response);
        // an unknown (or fixed) field anywhere is refused, and the message names it
        if (added && !FIELD_NAMES.has(edit.key)) expectCode(response, 400, 'VPN.0001');
      }),
      { numRuns: 200 },
    );
  });

  test('the valid examples themselves are accepted (so the mutations start from a request that works)', async () => {
    for (const route of BODY_ROUTES) {
      const response = await lifecycleSend({ method: route.operation.method, path: route.path(), body: route.example() });
      // what a token-taking create makes may already be there from a mutation: then its name or content is taken
      if (route.operation.clientToken && response.status === 400) expect(['VPN.0001', 'VPN.0077']).toContain(response.json?.error_code);
      else expect(response.status).toBe(route.operation.docs.success.status);
    }
  });

  /** What the service must answer for these id segments of a matched route (raw, as on the wire). */
  function expectedForSegments(segments: { raw: string; real: string; field: string }[]): { kind: 'noroute' | 'invalid' | 'unknown' | 'found'; fields: string[] } {
    const decoded: string[] = [];
    for (const { raw } of segments) {
      if (raw === '') return { kind: 'noroute', fields: [] };
      try {
        decoded.push(decodeURIComponent(raw));
      } catch {
        return { kind: 'noroute', fields: [] };
      }
    }
    const invalid = segments.filter((_, i) => !UUID_PATTERN.test(decoded[i]!)).map((segment) => segment.field);
    if (invalid.length > 0) return { kind: 'invalid', fields: invalid };
    if (segments.some((segment, i) => decoded[i]!.toLowerCase() !== segment.real)) return { kind: 'unknown', fields: [] };
    return { kind: 'found', fields: [] };
  }

  const mixedCase = (id: string) =>
    fc.array(fc.boolean(), { minLength: id.length, maxLength: id.length }).map((upper) => [...id].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
  const percentEncodedEvery = (id: string) => [...id].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  /** raw path segments: the real id in any case (plain or fully percent-encoded), other UUIDs, junk, huge */
  const segmentFor = (real: string | undefined) =>
    fc.oneof(
      ...(real ? [mixedCase(real), mixedCase(real).map(percentEncodedEvery)] : []),
      fc.uuid().chain(mixedCase),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
      fc.string({ minLength: 1, maxLength: 20 }).filter((text) => !/[/?#]/.test(text)),
      fc.stringMatching(/^[0-9a-fA-F%-]{1,48}$/),
      fc.constantFrom('%zz', '%', '%00', '%2F', '%2f..%2f', '%E2%82', '%C0%AF', '..', '.', 'null', '{vpn_server_id}', '00000000-0000-0000-0000-00000000000g'),
      fc.nat({ max: 100_000 }).map((n) => 'a'.repeat(n + 37)),
      ...(real ? [fc.constantFrom(`${real} `, `${real}%20`, real.replace(/-/g, ''), `{${real}}`, `${real}0`)] : []),
    );

  test('fast-check: random, garbage, any-case, percent-encoded and huge ids in vpn_server_id and client_ca_certificate_id, signed', async () => {
    // a DELETE never gets the real ids here: it would delete them (a delete of the real one is its own test)
    const routes = ID_ROUTES.map((operation) => {
      const { idFuzz } = sampleOf(operation);
      const destructive = operation.method === 'DELETE';
      return { operation, body: idFuzz?.body ?? (operation.body === 'none' ? undefined : () => exampleOf(operation)), found: destructive ? 404 : (idFuzz?.found ?? operation.docs.success.status), noRealCa: destructive };
    });
    const counts = { noroute: 0, invalid: 0, unknown: 0, found: 0 };
    const arbitrary = fc
      .constantFrom(...routes)
      .chain((route) => fc.tuple(fc.constant(route), segmentFor(ids.certServer), segmentFor(route.noRealCa ? undefined : ids.caId)));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([route, serverSegment, caSegment]) => {
        const takesCa = takesCaId(route.operation);
        const segments = [{ raw: serverSegment, real: ids.certServer, field: 'vpn_server_id' }];
        if (takesCa) segments.push({ raw: caSegment, real: ids.caId, field: 'client_ca_certificate_id' });
        const path = pathOf(route.operation, { project_id: PROJECT, vpn_server_id: serverSegment, client_ca_certificate_id: caSegment });
        const response = await lifecycleSend({ method: route.operation.method, path, ...(route.body ? { body: route.body() } : {}) });
        const expected = expectedForSegments(segments);
        counts[expected.kind] += 1;
        expect(response.rawBody.length).toBeLessThan(4_096);
        if (expected.kind === 'noroute') return expectCode(response, 404, 'APIGW.0101');
        if (expected.kind === 'invalid') {
          expectCode(response, 400, 'VPN.0001');
          for (const field of expected.fields) expect(response.json?.error_msg).toContain(field);
          return;
        }
        if (expected.kind === 'unknown') return expectCode(response, 404, 'VPN.0004');
        if (route.found === 'VPN.0077') expectCode(response, 400, 'VPN.0077');
        else expect(response.status).toBe(route.found);
      }),
      { numRuns: ID_RUNS },
    );
    // the generators reached every outcome
    expect(Object.values(counts).every((count) => count > 0)).toBe(true);
  });

  test('the same ids unsigned: 401 APIGW.0301 whenever a route matched, before any id is looked at', async () => {
    const arbitrary = fc.tuple(fc.constantFrom(...ID_ROUTES), segmentFor(ids.certServer), segmentFor(ids.caId));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([operation, serverSegment, caSegment]) => {
        const ca = takesCaId(operation);
        const path = pathOf(operation, { project_id: PROJECT, vpn_server_id: serverSegment, client_ca_certificate_id: caSegment });
        const response = await lifecycleSend({ method: operation.method, path, body: '{}', credential: null });
        const expected = expectedForSegments([{ raw: serverSegment, real: ids.certServer, field: '' }, ...(ca ? [{ raw: caSegment, real: ids.caId, field: '' }] : [])]);
        if (expected.kind === 'noroute') expectCode(response, 404, 'APIGW.0101');
        else expectCode(response, 401, 'APIGW.0301');
      }),
      { numRuns: LIFECYCLE_RUNS },
    );
  });

  test.each([
    ['an empty object', '{}'],
    ['client_ca_certificate null', '{"client_ca_certificate":null}'],
    ['client_ca_certificate a string', '{"client_ca_certificate":"x"}'],
    ['the import body', null],
  ])('UpdateClientCa with %s as the body: 400 VPN.0001 naming client_ca_certificate, by HTTP and by event', async (_name, text) => {
    const body = text ?? JSON.stringify({ client_ca_certificate: heldCa() });
    const response = await lifecycleSend({ method: 'PUT', path: clientCaPath(PROJECT, ids.certServer, ids.caId), body });
    expectCode(response, 400, 'VPN.0001');
    expect(response.json?.error_msg).toContain('client_ca_certificate');
    figures.lifecycleEventPayloads += 1;
    const { client_ca_certificate: ca } = JSON.parse(body) as { client_ca_certificate?: unknown };
    const result = await events(
      { action: 'UpdateClientCa', project_id: PROJECT, vpn_server_id: ids.certServer, client_ca_certificate_id: ids.caId, ...(ca !== undefined ? { client_ca_certificate: ca } : {}) },
      lambdaContext({ functionName: 'p2c-vpn-dev-events' }),
    );
    expect([result.status_code, result.body.error_code]).toEqual([400, 'VPN.0001']);
  });

  test('a DELETE with the ids in upper case deletes the CA (204, the header, no body); the CA then is 404 and can be imported again', async () => {
    const path = clientCaPath(PROJECT, ids.certServer.toUpperCase(), ids.caId.toUpperCase());
    const deleted = await lifecycleSend({ method: 'DELETE', path });
    expect(deleted.status).toBe(204);
    expect(deleted.rawBody).toBe('');
    expectCode(await lifecycleSend({ method: 'GET', path }), 404, 'VPN.0004');
    expectCode(await lifecycleSend({ method: 'DELETE', path }), 404, 'VPN.0004');
    const again = await lifecycleSend({ method: 'POST', path: importPath(PROJECT, ids.certServer), body: { client_ca_certificate: heldCa() } });
    expect(again.status).toBe(201);
    ids.caId = again.json?.client_ca_certificate.id;
    ids.caName = heldCa().name;
  });

  test('fast-check: random methods on the new paths, signed and unsigned: exactly the defined routes exist', async () => {
    // one template per path of the lifecycle operations, with the methods the catalogue defines on it
    const templates = [...new Set(LIFECYCLE.map((operation) => operation.path))].map((template) => {
      const defined = LIFECYCLE.filter((operation) => operation.path === template);
      return { path: () => pathOf(defined[0]!, idsFor(defined[0]!)), methods: defined.map((operation): string => operation.method) };
    });
    const method = fc.oneof(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'get', 'put', 'Post', 'delete', ''),
      fc.string({ maxLength: 8 }),
    );
    let deletes = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), method, fc.boolean(), fc.option(fc.jsonValue({ maxDepth: 2 })), async (template, m, signed, body) => {
        const response = await lifecycleSend({
          method: m,
          path: template.path(),
          ...(body !== null ? { body: JSON.stringify(body) } : {}),
          ...(signed ? {} : { credential: null }),
        });
        const defined = template.methods.includes(m.toUpperCase());
        if (!defined) return expectCode(response, 404, 'APIGW.0101');
        if (!signed) return expectCode(response, 401, 'APIGW.0301');
        expect([401, 403]).not.toContain(response.status);
        expect(response.json?.error_code).not.toBe('APIGW.0101');
        if (response.status === 204) deletes += 1;
      }),
      { numRuns: LIFECYCLE_RUNS },
    );
    // a signed DELETE of the real CA deleted it: it is back for what follows
    if (deletes > 0) {
      const again = await lifecycleSend({ method: 'POST', path: importPath(PROJECT, ids.certServer), body: { client_ca_certificate: heldCa() } });
      if (again.status === 201) ids.caId = again.json?.client_ca_certificate.id;
    }
  });

  test('a server whose record holds a day of token imports (3,600 import-and-delete cycles) still takes its changes without a 5xx', async () => {
    const created = await send(createEvent(PROJECT, gateways[6]!, certAuthExample()));
    expect(created.status).toBe(201);
    const serverId = created.json?.vpn_server.id as string;
    const stored = (await projectItems(table.client, table.tableName)).servers.find((server) => server.id === serverId)!;
    // what 3,600 POST .../client-ca-certificates with X-Client-Token, each followed by its DELETE, leave within
    // 24 h (each completed import stays on the server for the token's retention); written directly instead
    // of sending the 7,200 requests, which take a minute here
    const expiresAt = Math.floor(Date.now() / 1000) + 23 * 3600;
    const completed = Array.from({ length: 3_600 }, () => ({ token: randomUUID(), client_ca_id: randomUUID(), expires_at: expiresAt }));
    await DynamoDBDocumentClient.from(table.client).send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk: `PROJECT#${PROJECT}`, sk: `SERVER#${gateways[6]}`, ...stored, completed_imports: completed, version: stored.version + 3_600 * 2 },
      }),
    );
    const caId = stored.client_ca_certificates[0]!.id;
    // then the day goes on: nine more token imports (up to the 10 CAs a server holds), an update, a rename, a delete
    const answers: ApiResponse[] = [];
    generatedPems.push(...generateClientCas(9, 'Item size'));
    for (const content of generatedPems.slice(-9)) {
      answers.push(await lifecycleSend({ method: 'POST', path: importPath(PROJECT, serverId), body: { client_ca_certificate: { content } }, clientToken: randomUUID() }));
    }
    answers.push(await lifecycleSend({ method: 'PUT', path: serverPath(PROJECT, serverId), body: { vpn_server: { dns_servers: ['10.16.0.2'] } } }));
    answers.push(await lifecycleSend({ method: 'PUT', path: clientCaPath(PROJECT, serverId, caId), body: { client_ca_certificate: { name: 'renamed_ca' } } }));
    answers.push(await lifecycleSend({ method: 'DELETE', path: clientCaPath(PROJECT, serverId, caId) }));
    // send() refuses a 5xx; each change is applied or refused with a client error, never VPN.0002
    expect(answers.map((answer) => answer.json?.error_code ?? answer.status)).not.toContain('VPN.0002');
  });

  test('fast-check: random event payloads for the lifecycle actions: a result below 500 with a request_id, never a throw', async () => {
    const anyCaseId = (real: string) => fc.oneof(mixedCase(real), fc.uuid(), fc.jsonValue({ maxDepth: 1 }), fc.string({ maxLength: 40 }));
    const field = {
      project_id: fc.oneof(fc.constant(PROJECT), fc.constant(PROJECT), fc.constant(OTHER_PROJECT), fc.jsonValue({ maxDepth: 1 })),
      vpn_server_id: fc.oneof(anyCaseId(ids.certServer), anyCaseId(ids.passwordServer)),
      client_ca_certificate_id: anyCaseId(ids.caId),
      client_token: fc.oneof(fc.uuid(), fc.jsonValue({ maxDepth: 1 })),
      vpn_server: fc.oneof(
        fc.constant({ dns_servers: ['10.16.0.9'] }),
        fc.constant({ ssl_options: { port: 1194 } }),
        fc.constant({ client_auth_type: 'CERT' }),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      client_ca_certificate: fc.oneof(
        fc.constant({ content: certificatePem('ec-p384-ca') }),
        fc.constant({ name: 'renamed_by_event' }),
        fc.record({ name: fc.string({ maxLength: 70 }), content: fc.string({ maxLength: 100 }) }, { requiredKeys: [] }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
      os_type: fc.oneof(fc.constantFrom('Windows', 'Linux', 'MacOS', 'Android', 'iOS', 'ios', null), fc.jsonValue({ maxDepth: 1 })),
      limit: fc.oneof(fc.integer({ min: -5, max: 300 }), fc.jsonValue({ maxDepth: 1 })),
      marker: fc.oneof(fc.base64String({ maxLength: 60 }), fc.jsonValue({ maxDepth: 1 })),
    };
    type Field = keyof typeof field;
    const arbitraryFor = (key: string): fc.Arbitrary<unknown> => (key in field ? field[key as Field] : fc.jsonValue({ maxDepth: 2 }));
    /** each action's own fields (contract 10.4: the path's ids, the query, the token, the body's members),
     * each sometimes left out; sometimes a stray one joins */
    const ACTIONS = [...LIFECYCLE, ...OPERATIONS.filter((operation) => operation.name === 'ListVpnServersByProject')].map((operation) => ({
      action: operation.name,
      required: [...pathIdsOf(operation.path).filter((key) => key !== 'project_id'), ...(operation.body === 'required' ? bodyFieldsOf(operation) : [])],
      optional: ['project_id', ...(operation.query ?? []), ...(operation.clientToken ? ['client_token'] : []), ...(operation.body === 'optional' ? bodyFieldsOf(operation) : [])],
    }));
    const ALL_FIELDS = Object.keys(field) as Field[];
    const actionPayload = fc
      .tuple(fc.constantFrom(...ACTIONS), fc.option(fc.constantFrom(...ALL_FIELDS), { freq: 4 }))
      .chain(([{ action, required, optional }, stray]) => {
        const own = [...required, ...optional];
        const keys = stray && !own.includes(stray) ? [...own, stray] : own;
        return fc.record(Object.fromEntries(keys.map((key) => [key, arbitraryFor(key)])), { requiredKeys: required }).map((fields) => ({ action, ...fields }));
      });
    const payload = fc.oneof(
      { arbitrary: fc.anything({ maxDepth: 3 }), weight: 1 },
      { arbitrary: fc.record({ action: fc.oneof(fc.constantFrom('updatevpnserver', 'DeleteVpnServer', ''), fc.string({ maxLength: 10 })) }), weight: 1 },
      { arbitrary: actionPayload, weight: 6 },
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(payload, async (event) => {
        figures.lifecycleEventPayloads += 1;
        const result = await events(event, lambdaContext({ functionName: 'p2c-vpn-dev-events' }));
        statuses.add(result.status_code);
        expect(result.status_code).toBeGreaterThanOrEqual(200);
        expect(result.status_code).toBeLessThan(500);
        expect(result.body.request_id).toMatch(/^[0-9a-f]{32}$/);
        if (result.status_code >= 400) {
          expect(result.body.error_code).toMatch(/^VPN\.\d{4}$/);
          expect(typeof result.body.error_msg).toBe('string');
        }
      }),
      { numRuns: 200 },
    );
    // the payloads reached past the shape checks
    expect([...statuses].some((status) => status !== 400)).toBe(true);
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

describe('the users, groups and policies routes (CONTRACT.md section 11)', () => {
  const MEMBER_RUNS = 100;
  const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const MEMBER_OPERATIONS = OPERATIONS.filter(isMemberOperation);
  const BODY_OPERATIONS = MEMBER_OPERATIONS.filter((operation) => operation.body !== 'none');
  /** a password server with a user in a custom group and a policy of that group */
  let ids: Record<string, string> = {};
  const pathFor = (operation: AnyOperation, own: Record<string, string> = ids) => pathOf(operation, idsOf(operation, { project_id: PROJECT, ...own }));
  const exampleOf = (operation: AnyOperation) => structuredClone(operation.docs.example ?? {});
  /** the members a body of section 11 may hold: adding one is no unknown field */
  const FIELDS = new Set(['user', 'users', 'user_group', 'access_policy', 'name', 'password', 'description', 'user_group_id', 'user_group_name', 'static_ip', 'id', 'dest_ip_cidrs', 'old_password', 'new_password']);
  const fieldPathsOf = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
    if (value === null || typeof value !== 'object') return [at];
    const children: [string | number, unknown][] = Array.isArray(value) ? (value.length > 0 ? [[0, value[0]]] : []) : Object.entries(value);
    return [at, ...children.flatMap(([key, child]) => fieldPathsOf(child, [...at, key]))];
  };

  beforeAll(async () => {
    ids = await memberFixture((payload) => events(payload, {}), PROJECT, gateways[7]!);
  });

  test('the section 11 operations are all here, every one with a body has an example', () => {
    expect(MEMBER_OPERATIONS).toHaveLength(22);
    for (const operation of BODY_OPERATIONS) expect([operation.name, operation.docs.example]).toEqual([operation.name, expect.any(Object)]);
  });

  test('fast-check: any JSON value or string as the body of each that reads one: the body checks answer, never a 5xx', async () => {
    const body = fc.oneof(fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)), fc.string({ maxLength: 200 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BODY_OPERATIONS), body, async (operation, text) => {
        const response = await sendRequest({ method: operation.method, path: pathFor(operation), body: text });
        reachedBodyChecks(response);
        expect(response.status).toBeLessThan(500);
        expect(response.json?.error_code).not.toBe('APIGW.0101');
      }),
      { numRuns: MEMBER_RUNS },
    );
  });

  test('fast-check: each example with one field replaced, removed or joined by a strange key: an unknown key is 400', async () => {
    const change = fc.record({
      kind: fc.constantFrom<'set' | 'delete' | 'add'>('set', 'delete', 'add'),
      key: fc.oneof(fc.constantFrom(...STRANGE_KEYS, 'type', 'user_number', 'created_at'), fc.string({ maxLength: 12 })),
      value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('', 'disable', '192.168.0.5', '0.0.0.0/0', 'default', 'a'.repeat(65), 'Typhoeus123', null, [], {})),
    });
    const operationAndPath = fc.constantFrom(...BODY_OPERATIONS).chain((operation) => fc.tuple(fc.constant(operation), fc.constantFrom(...fieldPathsOf(exampleOf(operation)))));
    await fc.assert(
      fc.asyncProperty(operationAndPath, change, async ([operation, fieldPath], edit) => {
        const { body, added } = mutate(exampleOf(operation), fieldPath, edit);
        const response = await sendRequest({ method: operation.method, path: pathFor(operation), body: JSON.stringify(body) ?? '' });
        reachedBodyChecks(response);
        expect(response.status).toBeLessThan(500);
        if (added && !FIELDS.has(edit.key)) {
          expectCode(response, 400, 'VPN.0001');
        }
      }),
      { numRuns: 2 * MEMBER_RUNS },
    );
  });

  test('fast-check: garbage, any-case and unknown ids in the server and member ids of the reads: 400 naming the field, 404, or the answer', async () => {
    const reads = MEMBER_OPERATIONS.filter((operation) => operation.method === 'GET');
    const segment = (real: string) =>
      fc.oneof(
        fc.constant(real),
        fc.constant(real.toUpperCase()),
        fc.uuid(),
        fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
        fc.constantFrom('%zz', '..', 'null', '00000000-0000-0000-0000-00000000000g', 'a'.repeat(300)),
      );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), segment(ids.vpn_server_id!), segment(ids.user_id!), segment(ids.group_id!), segment(ids.policy_id!), async (operation, server, user, group, policy) => {
        const given: Record<string, string> = { vpn_server_id: server, user_id: user, group_id: group, policy_id: policy };
        const response = await sendRequest({ method: 'GET', path: pathOf(operation, { project_id: PROJECT, ...given }) });
        expect(response.status).toBeLessThan(500);
        if (response.json?.error_code === 'APIGW.0101') return;
        const named = pathIdsOf(operation.path).filter((name) => name !== 'project_id');
        let decoded: string[];
        try {
          decoded = named.map((name) => decodeURIComponent(given[name]!));
        } catch {
          return expectCode(response, 404, 'APIGW.0101');
        }
        const invalid = named.filter((_, index) => !UUID_PATTERN.test(decoded[index]!));
        if (invalid.length > 0) {
          expectCode(response, 400, 'VPN.0001');
          for (const name of invalid) expect(response.json?.error_msg).toContain(name);
        } else if (named.some((name, index) => decoded[index]!.toLowerCase() !== ids[name])) {
          expectCode(response, 404, 'VPN.0004');
        } else expect(response.status).toBe(200);
      }),
      { numRuns: MEMBER_RUNS },
    );
  });

  test('fast-check: the section 11 actions as events with fuzzed members: never a 5xx', async () => {
    const payload = fc.record(
      {
        action: fc.constantFrom(...MEMBER_OPERATIONS.map((operation) => operation.name)),
        project_id: fc.constantFrom(PROJECT, 'x'),
        vpn_server_id: fc.constantFrom(ids.vpn_server_id ?? '', randomUUID(), 'junk'),
        user_id: fc.constantFrom(ids.user_id ?? '', randomUUID()),
        group_id: fc.constantFrom(ids.group_id ?? '', randomUUID()),
        policy_id: fc.constantFrom(ids.policy_id ?? '', randomUUID()),
        user: fc.jsonValue({ maxDepth: 2 }),
        users: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant([{ id: randomUUID() }])),
        user_group: fc.jsonValue({ maxDepth: 2 }),
        access_policy: fc.jsonValue({ maxDepth: 2 }),
        new_password: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })),
        limit: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
        marker: fc.string({ maxLength: 40 }),
      },
      { requiredKeys: ['action', 'project_id'] },
    );
    await fc.assert(
      fc.asyncProperty(payload, async (event) => {
        figures.eventPayloads += 1;
        const result = await events(event, lambdaContext({ functionName: 'p2c-vpn-dev-events' }));
        expect(result.status_code).toBeLessThan(500);
        if (result.status_code >= 400) expect(typeof result.body.error_code).toBe('string');
      }),
      { numRuns: MEMBER_RUNS },
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
  expect(logs.leaks(pemLines(generatedPems))).toEqual([]);
});
