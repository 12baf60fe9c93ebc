/** Concurrency through the HTTP handler in process, against dynalite: one token, many tokens on one
 * gateway, many gateways at once. Every answer that is not the expected one must be a retryable 429. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiEvent, callApi, createEvent, headerValue, listByGatewayEvent, listByProjectEvent, type ApiResponse } from '../support/api-events';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { PROJECT, certAuthExample, passwordAuthExample, passwordBody } from '../support/requests';
import { buildHandlers, printFigures } from './support/api';
import { clientCaPath, importPath, serverPath } from '../support/paths';
import { assertLifecycleResponse, generateClientCas, pemLines } from './support/lifecycle';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways, tokenMismatch } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(28);
const [ONE_TOKEN_GATEWAY, MANY_TOKENS_GATEWAY, MIXED_GATEWAY, ...PARALLEL_GATEWAYS] = gateways as [string, string, string, ...string[]];
const PARALLEL = PARALLEL_GATEWAYS.slice(0, 20);
/** the lifecycle scenarios' gateways, one server each */
const [UPDATES_GATEWAY, IMPORTS_GATEWAY, ONE_IMPORT_TOKEN_GATEWAY, MIXED_CHANGES_GATEWAY] = gateways.slice(24) as [string, string, string, string];
/** a second valid server certificate of the project, for an update of server_certificate */
const SECOND_CERTIFICATE_ID = 'scs1716171477777';
seed.certificates = [
  ...(seed.certificates ?? []),
  {
    project_id: PROJECT,
    id: SECOND_CERTIFICATE_ID,
    name: 'p2c-concurrency-second-cert',
    content: readFileSync(path.join(__dirname, '../fixtures/pki/self-signed-server.pem'), 'utf8'),
  },
];
/** distinct CA certificates that pass every client CA check, made for this run */
const CLIENT_CAS = generateClientCas(15, 'Concurrency');

let table: LocalTable;
let handler: ReturnType<typeof buildHandlers>['api'];
const figures = {
  requests: 0,
  maxConcurrency: 0,
  throttled429: 0,
  serversCreated: 0,
  duplicates: 0,
  orphans: 0,
  lifecycleRequests: 0,
  updatesApplied: 0,
  clientCasImported: 0,
  importsRefused: 0,
  lostChanges: 0,
};
const tokensUsed: string[] = [];
let inFlight = 0;

beforeAll(async () => {
  table = await startLocalTable(seed);
  // the deployed bounds (1 s per attempt, 3 attempts): a 429 under load is allowed, and retried below
  handler = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint, maxAttempts: 3, requestTimeoutMs: 1000 }).api;
});

afterAll(async () => {
  printFigures('concurrency', {
    requests: figures.requests,
    max_concurrency: figures.maxConcurrency,
    retryable_429: figures.throttled429,
    servers_created: figures.serversCreated,
    duplicates: figures.duplicates,
    orphans: figures.orphans,
    lifecycle_requests: figures.lifecycleRequests,
    updates_applied: figures.updatesApplied,
    client_cas_imported: figures.clientCasImported,
    imports_refused_over_10: figures.importsRefused,
    lost_changes: figures.lostChanges,
  });
  logs.restore();
  await table?.close();
});

async function call(event: APIGatewayProxyEventV2): Promise<ApiResponse> {
  figures.requests += 1;
  inFlight += 1;
  figures.maxConcurrency = Math.max(figures.maxConcurrency, inFlight);
  try {
    const response = await callApi(handler, event);
    assertLifecycleResponse(response, event.requestContext.http.method);
    return response;
  } finally {
    inFlight -= 1;
  }
}

/** How often one request is sent again after a 429 before the test gives up on a final answer. */
const MAX_RETRIES_AFTER_429 = 40;
/** The pause before a retry: doubling from 25 ms up to the Retry-After the contract names (1 s), jittered
 * so that the retries of one burst do not meet again all at once. */
const pauseBeforeRetry = (attempt: number, retryAfterSeconds: number) =>
  sleep(Math.min(25 * 2 ** attempt, retryAfterSeconds * 1000) * (0.5 + Math.random() / 2));

/** A 429 must be VPN.0429 with Retry-After (the contract allows it under contention); the same request is
 * then sent again, after a pause, until it gets a final answer. */
