/** Throttling and timeouts through the HTTP handler: the function reaches dynalite through a proxy
 * (DYNAMODB_ENDPOINT) that answers ProvisionedThroughputExceededException, never answers, or loses the
 * answer to a write that happened. Bounded SDK retries, then 429 VPN.0429 with Retry-After, nothing
 * half written; and the client's bounds are checked against the Lambda timeout in serverless.yml. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Retry } from '@smithy/core/retry';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ANSWER_BEFORE_DEADLINE_MS } from '../../lib/http/middlewares';
import { createDynamoDbClient, dynamoDbSettingsFromEnv } from '../../lib/store/client';
import {
  callApi,
  createEvent,
  headerValue,
  lambdaContext,
  listByGatewayEvent,
  listByProjectEvent,
  type ApiResponse,
} from '../support/api-events';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { PROJECT, passwordAuthExample } from '../support/requests';
import { assertHuaweiResponse, buildHandlers, printFigures } from './support/api';
import { sortKeyOf, startFaultProxy, type FaultAction, type FaultProxy } from './support/fault-proxy';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(12);
let nextGateway = 0;
const freshGateway = () => gateways[nextGateway++]!;

/** per attempt in this file; short so that the timeout cases are quick */
const REQUEST_TIMEOUT_MS = 250;
const MAX_ATTEMPTS = 3;

let table: LocalTable;
let proxy: FaultProxy;
let handler: ReturnType<typeof buildHandlers>['api'];
const figures = { requests: 0, faultsInjected: 0, answered429: 0, halfWritten: 0, unanswered: 0 };

/** The api function's timeout in serverless.yml (functions.api.timeout), in seconds. */
function apiFunctionTimeoutSeconds(): number {
  const lines = readFileSync(path.join(__dirname, '../../serverless.yml'), 'utf8').split('\n');
  const functions = lines.findIndex((line) => /^functions:\s*$/.test(line));
  const api = lines.findIndex((line, i) => i > functions && /^ {2}api:\s*$/.test(line));
  expect([functions, api].every((index) => index >= 0)).toBe(true);
  for (let i = api + 1; i < lines.length && !/^ {0,2}\S/.test(lines[i]!); i += 1) {
    const match = /^ {4}timeout:\s*(\d+)\s*(#.*)?$/.exec(lines[i]!);
    if (match) return Number(match[1]);
  }
  throw new Error('functions.api.timeout not found in serverless.yml');
}

/** DYNAMODB_* settings serverless.yml gives the functions (provider.environment), if any. */
function deployedDynamoEnv(): NodeJS.ProcessEnv {
  const text = readFileSync(path.join(__dirname, '../../serverless.yml'), 'utf8');
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['DYNAMODB_MAX_ATTEMPTS', 'DYNAMODB_REQUEST_TIMEOUT_MS']) {
    const match = new RegExp(`^\\s+${name}:\\s*'?(\\d+)'?`, 'm').exec(text);
    if (match) env[name] = match[1];
  }
  return env;
}

const API_TIMEOUT_SECONDS = apiFunctionTimeoutSeconds();

beforeAll(async () => {
  table = await startLocalTable(seed);
  proxy = await startFaultProxy(table.engine.endpoint);
  handler = buildHandlers({ tableName: table.tableName, endpoint: proxy.endpoint, maxAttempts: MAX_ATTEMPTS, requestTimeoutMs: REQUEST_TIMEOUT_MS }).api;
});

afterAll(async () => {
  printFigures('throttling', {
    requests: figures.requests,
    faults_injected: figures.faultsInjected,
    answered_429: figures.answered429,
    unanswered: figures.unanswered,
    half_written: figures.halfWritten,
  });
  logs.restore();
  await proxy?.close();
  await table?.close();
});

beforeEach(() => {
  proxy.rule = () => 'pass';
});

/** Calls the handler; undefined when it gives no answer before `deadlineMs` (a Lambda would time out). */
async function call(event: APIGatewayProxyEventV2, context?: Context, deadlineMs = API_TIMEOUT_SECONDS * 1000): Promise<ApiResponse | undefined> {
  figures.requests += 1;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deadlineMs);
  });
  const response = await Promise.race([callApi(handler, event, context), deadline]);
  clearTimeout(timer);
  if (!response) {
    figures.unanswered += 1;
    return undefined;
  }
  assertHuaweiResponse(response);
  if (response.status === 429) figures.answered429 += 1;
  return response;
}

