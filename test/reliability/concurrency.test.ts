/** Concurrency through the HTTP handler in process, against dynalite: one token, many tokens on one
 * gateway, many gateways at once. Every answer that is not the expected one must be a retryable 429. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callApi, createEvent, headerValue, listByGatewayEvent, listByProjectEvent, type ApiResponse } from '../support/api-events';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { PROJECT, passwordAuthExample, passwordBody } from '../support/requests';
import { assertHuaweiResponse, buildHandlers, printFigures } from './support/api';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways, tokenMismatch } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(24);
const [ONE_TOKEN_GATEWAY, MANY_TOKENS_GATEWAY, MIXED_GATEWAY, ...PARALLEL_GATEWAYS] = gateways as [string, string, string, ...string[]];
const PARALLEL = PARALLEL_GATEWAYS.slice(0, 20);

let table: LocalTable;
let handler: ReturnType<typeof buildHandlers>['api'];
const figures = { requests: 0, maxConcurrency: 0, throttled429: 0, serversCreated: 0, duplicates: 0, orphans: 0 };
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
    assertHuaweiResponse(response);
    return response;
  } finally {
    inFlight -= 1;
  }
}

/** A 429 must be VPN.0429 with Retry-After; the same request is then sent again until it is not 429. */
async function settle(first: ApiResponse, again: () => APIGatewayProxyEventV2): Promise<ApiResponse> {
  let response = first;
  for (let attempt = 0; response.status === 429 && attempt < 10; attempt += 1) {
    figures.throttled429 += 1;
    expect(response.json?.error_code).toBe('VPN.0429');
    expect(Number(headerValue(response, 'Retry-After'))).toBeGreaterThan(0);
    response = await call(again());
  }
  return response;
}

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

    const listed = await call(listByGatewayEvent(PROJECT, ONE_TOKEN_GATEWAY));
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
    const [replay, refused] = await Promise.all([settle(await call(event(winner)), () => event(winner)), settle(await call(event(loser)), () => event(loser))]);
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
      const response = await call(listByProjectEvent(PROJECT, { query: `limit=7${marker ? `&marker=${marker}` : ''}` }));
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
  expect(logs.leaks()).toEqual([]);
});