async function settle(first: ApiResponse, again: () => APIGatewayProxyEventV2): Promise<ApiResponse> {
  let response = first;
  for (let attempt = 0; response.status === 429; attempt += 1) {
    figures.throttled429 += 1;
    expect(response.json?.error_code).toBe('VPN.0429');
    const retryAfter = Number(headerValue(response, 'Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    if (attempt === MAX_RETRIES_AFTER_429) throw new Error(`still 429 after ${MAX_RETRIES_AFTER_429} retries`);
    await pauseBeforeRetry(attempt, retryAfter);
    response = await call(again());
  }
  return response;
}

/** sends the request (again after each 429) until it is answered otherwise */
const callSettled = async (make: () => APIGatewayProxyEventV2) => settle(await call(make()), make);

const concurrently = <T>(count: number, run: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: count }, (_, i) => run(i)));

describe('50 concurrent creates with one X-Client-Token', () => {
  test('create exactly one server, and every 201 (and every retry of a 429) carries its id', async () => {
    const token = randomUUID();
    tokensUsed.push(token);
    const event = () => createEvent(PROJECT, ONE_TOKEN_GATEWAY, passwordAuthExample(), { clientToken: token });
    const first = await concurrently(50, () => call(event()));
    for (const response of first) expect([201, 429]).toContain(response.status);
    const settled = await Promise.all(first.map((response) => settle(response, event)));
    const ids = settled.map((response) => [response.status, response.json?.vpn_server?.id]);
    const id = ids[0]![1] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids).toEqual(Array.from({ length: 50 }, () => [201, id]));

    const { servers, tokens } = await projectItems(table.client, table.tableName);
    const onGateway = servers.filter((server) => server.p2c_vgw_id === ONE_TOKEN_GATEWAY);
    expect(onGateway.map((server) => server.id)).toEqual([id]);
    expect(tokens.filter((reservation) => reservation.token === token).map((reservation) => reservation.server_id)).toEqual([id]);
    figures.serversCreated += onGateway.length;

    const listed = await callSettled(() => listByGatewayEvent(PROJECT, ONE_TOKEN_GATEWAY));
    expect(listed.json?.vpn_servers.map((server: { id: string }) => server.id)).toEqual([id]);
  });
});

describe('50 concurrent creates with 50 tokens on one gateway', () => {
  test('exactly one 201 and 49 x 409 VPN.0031, one server, and a loser stays refused on retry', async () => {
    const tokens = Array.from({ length: 50 }, () => randomUUID());
    tokensUsed.push(...tokens);
    const event = (i: number) => createEvent(PROJECT, MANY_TOKENS_GATEWAY, passwordAuthExample(), { clientToken: tokens[i]! });
    const first = await concurrently(50, (i) => call(event(i)));
    const settled = await Promise.all(first.map((response, i) => settle(response, () => event(i))));
    const winners = settled.flatMap((response, i) => (response.status === 201 ? [i] : []));
    expect(winners).toHaveLength(1);
    const losers = settled.filter((response) => response.status !== 201);
    expect(losers.map((response) => [response.status, response.json?.error_code])).toEqual(
      Array.from({ length: 49 }, () => [409, 'VPN.0031']),
    );
    const winner = winners[0]!;
    const id = settled[winner]!.json?.vpn_server?.id as string;

    const { servers } = await projectItems(table.client, table.tableName);
    const onGateway = servers.filter((server) => server.p2c_vgw_id === MANY_TOKENS_GATEWAY);
    expect(onGateway.map((server) => server.id)).toEqual([id]);
    figures.serversCreated += onGateway.length;

    // the winner's token replays its id; a loser's token is still refused
    const loser = winner === 0 ? 1 : 0;
    const [replay, refused] = await Promise.all([callSettled(() => event(winner)), callSettled(() => event(loser))]);
    expect([replay.status, replay.json?.vpn_server?.id]).toEqual([201, id]);
    expect([refused.status, refused.json?.error_code]).toEqual([409, 'VPN.0031']);
  });
});