/** Sets the proxy's rule for the next calls and counts the faults it injects. */
function faults(rule: (operation: string, input: Record<string, any>) => FaultAction): ProxyCallLog {
  const from = proxy.calls.length;
  proxy.rule = (operation, input) => {
    const action = rule(operation, input);
    if (action !== 'pass') figures.faultsInjected += 1;
    return action;
  };
  return { since: () => proxy.calls.slice(from).map((entry) => `${entry.operation}:${entry.action}`) };
}
interface ProxyCallLog {
  /** `Operation:action` for every call the proxy saw since the rule was set */
  since(): string[];
}

const isCredentialRead = (operation: string, input: Record<string, any>) => operation === 'GetItem' && sortKeyOf(input) === 'CREDENTIAL';
const times = (count: number, entry: string) => Array.from({ length: count }, () => entry);

/** After an early answer the abandoned handler runs on (its DynamoDB attempts time out, then it sees the
 * aborted signal): wait until the proxy has been quiet for a second, so what it left can be checked. */
async function settleAbandonedWork(): Promise<void> {
  for (let seen = -1; seen !== proxy.calls.length; ) {
    seen = proxy.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function expectThrottled(response: ApiResponse | undefined): void {
  expect(response && [response.status, response.json?.error_code]).toEqual([429, 'VPN.0429']);
  expect(Number(headerValue(response!, 'Retry-After'))).toBeGreaterThanOrEqual(1);
}

async function expectNothingWritten(gatewayId: string, token?: string): Promise<void> {
  const contents = await projectItems(table.client, table.tableName);
  expect(integrityProblems(contents)).toEqual([]);
  expect(contents.servers.filter((server) => server.p2c_vgw_id === gatewayId)).toEqual([]);
  if (token) expect(contents.tokens.filter((item) => item.token === token)).toEqual([]);
}

describe('throttled DynamoDB', () => {
  test('every call throttled, even the access key read: 429 VPN.0429, 3 attempts, nothing written', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    const log = faults(() => 'throttle');
    expectThrottled(await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token })));
    expect(log.since()).toEqual(times(MAX_ATTEMPTS, 'GetItem:throttle'));
    proxy.rule = () => 'pass';
    await expectNothingWritten(gateway, token);
  });

  test('every call but the (cached) access key throttled: the batch read is tried 3 times, then 429, nothing written', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    expect((await call(listByGatewayEvent(PROJECT, gateway)))?.status).toBe(200);
    const log = faults(() => 'throttle');
    expectThrottled(await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token })));
    expect(log.since()).toEqual(times(MAX_ATTEMPTS, 'BatchGetItem:throttle'));
    proxy.rule = () => 'pass';
    await expectNothingWritten(gateway, token);
  });

  test('only the writes throttled: 429 and nothing written; once it clears the same token creates the server', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    const log = faults((operation) => (operation === 'PutItem' ? 'throttle' : 'pass'));
    expectThrottled(await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token })));
    expect(log.since().filter((entry) => entry.startsWith('PutItem'))).toEqual(times(MAX_ATTEMPTS, 'PutItem:throttle'));
    proxy.rule = () => 'pass';
    await expectNothingWritten(gateway, token);
    const retried = await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token }));
    expect(retried?.status).toBe(201);
  });

  test('the server write throttled after the token was reserved: 429, then the retry completes with the reserved id', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    faults((operation, input) => (operation === 'PutItem' && sortKeyOf(input).startsWith('SERVER#') ? 'throttle' : 'pass'));
    expectThrottled(await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token })));
    proxy.rule = () => 'pass';
    const left = await projectItems(table.client, table.tableName);
    expect(left.servers.filter((server) => server.p2c_vgw_id === gateway)).toEqual([]);
    const reservation = left.tokens.find((item) => item.token === token);
    expect(reservation?.p2c_vgw_id).toBe(gateway);
    const retried = await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token }));
    expect([retried?.status, retried?.json?.vpn_server?.id]).toEqual([201, reservation!.server_id]);
  });

  test('the project list throttled: 429 VPN.0429', async () => {
    faults((operation) => (operation === 'Query' ? 'throttle' : 'pass'));
    expectThrottled(await call(listByProjectEvent(PROJECT)));
  });

  test('a batch read that leaves every key unprocessed: the store gives up with 429, nothing written', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    const log = faults((operation) => (operation === 'BatchGetItem' ? 'unprocessed' : 'pass'));
    expectThrottled(await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token })));
    const batches = log.since().filter((entry) => entry.startsWith('BatchGetItem'));
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.length).toBeLessThanOrEqual(4);
    proxy.rule = () => 'pass';
    await expectNothingWritten(gateway, token);
  });
});