describe('one token, two different requests racing', () => {
  test('one body wins every call that carries it; every call with the other body is 409 VPN.0031', async () => {
    const token = randomUUID();
    tokensUsed.push(token);
    const bodies = [passwordAuthExample(), passwordBody({ client_cidr: '172.17.0.0/24' })];
    const event = (i: number) => createEvent(PROJECT, MIXED_GATEWAY, bodies[i % 2], { clientToken: token });
    const first = await concurrently(40, (i) => call(event(i)));
    const settled = await Promise.all(first.map((response, i) => settle(response, () => event(i))));
    const outcome = (parity: number) =>
      new Set(settled.filter((_, i) => i % 2 === parity).map((response) => `${response.status} ${response.json?.vpn_server?.id ?? response.json?.error_code}`));
    const [even, odd] = [outcome(0), outcome(1)];
    expect(even.size).toBe(1);
    expect(odd.size).toBe(1);
    const outcomes = [...even, ...odd].sort();
    expect(outcomes[1]).toBe('409 VPN.0031');
    expect(outcomes[0]).toMatch(/^201 [0-9a-f-]{36}$/);

    const { servers } = await projectItems(table.client, table.tableName);
    const onGateway = servers.filter((server) => server.p2c_vgw_id === MIXED_GATEWAY);
    expect(onGateway.map((server) => `201 ${server.id}`)).toEqual([outcomes[0]]);
    expect(onGateway[0]!.client_cidr).toBe(even.has(outcomes[0]!) ? '172.16.0.0/24' : '172.17.0.0/24');
    figures.serversCreated += onGateway.length;
  });
});

describe('many gateways in parallel', () => {
  test('20 gateways, each sent its create three times at once with its own token: 60 x 201, 20 servers', async () => {
    const tokens = PARALLEL.map(() => randomUUID());
    tokensUsed.push(...tokens);
    const event = (i: number) => createEvent(PROJECT, PARALLEL[i % 20]!, passwordAuthExample(), { clientToken: tokens[i % 20]! });
    const first = await concurrently(60, (i) => call(event(i)));
    const settled = await Promise.all(first.map((response, i) => settle(response, () => event(i))));
    expect(settled.map((response) => response.status)).toEqual(Array.from({ length: 60 }, () => 201));
    const idOf = (i: number) => settled[i]!.json?.vpn_server?.id as string;
    for (let i = 0; i < 20; i += 1) expect([idOf(i + 20), idOf(i + 40)]).toEqual([idOf(i), idOf(i)]);
    const ids = new Set(settled.map((_, i) => idOf(i)));
    expect(ids.size).toBe(20);

    const { servers } = await projectItems(table.client, table.tableName);
    const created = servers.filter((server) => PARALLEL.includes(server.p2c_vgw_id));
    expect(new Set(created.map((server) => server.id))).toEqual(ids);
    figures.serversCreated += created.length;
  });

  test('the project list, paged 7 at a time, shows every server of the file exactly once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let totalCount = -1;
    for (let page = 0; page < 10; page += 1) {
      const query = `limit=7${marker ? `&marker=${marker}` : ''}`;
      const response = await callSettled(() => listByProjectEvent(PROJECT, { query }));
      expect(response.status).toBe(200);
      totalCount = response.json?.total_count;
      seen.push(...(response.json?.vpn_servers ?? []).map((server: { id: string }) => server.id));
      marker = response.json?.page_info?.next_marker;
      if (!marker) break;
    }
    const { servers } = await projectItems(table.client, table.tableName);
    expect(seen.length).toBe(new Set(seen).size);
    expect(new Set(seen)).toEqual(new Set(servers.map((server) => server.id)));
    expect(totalCount).toBe(servers.length);
    expect(servers).toHaveLength(23);
  });
});