describe('lost answers to writes that happened', () => {
  test.each(['TOKEN#', 'SERVER#'])(
    'the first answer to the %s write is lost: the SDK retry finds the item and the create still answers 201 with one server',
    async (prefix) => {
      const gateway = freshGateway();
      const token = randomUUID();
      let lost = 0;
      faults((operation, input) => {
        if (operation === 'PutItem' && sortKeyOf(input).startsWith(prefix) && lost === 0) {
          lost += 1;
          return 'lose-response';
        }
        return 'pass';
      });
      const response = await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token }));
      expect(lost).toBe(1);
      // a 429 is acceptable if the retry budget ran out; then the client's retry must complete it
      const final = response?.status === 429 ? await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token })) : response;
      expect(final?.status).toBe(201);
      const contents = await projectItems(table.client, table.tableName);
      expect(integrityProblems(contents)).toEqual([]);
      expect(contents.servers.filter((server) => server.p2c_vgw_id === gateway).map((server) => server.id)).toEqual([final?.json?.vpn_server?.id]);
      expect(contents.tokens.find((item) => item.token === token)?.server_id).toBe(final?.json?.vpn_server?.id);
    },
  );
});

describe('DynamoDB that never answers', () => {
  test('every call but the (cached) access key hangs: each attempt times out, then 429 VPN.0429, nothing written', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    expect((await call(listByGatewayEvent(PROJECT, gateway)))?.status).toBe(200);
    const log = faults((operation, input) => (isCredentialRead(operation, input) ? 'pass' : 'hang'));
    const response = await call(createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: token }));
    // undefined: no answer before the Lambda timeout of serverless.yml, the requestTimeout was not enforced
    expect(response === undefined ? `no answer within ${API_TIMEOUT_SECONDS} s` : response.status).toBe(429);
    expectThrottled(response);
    expect(log.since()).toEqual(times(MAX_ATTEMPTS, 'BatchGetItem:hang'));
    proxy.rule = () => 'pass';
    await expectNothingWritten(gateway, token);
  });

  test('with a real Lambda deadline (3 s left) and DynamoDB hanging, the answer is 429 VPN.0429, not 500', async () => {
    const gateway = freshGateway();
    expect((await call(listByGatewayEvent(PROJECT, gateway)))?.status).toBe(200);
    faults((operation, input) => (isCredentialRead(operation, input) ? 'pass' : 'hang'));
    const started = Date.now();
    const context = lambdaContext({ getRemainingTimeInMillis: () => 3_000 - (Date.now() - started) });
    const response = await callApi(handler, createEvent(PROJECT, gateway, passwordAuthExample()), context);
    figures.requests += 1;
    expect([response.status, response.json?.error_code]).toEqual([429, 'VPN.0429']);
    expect(Number(headerValue(response, 'Retry-After'))).toBeGreaterThanOrEqual(1);
    proxy.rule = () => 'pass';
    await settleAbandonedWork();
    await expectNothingWritten(gateway);
  });

  test('when the Lambda deadline comes before the DynamoDB retries end, the answer is still VPN.0429, not 500', async () => {
    const gateway = freshGateway();
    expect((await call(listByGatewayEvent(PROJECT, gateway)))?.status).toBe(200);
    faults((operation, input) => (isCredentialRead(operation, input) ? 'pass' : 'hang'));
    const started = Date.now();
    // less than one attempt's requestTimeout is left: middy's early timeout fires first
    const context = lambdaContext({ getRemainingTimeInMillis: () => REQUEST_TIMEOUT_MS / 2 - (Date.now() - started) });
    const response = await callApi(handler, createEvent(PROJECT, gateway, passwordAuthExample()), context);
    figures.requests += 1;
    expect(response.status).toBeLessThan(500);
    expect([response.status, response.json?.error_code]).toEqual([429, 'VPN.0429']);
    proxy.rule = () => 'pass';
    await settleAbandonedWork();
    await expectNothingWritten(gateway);
  });
});

describe('the DynamoDB client bounds against the Lambda timeout (serverless.yml)', () => {
  const deployed = () => createDynamoDbClient(dynamoDbSettingsFromEnv({ ...deployedDynamoEnv(), DYNAMODB_ENDPOINT: '' }));

  async function bounds() {
    const client = deployed();
    const maxAttempts = await (client.config.maxAttempts)();
    const handlerConfig = await (client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;
    client.destroy();
    const requestTimeoutMs = Number(handlerConfig.requestTimeout);
    // the SDK's standard retry strategy: before retry i (0-based), up to base x 2^i, base 1 s for throttling
    const backoffMs = Array.from({ length: maxAttempts - 1 }, (_, i) => Math.max(Retry.throttlingDelay(), Retry.delay()) * 2 ** i).reduce(
      (sum, delay) => sum + delay,
      0,
    );
    return { maxAttempts, requestTimeoutMs, handlerConfig, backoffMs, perCallMs: maxAttempts * requestTimeoutMs + backoffMs };
  }

  test('retries and per-attempt timeout are set explicitly: 3 attempts of 1 s (lib/store/client.ts defaults)', async () => {
    const { maxAttempts, requestTimeoutMs, handlerConfig } = await bounds();
    expect({ maxAttempts, requestTimeoutMs, connectionTimeout: handlerConfig.connectionTimeout }).toEqual({
      maxAttempts: 3,
      requestTimeoutMs: 1_000,
      connectionTimeout: 1_000,
    });
  });

  test('the per-attempt timeout is enforced: the SDK aborts the attempt (throwOnRequestTimeout or a socket timeout)', async () => {
    const { handlerConfig, requestTimeoutMs } = await bounds();
    // without either, @smithy/node-http-handler only logs a warning when requestTimeout passes
    const enforced = handlerConfig.throwOnRequestTimeout === true || (Number(handlerConfig.socketTimeout) > 0 && Number(handlerConfig.socketTimeout) <= requestTimeoutMs);
    expect({ throwOnRequestTimeout: handlerConfig.throwOnRequestTimeout, socketTimeout: handlerConfig.socketTimeout, enforced }).toMatchObject({
      enforced: true,
    });
  });

  test('one DynamoDB call, all attempts plus backoff, ends well inside the api function timeout', async () => {
    const { perCallMs } = await bounds();
    expect(perCallMs).toBeLessThan(API_TIMEOUT_SECONDS * 1000);
  });

  test("a cold create's DynamoDB calls: the one outside middy's deadline race, at its bound, still ends before the early answer", async () => {
    const gateway = freshGateway();
    // a cold function: the access key (before the deadline guard), then the batch read, the routes,
    // the token and the server inside the handler, which middy answers ANSWER_BEFORE_DEADLINE_MS early
    const cold = buildHandlers({ tableName: table.tableName, endpoint: proxy.endpoint, maxAttempts: MAX_ATTEMPTS, requestTimeoutMs: REQUEST_TIMEOUT_MS }).api;
    const log = faults(() => 'pass');
    const response = await callApi(cold, createEvent(PROJECT, gateway, passwordAuthExample(), { clientToken: randomUUID() }));
    figures.requests += 1;
    expect(response.status).toBe(201);
    expect(log.since()).toEqual(['GetItem:pass', 'BatchGetItem:pass', 'GetItem:pass', 'PutItem:pass', 'PutItem:pass']);
    const { perCallMs } = await bounds();
    const timeoutMs = API_TIMEOUT_SECONDS * 1000;
    // the access key read is not raced by middy: at its worst it still ends before the early answer is
    // due, so every cold create is answered (by 429 at the latest) before the platform's timeout
    expect(perCallMs + ANSWER_BEFORE_DEADLINE_MS).toBeLessThan(timeoutMs);
  });
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  expect(logs.lines.some((line) => line.includes('request completed'))).toBe(true);
  expect(logs.leaks()).toEqual([]);
});