describe('concurrent lifecycle changes of one server, through the HTTP handler', () => {
  const lifecycle = (event: APIGatewayProxyEventV2) => {
    figures.lifecycleRequests += 1;
    return call(event);
  };
  const settled = async (make: () => APIGatewayProxyEventV2) => settle(await lifecycle(make()), make);
  const storedServer = async (id: string) => (await projectItems(table.client, table.tableName)).servers.find((server) => server.id === id)!;
  async function createServer(gatewayId: string, body: unknown): Promise<string> {
    const created = await settled(() => createEvent(PROJECT, gatewayId, body));
    expect(created.status).toBe(201);
    figures.serversCreated += 1;
    return created.json?.vpn_server.id as string;
  }
  const importEvent = (serverId: string, name: string, content: string, clientToken?: string) => () =>
    apiEvent({ method: 'POST', path: importPath(PROJECT, serverId), body: { client_ca_certificate: { name, content } }, ...(clientToken ? { clientToken } : {}) });

  test('10 concurrent updates (7 on disjoint fields, 3 that change nothing): every change is visible, each written once', async () => {
    const id = await createServer(UPDATES_GATEWAY, passwordAuthExample());
    const before = await storedServer(id);
    const changes = [
      { ssl_options: { port: 1194 } },
      { ssl_options: { encryption_algorithm: 'AES-256-GCM' } },
      { dns_servers: ['10.16.0.2', '10.16.0.3'] },
      { local_subnets: ['10.16.0.0/24', '10.16.1.0/24', '10.16.2.0/24'] },
      { client_cidr: '172.17.0.1/24' },
      { client_auth_type: 'CERT' },
      { server_certificate: { id: SECOND_CERTIFICATE_ID } },
      // what these set is what the server has (or absent): no write, and no stale state written back
      { ssl_options: { protocol: 'TCP' } },
      { ssl_options: { protocol: 'TCP', port: null } },
      { tunnel_protocol: null, ssl_options: { protocol: 'TCP', encryption_algorithm: null } },
    ];
    const make = (i: number) => () => apiEvent({ method: 'PUT', path: serverPath(PROJECT, id), body: { vpn_server: changes[i] } });
    const answers = await Promise.all(changes.map(async (_, i) => settled(make(i))));
    expect(answers.map((answer) => [answer.status, answer.json?.error_code])).toEqual(changes.map(() => [200, undefined]));

    const after = await storedServer(id);
    const expected = {
      id,
      created_at: before.created_at,
      status: 'ACTIVE',
      client_cidr: '172.17.0.0/24',
      local_subnets: ['10.16.0.0/24', '10.16.1.0/24', '10.16.2.0/24'],
      client_auth_type: 'CERT',
      dns_servers: ['10.16.0.2', '10.16.0.3'],
      ssl_options: { protocol: 'TCP', port: 1194, encryption_algorithm: 'AES-256-GCM', is_compressed: false },
      server_certificate: expect.objectContaining({ id: SECOND_CERTIFICATE_ID, name: 'p2c-concurrency-second-cert' }),
      // one write per change that changed something: 1 (create) + 7
      version: 8,
    };
    const lost = Object.entries(expected).filter(([field, value]) => !expect.objectContaining({ [field]: value }).asymmetricMatch(after));
    figures.lostChanges += lost.length;
    expect(after).toMatchObject(expected);
    expect(after.updated_at >= before.updated_at).toBe(true);
    figures.updatesApplied += 7;

    // the API shows the same
    const listed = await settled(() => listByGatewayEvent(PROJECT, UPDATES_GATEWAY));
    expect(listed.json?.vpn_servers[0]).toMatchObject({
      id,
      client_cidr: '172.17.0.0/24',
      dns_servers: ['10.16.0.2', '10.16.0.3'],
      ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM', authentication_algorithm: 'SHA256' },
      server_certificate: { id: SECOND_CERTIFICATE_ID },
    });
  });

  test('15 concurrent imports of distinct client CAs on one CERT server: exactly 10 imported, 5 × 400 VPN.0001', async () => {
    const id = await createServer(IMPORTS_GATEWAY, passwordAuthExample());
    // LOCAL_PASSWORD to CERT with no client CA yet is allowed: the server starts with none
    expect((await settled(() => apiEvent({ method: 'PUT', path: serverPath(PROJECT, id), body: { vpn_server: { client_auth_type: 'CERT' } } }))).status).toBe(200);
    const make = (i: number) => importEvent(id, `concurrent_ca_${i}`, CLIENT_CAS[i]!);
    const answers = await Promise.all(CLIENT_CAS.map(async (_, i) => settled(make(i))));
    const accepted = answers.flatMap((answer, i) => (answer.status === 201 ? [i] : []));
    const refused = answers.filter((answer) => answer.status !== 201);
    figures.clientCasImported += accepted.length;
    figures.importsRefused += refused.length;
    expect(accepted).toHaveLength(10);
    expect(refused.map((answer) => [answer.status, answer.json?.error_code])).toEqual(Array.from({ length: 5 }, () => [400, 'VPN.0001']));
    for (const answer of refused) expect(answer.json?.error_msg).toMatch(/already holds 10 client CA certificates/);

    const server = await storedServer(id);
    const byId = new Map(server.client_ca_certificates.map((ca) => [ca.id, ca]));
    expect(byId.size).toBe(10);
    // each 201's id names the CA its request carried
    for (const i of accepted) {
      const ca = byId.get(answers[i]!.json?.client_ca_certificate.id);
      expect([ca?.name, ca?.content]).toEqual([`concurrent_ca_${i}`, CLIENT_CAS[i]]);
    }
    expect(server.version).toBe(1 + 1 + 10);
  });

  test('20 concurrent imports with one X-Client-Token and one body: one CA, and every 201 carries its id', async () => {
    const id = await createServer(ONE_IMPORT_TOKEN_GATEWAY, certAuthExample());
    const before = await storedServer(id);
    const token = randomUUID();
    const make = importEvent(id, 'one_token_ca', CLIENT_CAS[0]!, token);
    const answers = await Promise.all(Array.from({ length: 20 }, () => settled(make)));
    const caId = answers[0]!.json?.client_ca_certificate?.id as string;
    expect(caId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answers.map((answer) => [answer.status, answer.json?.client_ca_certificate?.id])).toEqual(Array.from({ length: 20 }, () => [201, caId]));
    figures.clientCasImported += 1;

    const { servers, tokens } = await projectItems(table.client, table.tableName);
    const server = servers.find((item) => item.id === id)!;
    expect(server.client_ca_certificates.map((ca) => ca.id)).toEqual([before.client_ca_certificates[0]!.id, caId]);
    expect(server.completed_imports.filter((entry) => entry.token === token).map((entry) => entry.client_ca_id)).toEqual([caId]);
    expect(tokens.filter((reservation) => reservation.token === token).map((reservation) => reservation.client_ca_id)).toEqual([caId]);
    expect(server.version).toBe(2);
    // a later replay answers the same id and writes nothing
    const replay = await settled(make);
    expect([replay.status, replay.json?.client_ca_certificate?.id]).toEqual([201, caId]);
    expect((await storedServer(id)).version).toBe(2);
  });

  test('rename, delete, import and an update at once, five rounds on one server: no change is lost', async () => {
    const id = await createServer(MIXED_CHANGES_GATEWAY, certAuthExample());
    const kept = (await storedServer(id)).client_ca_certificates[0]!.id;
    const added: { id: string; name: string }[] = [];
    const lost: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      const doomed = (await settled(importEvent(id, `to_delete_${round}`, CLIENT_CAS[round]!))).json?.client_ca_certificate.id as string;
      const operations = [
        () => apiEvent({ method: 'PUT', path: clientCaPath(PROJECT, id, kept), body: { client_ca_certificate: { name: `kept_${round}` } } }),
        () => apiEvent({ method: 'DELETE', path: clientCaPath(PROJECT, id, doomed) }),
        importEvent(id, `added_${round}`, CLIENT_CAS[5 + round]!),
        () => apiEvent({ method: 'PUT', path: serverPath(PROJECT, id), body: { vpn_server: { dns_servers: [`10.16.0.${round + 10}`] } } }),
      ];
      const answers = await Promise.all(operations.map((make) => settled(make)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 204, 201, 200]);
      added.push({ id: answers[2]!.json?.client_ca_certificate.id, name: `added_${round}` });

      const server = await storedServer(id);
      const names = new Map(server.client_ca_certificates.map((ca) => [ca.id, ca.name]));
      if (names.get(kept) !== `kept_${round}`) lost.push(`round ${round}: rename (name ${names.get(kept)})`);
      if (names.has(doomed)) lost.push(`round ${round}: delete`);
      for (const ca of added) if (names.get(ca.id) !== ca.name) lost.push(`round ${round}: import ${ca.name}`);
      if (JSON.stringify(server.dns_servers) !== JSON.stringify([`10.16.0.${round + 10}`])) lost.push(`round ${round}: update (${JSON.stringify(server.dns_servers)})`);
      if (names.size !== 1 + added.length) lost.push(`round ${round}: ${names.size} CAs`);
    }
    figures.lostChanges += lost.length;
    expect(lost).toEqual([]);
    const shown = await settled(() => apiEvent({ method: 'GET', path: clientCaPath(PROJECT, id, kept) }));
    expect(shown.json?.client_ca_certificate).toMatchObject({ id: kept, name: 'kept_4' });
  });
});

test('the table holds no duplicate, orphan or half-written server after all of the above', async () => {
  const contents = await projectItems(table.client, table.tableName);
  const problems = integrityProblems(contents);
  const orphans = tokensUsed.map((token) => tokenMismatch(contents, token)).filter((problem) => problem !== undefined);
  figures.duplicates = problems.filter((problem) => /servers|share/.test(problem)).length;
  figures.orphans = orphans.length;
  expect([...problems, ...orphans]).toEqual([]);
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  expect(logs.lines.filter((line) => line.includes('request completed')).length).toBeGreaterThan(100);
  expect(logs.leaks(pemLines(CLIENT_CAS))).toEqual([]);
});
