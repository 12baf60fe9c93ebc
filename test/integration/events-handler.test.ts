/** The event function in process against dynalite (contract section 7): direct invokes answer
 * `{status_code, body}` like the HTTP API; SQS batches report exactly the retryable records, acknowledge
 * and log client errors, and never create a second server for a redelivered message. */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { createApiHandler } from '../../handlers/api';
import { createEventsHandler } from '../../handlers/events';
import type { InvocationResult } from '../../lib/events/invocation';
import { DEFAULT_CREDENTIAL_CACHE_MS, createRuntime } from '../../lib/runtime';
import { capturingLogs, type LogLine } from '../support/log-lines';
import { apiEvent, callApi, requestIdHeader, type ApiRequest, type ApiResponse } from '../support/api-events';
import { checkPath, clientCaPath, exportPath, importPath, projectServersPath, serverPath } from '../support/paths';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import {
  GATEWAY,
  INACTIVE_GATEWAY,
  OTHER_PROJECT_GATEWAY,
  PROJECT,
  certAuthExample,
  certificatePem,
  passwordAuthExample,
  passwordBody,
} from '../support/requests';

jest.setTimeout(30_000);

type EventHandler = (event: unknown, context: Context) => Promise<InvocationResult | SQSBatchResponse>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[0-9a-f]{32}$/;

// The handler's store is bound to one table at import time, and a gateway takes one server: every
// test that creates takes gateways of its own from a pool of ACTIVE gateways on GATEWAY's VPC.
const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
const pool = Array.from({ length: 80 }, (_, i) => ({ ...template, id: randomUUID(), name: `events-test-${i}` }));
let taken = 0;
const freshGateway = (): string => {
  const gateway = pool[taken++];
  if (!gateway) throw new Error('the gateway pool is exhausted: make it larger');
  return gateway.id;
};

let table: LocalTable;
let handler: EventHandler;
let runtimeClient: DynamoDBClient;

beforeAll(async () => {
  const seed = demoSeed();
  table = await startLocalTable({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, ...pool] });
  // one attempt: an injected failure is not retried away by the SDK
  const runtime = createRuntime({
    tableName: table.tableName,
    dynamoDb: { endpoint: table.engine.endpoint, maxAttempts: 1, requestTimeoutMs: 5000 },
    credentialCacheMs: DEFAULT_CREDENTIAL_CACHE_MS,
  });
  handler = createEventsHandler(runtime.ports);
  runtimeClient = runtime.dynamoDb;
});

afterAll(async () => {
  await table?.close();
});

const removers: (() => void)[] = [];
afterEach(() => {
  for (const remove of removers.splice(0)) remove();
});

const context = (): Context =>
  ({
    functionName: 'p2c-vpn-dev-events',
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 20_000,
  }) as unknown as Context;

/** A direct invoke; its log lines are kept out of the test output and returned. */
const directWithLogs = async (payload: unknown): Promise<{ result: InvocationResult; logs: LogLine[] }> => {
  const { result, logs } = await capturingLogs(() => handler(payload, context()));
  return { result: result as InvocationResult, logs };
};
const direct = async (payload: unknown): Promise<InvocationResult> => (await directWithLogs(payload)).result;

const createPayload = (gatewayId: string, extra: Record<string, unknown> = {}) => ({
  action: 'CreateVpnServer',
  project_id: PROJECT,
  p2c_vgw_id: gatewayId,
  ...passwordAuthExample(),
  ...extra,
});
const listPayload = (gatewayId: string) => ({ action: 'ListVpnServersByVgw', project_id: PROJECT, p2c_vgw_id: gatewayId });

/** the stored server, read through a store of the test's own */
const storedServer = async (gatewayId: string, projectId = PROJECT) => (await table.store.readGatewayWithServer(projectId, gatewayId)).server;

function sqsRecord(payload: unknown, messageId: string = randomUUID()): SQSRecord {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const now = String(Date.now());
  return {
    messageId,
    receiptHandle: `receipt-${randomUUID()}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: now },
    messageAttributes: {},
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:p2c-vpn-dev-events',
    awsRegion: 'eu-west-1',
  };
}

/** Runs the handler on a batch and collects the structured log lines it printed. */
async function sqsBatch(records: SQSRecord[]): Promise<{ response: SQSBatchResponse; logs: LogLine[] }> {
  const { result, logs } = await capturingLogs(() => handler({ Records: records }, context()));
  return { response: result as SQSBatchResponse, logs };
}

const linesFor = (logs: LogLine[], messageId: string) => logs.filter((line) => line.message_id === messageId);
const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

/** Makes the handler's own DynamoDB calls fail (through its SDK client) when `matches` picks one. */
function injectDynamoFailure(matches: (input: Record<string, unknown>) => boolean, error: () => Error): void {
  // the store's document client shares this client's middleware stack, so the seam sees every call
  const documents = runtimeClient;
  const name = `injected-failure-${randomUUID()}`;
  documents.middlewareStack.add(
    (next) => async (args) => {
      if (matches(args.input as Record<string, unknown>)) throw error();
      return next(args);
    },
    { step: 'initialize', name },
  );
  removers.push(() => documents.middlewareStack.remove(name));
}

const awsError = (name: string, httpStatusCode: number, fault: 'client' | 'server') => () =>
  Object.assign(new Error(`${name} (injected)`), { name, $fault: fault, $metadata: { httpStatusCode } });
const internalServerError = awsError('InternalServerError', 500, 'server');
const throughputExceeded = awsError('ProvisionedThroughputExceededException', 400, 'client');

/** any call that names the gateway (the create's batched read, the list's read) */
const callsOn = (gatewayId: string) => (input: Record<string, unknown>) => JSON.stringify(input).includes(gatewayId);
/** the conditional write of the gateway's server, after the token reservation */
const serverWriteOn = (gatewayId: string) => (input: Record<string, unknown>) =>
  'Item' in input && JSON.stringify(input.Item).includes(`SERVER#${gatewayId}`);

describe('direct invoke', () => {
  test('CreateVpnServer with the password example answers 201 with the new id and a request id; the list shows it', async () => {
    const gatewayId = freshGateway();
    const { result: created, logs } = await directWithLogs(createPayload(gatewayId));
    expect(created).toEqual({
      status_code: 201,
      body: { vpn_server: { id: expect.stringMatching(UUID) }, request_id: expect.stringMatching(REQUEST_ID) },
    });
    const id = (created.body.vpn_server as { id: string }).id;
    expect(logs).toEqual([
      expect.objectContaining({ level: 'INFO', action: 'CreateVpnServer', status_code: 201, request_id: created.body.request_id }),
    ]);

    const listed = await direct(listPayload(gatewayId));
    expect(listed.status_code).toBe(200);
    expect(listed.body).toMatchObject({ total_count: 1, page_info: { current_count: 1 }, request_id: expect.stringMatching(REQUEST_ID) });
    expect(listed.body.request_id).not.toBe(created.body.request_id);
    const servers = listed.body.vpn_servers as Record<string, unknown>[];
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({
      id,
      p2c_vgw_id: gatewayId,
      client_cidr: '172.16.0.0/24',
      local_subnets: ['10.16.0.0/24', '10.16.1.0/24'],
      client_auth_type: 'LOCAL_PASSWORD',
      status: 'ACTIVE',
    });
    expect((await storedServer(gatewayId))?.id).toBe(id);
  });

  test('ListVpnServersByVgw on a gateway without a server is an empty 200 list', async () => {
    const result = await direct(listPayload(freshGateway()));
    expect(result).toEqual({
      status_code: 200,
      body: { vpn_servers: [], total_count: 0, page_info: { current_count: 0 }, request_id: expect.stringMatching(REQUEST_ID) },
    });
  });

  describe('a payload of the wrong shape is a 400 VPN.0001 result, not an exception, and writes nothing', () => {
    const target = freshGateway();
    const withoutAction = () => {
      const { action: _action, ...rest } = createPayload(target);
      return rest;
    };
    const cases: [string, () => unknown, RegExp][] = [
      ['an unknown action', () => ({ ...createPayload(target), action: 'DeleteVpnServer' }), /action/],
      ['a missing action', withoutAction, /action/],
      ['a string payload', () => 'CreateVpnServer', /./],
      ['a number payload', () => 42, /./],
      ['an array payload', () => [createPayload(target)], /./],
      ['null', () => null, /./],
      ['an unknown field', () => createPayload(target, { region: 'eu-west-1' }), /region: unknown field/],
      ['an unknown field in a list payload', () => ({ ...listPayload(target), limit: 10 }), /limit: unknown field/],
      ['an upper-case project_id', () => createPayload(target, { project_id: PROJECT.toUpperCase() }), /project_id/],
      ['a short project_id', () => ({ ...listPayload(target), project_id: 'abc' }), /project_id/],
      ['a p2c_vgw_id that is not a UUID', () => createPayload('gw-1'), /p2c_vgw_id/],
      ['a missing p2c_vgw_id on create', () => createPayload(target, { p2c_vgw_id: undefined }), /p2c_vgw_id/],
      ['a missing vpn_server', () => createPayload(target, { vpn_server: undefined }), /vpn_server/],
      ['a vpn_server that is not an object', () => createPayload(target, { vpn_server: 'SSL' }), /vpn_server/],
      ['a vpn_server with a bad client_cidr', () => createPayload(target, passwordBody({ client_cidr: '300.1.2.0/24' })), /vpn_server\.client_cidr/],
      ['a vpn_server with an unknown field', () => createPayload(target, passwordBody({ colour: 'red' })), /vpn_server\.colour: unknown field/],
      ['a client_token that is not a UUID', () => createPayload(target, { client_token: 'token-1' }), /client_token/],
    ];

    test.each(cases)('%s', async (_name, payload, message) => {
      const { result, logs } = await directWithLogs(payload());
      expect(result).toEqual({
        status_code: 400,
        body: { error_code: 'VPN.0001', error_msg: expect.stringMatching(message), request_id: expect.stringMatching(REQUEST_ID) },
      });
      expect(logs).toEqual([expect.objectContaining({ status_code: 400, error_code: 'VPN.0001', request_id: result.body.request_id })]);
      expect(await storedServer(target)).toBeUndefined();
    });
  });

  test('ListVpnServersByVgw without p2c_vgw_id is 400 VPN.0001, not a list of the whole project', async () => {
    // a server in the project, so a project-wide list would not be empty
    expect((await direct(createPayload(freshGateway()))).status_code).toBe(201);
    const { p2c_vgw_id: _gateway, ...withoutGateway } = listPayload(GATEWAY);
    const result = await direct(withoutGateway);
    expect(result.status_code).toBe(400);
    expect(result.body).toMatchObject({ error_code: 'VPN.0001', error_msg: expect.stringMatching(/p2c_vgw_id/) });
  });

  describe('business errors are results with the HTTP status and code', () => {
    test('an unknown gateway is 404 VPN.0004, for create and for list', async () => {
      const unknown = randomUUID();
      const created = await direct(createPayload(unknown));
      expect(created.status_code).toBe(404);
      expect(created.body).toMatchObject({ error_code: 'VPN.0004', error_msg: expect.stringContaining(unknown), request_id: expect.stringMatching(REQUEST_ID) });
      const listed = await direct(listPayload(unknown));
      expect([listed.status_code, listed.body.error_code]).toEqual([404, 'VPN.0004']);
    });

    test("another project's gateway is 404 VPN.0004", async () => {
      const result = await direct(createPayload(OTHER_PROJECT_GATEWAY));
      expect([result.status_code, result.body.error_code]).toEqual([404, 'VPN.0004']);
      expect(await storedServer(OTHER_PROJECT_GATEWAY, demoSeed().p2c_vpn_gateways!.find((g) => g.id === OTHER_PROJECT_GATEWAY)!.project_id)).toBeUndefined();
    });

    test('a gateway that is not ACTIVE is 409 VPN.0016', async () => {
      const result = await direct(createPayload(INACTIVE_GATEWAY));
      expect([result.status_code, result.body.error_code]).toEqual([409, 'VPN.0016']);
    });

    test('a second server on a gateway is 409 VPN.0031 and the first one stays', async () => {
      const gatewayId = freshGateway();
      const first = await direct(createPayload(gatewayId));
      expect(first.status_code).toBe(201);
      const second = await direct(createPayload(gatewayId, passwordBody({ client_cidr: '172.17.0.0/24' })));
      expect(second).toEqual({
        status_code: 409,
        body: { error_code: 'VPN.0031', error_msg: expect.stringContaining(gatewayId), request_id: expect.stringMatching(REQUEST_ID) },
      });
      expect((await storedServer(gatewayId))?.id).toBe((first.body.vpn_server as { id: string }).id);
    });

    test('certificate checks give their VPN.007x codes with status 400', async () => {
      const gatewayId = freshGateway();
      const expired = await direct(createPayload(gatewayId, passwordBody({ server_certificate: { id: 'scs1716171400001' } })));
      expect([expired.status_code, expired.body.error_code]).toEqual([400, 'VPN.0072']);

      const weak = certAuthExample();
      weak.vpn_server.client_ca_certificates = [{ name: 'weak', content: certificatePem('rsa1024-ca') }];
      const weakResult = await direct(createPayload(gatewayId, weak));
      expect([weakResult.status_code, weakResult.body.error_code]).toEqual([400, 'VPN.0070']);

      const leaf = certAuthExample();
      leaf.vpn_server.client_ca_certificates = [{ name: 'leaf', content: certificatePem('not-ca') }];
      const leafResult = await direct(createPayload(gatewayId, leaf));
      expect([leafResult.status_code, leafResult.body.error_code]).toEqual([400, 'VPN.0076']);
      expect(await storedServer(gatewayId)).toBeUndefined();
    });

    test('a client CIDR inside a route destination is 400 VPN.0001 naming the route', async () => {
      const result = await direct(createPayload(freshGateway(), passwordBody({ client_cidr: '192.168.10.0/24' })));
      expect(result.status_code).toBe(400);
      expect(result.body).toMatchObject({ error_code: 'VPN.0001', error_msg: expect.stringContaining('192.168.0.0/16') });
    });
  });

  describe('client_token', () => {
    test('the same token and payload twice answer the same id and create one server', async () => {
      const gatewayId = freshGateway();
      const token = randomUUID();
      const first = await direct(createPayload(gatewayId, { client_token: token }));
      const again = await direct(createPayload(gatewayId, { client_token: token.toUpperCase() }));
      expect([first.status_code, again.status_code]).toEqual([201, 201]);
      expect(again.body.vpn_server).toEqual(first.body.vpn_server);
      expect(again.body.request_id).not.toBe(first.body.request_id);
      expect((await storedServer(gatewayId))?.id).toBe((first.body.vpn_server as { id: string }).id);
    });

    test('the same token with another payload is 409 VPN.0031 and writes nothing', async () => {
      const [gatewayId, otherGateway] = [freshGateway(), freshGateway()];
      const token = randomUUID();
      expect((await direct(createPayload(gatewayId, { client_token: token }))).status_code).toBe(201);
      const reused = await direct(createPayload(otherGateway, { client_token: token }));
      expect([reused.status_code, reused.body.error_code]).toEqual([409, 'VPN.0031']);
      expect(await storedServer(otherGateway)).toBeUndefined();
    });
  });

  describe('failures that are not the caller’s', () => {
    test('an unexpected DynamoDB error is thrown, so the platform retries', async () => {
      const gatewayId = freshGateway();
      injectDynamoFailure(callsOn(gatewayId), internalServerError);
      await expect(direct(createPayload(gatewayId))).rejects.toThrow('InternalServerError (injected)');
      await expect(direct(listPayload(gatewayId))).rejects.toThrow('InternalServerError (injected)');
    });

    test('DynamoDB throttling is retryable: thrown as VPN.0429 so an async invoke is retried', async () => {
      const gatewayId = freshGateway();
      injectDynamoFailure(callsOn(gatewayId), throughputExceeded);
      await expect(direct(createPayload(gatewayId))).rejects.toMatchObject({ code: 'VPN.0429', status: 429 });
      expect(await storedServer(gatewayId)).toBeUndefined();
    });
  });
});

describe('SQS batches', () => {
  test('all good: no batch item failures, every create stored, a list record processed', async () => {
    const gateways = [freshGateway(), freshGateway(), freshGateway()];
    const records = [...gateways.map((gatewayId) => sqsRecord(createPayload(gatewayId))), sqsRecord(listPayload(GATEWAY))];
    const { response, logs } = await sqsBatch(records);
    expect(response).toEqual({ batchItemFailures: [] });
    for (const gatewayId of gateways) expect((await storedServer(gatewayId))?.id).toMatch(UUID);
    for (const record of records) {
      const lines = linesFor(logs, record.messageId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'INFO', status_code: record === records[3] ? 200 : 201, request_id: expect.stringMatching(REQUEST_ID) });
      expect(lines[0]).not.toHaveProperty('error_code');
    }
  });

  test('mixed: batchItemFailures names exactly the retryable records; client errors are acknowledged and logged once', async () => {
    const [good, internal, throttled] = [freshGateway(), freshGateway(), freshGateway()];
    injectDynamoFailure(callsOn(internal), internalServerError);
    injectDynamoFailure(callsOn(throttled), throughputExceeded);

    const records = {
      good: sqsRecord(createPayload(good)),
      invalid: sqsRecord(createPayload(freshGateway(), { project_id: 'not-a-project' })),
      unknownGateway: sqsRecord(createPayload(randomUUID())),
      notJson: sqsRecord('{"action": "CreateVpnServer", '),
      internal: sqsRecord(createPayload(internal)),
      throttled: sqsRecord(createPayload(throttled)),
    };
    const { response, logs } = await sqsBatch(Object.values(records));

    expect(failedIds(response)).toEqual([records.internal.messageId, records.throttled.messageId].sort());
    expect((await storedServer(good))?.id).toMatch(UUID);
    expect(await storedServer(internal)).toBeUndefined();
    expect(await storedServer(throttled)).toBeUndefined();

    const refused: [SQSRecord, number, string][] = [
      [records.invalid, 400, 'VPN.0001'],
      [records.unknownGateway, 404, 'VPN.0004'],
      [records.notJson, 400, 'VPN.0001'],
    ];
    for (const [record, status, code] of refused) {
      const lines = linesFor(logs, record.messageId);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'WARN', status_code: status, error_code: code, request_id: expect.stringMatching(REQUEST_ID) });
    }
    expect(linesFor(logs, records.good.messageId)).toEqual([expect.objectContaining({ status_code: 201 })]);
    expect(linesFor(logs, records.good.messageId)[0]).not.toHaveProperty('error_code');

    // once DynamoDB recovers, the redelivered retryable records go through
    for (const remove of removers.splice(0)) remove();
    const redelivery = await sqsBatch([sqsRecord(JSON.parse(records.internal.body), records.internal.messageId), sqsRecord(JSON.parse(records.throttled.body), records.throttled.messageId)]);
    expect(redelivery.response).toEqual({ batchItemFailures: [] });
    expect((await storedServer(internal))?.id).toMatch(UUID);
    expect((await storedServer(throttled))?.id).toMatch(UUID);
  });

  test('a batch whose every record fails retryably reports them all instead of throwing', async () => {
    const [first, second] = [freshGateway(), freshGateway()];
    injectDynamoFailure((input) => callsOn(first)(input) || callsOn(second)(input), internalServerError);
    const records = [sqsRecord(createPayload(first)), sqsRecord(createPayload(second))];
    const { response } = await sqsBatch(records);
    expect(failedIds(response)).toEqual(records.map((record) => record.messageId).sort());
  });

  test('a record whose body is not JSON is acknowledged, not retried, and logged with its request id and code', async () => {
    const record = sqsRecord('not json at all');
    const { response, logs } = await sqsBatch([record]);
    expect(response).toEqual({ batchItemFailures: [] });
    const lines = linesFor(logs, record.messageId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'WARN', status_code: 400, error_code: 'VPN.0001', request_id: expect.stringMatching(REQUEST_ID) });
  });

  test('the same message delivered twice creates one server; the redelivery is processed, not refused', async () => {
    const gatewayId = freshGateway();
    const messageId = randomUUID();
    const first = await sqsBatch([sqsRecord(createPayload(gatewayId), messageId)]);
    expect(first.response).toEqual({ batchItemFailures: [] });
    const server = await storedServer(gatewayId);
    expect(server?.id).toMatch(UUID);

    const second = await sqsBatch([sqsRecord(createPayload(gatewayId), messageId)]);
    expect(second.response).toEqual({ batchItemFailures: [] });
    expect(linesFor(second.logs, messageId)).toEqual([expect.objectContaining({ level: 'INFO', status_code: 201 })]);
    expect(await storedServer(gatewayId)).toEqual(server);
  });

  test('the same message twice in one batch (processed in parallel) creates one server, both acknowledged', async () => {
    const gatewayId = freshGateway();
    const messageId = randomUUID();
    const { response, logs } = await sqsBatch([sqsRecord(createPayload(gatewayId), messageId), sqsRecord(createPayload(gatewayId), messageId)]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(linesFor(logs, messageId).map((line) => [line.level, line.status_code])).toEqual([
      ['INFO', 201],
      ['INFO', 201],
    ]);
    expect((await storedServer(gatewayId))?.id).toMatch(UUID);
  });

  test('a crash after the reservation is completed by the redelivery, under the id the message id reserved', async () => {
    const gatewayId = freshGateway();
    const messageId = randomUUID();
    injectDynamoFailure(serverWriteOn(gatewayId), internalServerError);
    const first = await sqsBatch([sqsRecord(createPayload(gatewayId), messageId)]);
    expect(failedIds(first.response)).toEqual([messageId]);
    expect(await storedServer(gatewayId)).toBeUndefined();
    const { token } = await table.store.readForCreate({ projectId: PROJECT, gatewayId, certificateId: 'unused', clientToken: messageId });
    expect(token?.server_id).toMatch(UUID);

    for (const remove of removers.splice(0)) remove();
    const second = await sqsBatch([sqsRecord(createPayload(gatewayId), messageId)]);
    expect(second.response).toEqual({ batchItemFailures: [] });
    expect((await storedServer(gatewayId))?.id).toBe(token!.server_id);
  });

  test('two different messages for one gateway: the second is a 409 VPN.0031 client error, acknowledged and logged', async () => {
    const gatewayId = freshGateway();
    const first = sqsRecord(createPayload(gatewayId));
    expect((await sqsBatch([first])).response).toEqual({ batchItemFailures: [] });
    const second = sqsRecord(createPayload(gatewayId));
    const { response, logs } = await sqsBatch([second]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(linesFor(logs, second.messageId)).toEqual([
      expect.objectContaining({ level: 'WARN', status_code: 409, error_code: 'VPN.0031', request_id: expect.stringMatching(REQUEST_ID) }),
    ]);
  });

  test('a client_token in the payload wins over the message id: two messages with one token create one server', async () => {
    const gatewayId = freshGateway();
    const token = randomUUID();
    const records = [sqsRecord(createPayload(gatewayId, { client_token: token })), sqsRecord(createPayload(gatewayId, { client_token: token }))];
    const first = await sqsBatch([records[0]!]);
    const second = await sqsBatch([records[1]!]);
    expect([first.response, second.response]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(linesFor(second.logs, records[1]!.messageId)).toEqual([expect.objectContaining({ level: 'INFO', status_code: 201 })]);
    const { token: reservation } = await table.store.readForCreate({ projectId: PROJECT, gatewayId, certificateId: 'unused', clientToken: token });
    expect((await storedServer(gatewayId))?.id).toBe(reservation?.server_id);
  });
});

describe('the lifecycle actions (contract 10.4): the same results as the HTTP API', () => {
  let api: (event: unknown, context: unknown) => Promise<unknown>;
  beforeAll(() => {
    // the HTTP function over its own runtime on the same table
    const runtime = createRuntime({
      tableName: table.tableName,
      dynamoDb: { endpoint: table.engine.endpoint, maxAttempts: 1, requestTimeoutMs: 5000 },
      credentialCacheMs: DEFAULT_CREDENTIAL_CACHE_MS,
    });
    api = createApiHandler(runtime.ports, runtime.credentials) as unknown as typeof api;
  });

  const http = (request: Omit<ApiRequest, 'credential'>) => callApi(api, apiEvent(request));
  const IMPORTED = certificatePem('ec-p384-ca');

  /** a CERT server (the example's client CA) on a fresh gateway: its id and its CA's id */
  async function certServer(): Promise<{ gatewayId: string; serverId: string; caId: string }> {
    const gatewayId = freshGateway();
    const created = await direct({ action: 'CreateVpnServer', project_id: PROJECT, p2c_vgw_id: gatewayId, ...certAuthExample() });
    expect(created.status_code).toBe(201);
    const server = (await storedServer(gatewayId))!;
    return { gatewayId, serverId: server.id, caId: server.client_ca_certificates[0]!.id };
  }

  /** the event's result is the HTTP answer: its status, its body (request ids aside, each new) */
  function expectSameAnswer(result: InvocationResult, response: ApiResponse, replace: Record<string, string> = {}): void {
    const normalise = (body: unknown) => {
      let text = JSON.stringify(body ?? {});
      for (const [id, placeholder] of Object.entries(replace)) text = text.replaceAll(id, placeholder);
      const { request_id: _requestId, ...rest } = JSON.parse(text) as Record<string, unknown>;
      return rest;
    };
    expect(result.body.request_id).toMatch(REQUEST_ID);
    expect(result.body.request_id).not.toBe(requestIdHeader(response));
    expect([result.status_code, normalise(result.body)]).toEqual([response.status, normalise(response.json)]);
  }

  /** two identical servers, one changed by events and one by HTTP, look the same afterwards */
  async function expectTwinViews(byEvent: { serverId: string; gatewayId: string }, byHttp: { serverId: string; gatewayId: string }) {
    const view = async ({ serverId, gatewayId }: { serverId: string; gatewayId: string }) => {
      const listed = await direct(listPayload(gatewayId));
      const [server] = listed.body.vpn_servers as Record<string, unknown>[];
      const cas = (server!.client_ca_certificates as Record<string, unknown>[]).map(({ id: _id, created_at: _c, updated_at: _u, ...ca }) => ca);
      const { created_at: _created, updated_at: _updated, id, p2c_vgw_id: _gateway, ...rest } = server!;
      expect(id).toBe(serverId);
      return { ...rest, client_ca_certificates: cas };
    };
    expect(await view(byEvent)).toEqual(await view(byHttp));
  }

  test('UpdateVpnServer: 200 {request_id} like PUT; a refused update is the same 400; the twins look the same', async () => {
    const [a, b] = [await certServer(), await certServer()];
    const change = { ssl_options: { port: 1194, encryption_algorithm: 'AES-256-GCM' }, dns_servers: ['10.16.0.2'], local_subnets: ['10.16.5.0/24'] };
    const result = await direct({ action: 'UpdateVpnServer', project_id: PROJECT, vpn_server_id: a.serverId, vpn_server: change });
    const response = await http({ method: 'PUT', path: serverPath(PROJECT, b.serverId), body: { vpn_server: change } });
    expectSameAnswer(result, response);
    expect(result).toEqual({ status_code: 200, body: { request_id: expect.stringMatching(REQUEST_ID) } });
    await expectTwinViews(a, b);

    const refused = { client_cidr: '192.168.10.0/24', is_compressed: true, tunnel_protocol: 'SSL' };
    expectSameAnswer(
      await direct({ action: 'UpdateVpnServer', project_id: PROJECT, vpn_server_id: a.serverId, vpn_server: refused }),
      await http({ method: 'PUT', path: serverPath(PROJECT, a.serverId), body: { vpn_server: refused } }),
    );
    const unknown = randomUUID();
    const notFound = await direct({ action: 'UpdateVpnServer', project_id: PROJECT, vpn_server_id: unknown, vpn_server: change });
    expectSameAnswer(notFound, await http({ method: 'PUT', path: serverPath(PROJECT, unknown), body: { vpn_server: change } }));
    expect([notFound.status_code, notFound.body.error_code]).toEqual([404, 'VPN.0004']);
  });

  test('ImportClientCa, ShowClientCa, UpdateClientCa, DeleteClientCa: each as its HTTP call', async () => {
    const [a, b] = [await certServer(), await certServer()];
    const body = { client_ca_certificate: { name: 'imported_ca', content: IMPORTED } };
    const imported = await direct({ action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: a.serverId, ...body });
    const importedByHttp = await http({ method: 'POST', path: importPath(PROJECT, b.serverId), body });
    expect(imported.status_code).toBe(201);
    const [caA, caB] = [(imported.body.client_ca_certificate as { id: string }).id, importedByHttp.json?.client_ca_certificate.id as string];
    expectSameAnswer(imported, importedByHttp, { [caA]: '<ca>', [caB]: '<ca>' });
    // the same again: the name is taken, on both
    expectSameAnswer(
      await direct({ action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: a.serverId, ...body }),
      await http({ method: 'POST', path: importPath(PROJECT, a.serverId), body }),
    );
    // the certificate is held under another name: VPN.0077 on both
    const renamedBody = { client_ca_certificate: { name: 'other_name', content: IMPORTED } };
    const duplicate = await direct({ action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: a.serverId, ...renamedBody });
    expectSameAnswer(duplicate, await http({ method: 'POST', path: importPath(PROJECT, a.serverId), body: renamedBody }));
    expect([duplicate.status_code, duplicate.body.error_code]).toEqual([400, 'VPN.0077']);

    const shown = await direct({ action: 'ShowClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: caA });
    expectSameAnswer(shown, await http({ method: 'GET', path: clientCaPath(PROJECT, a.serverId, caA) }));
    expect(shown.body.client_ca_certificate).toMatchObject({ id: caA, name: 'imported_ca', signature_algorithm: expect.any(String) });
    expect(shown.body.client_ca_certificate).not.toHaveProperty('content');

    const rename = { client_ca_certificate: { name: 'renamed_ca' } };
    const renamed = await direct({ action: 'UpdateClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: caA, ...rename });
    expectSameAnswer(renamed, await http({ method: 'PUT', path: clientCaPath(PROJECT, b.serverId, caB), body: rename }));
    expect(renamed.status_code).toBe(200);
    const contentChange = { client_ca_certificate: { name: 'renamed_ca', content: IMPORTED } };
    expectSameAnswer(
      await direct({ action: 'UpdateClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: caA, ...contentChange }),
      await http({ method: 'PUT', path: clientCaPath(PROJECT, a.serverId, caA), body: contentChange }),
    );
    await expectTwinViews(a, b);

    // DeleteClientCa: 204 both; the HTTP one has no body, the event's body is its request_id
    const deleted = await direct({ action: 'DeleteClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: caA });
    const deletedByHttp = await http({ method: 'DELETE', path: clientCaPath(PROJECT, b.serverId, caB) });
    expect([deleted.status_code, deletedByHttp.status, deletedByHttp.rawBody]).toEqual([204, 204, '']);
    expect(deleted.body).toEqual({ request_id: expect.stringMatching(REQUEST_ID) });
    await expectTwinViews(a, b);
    // gone: both answer the same 404
    const gone = await direct({ action: 'ShowClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: caA });
    expectSameAnswer(gone, await http({ method: 'DELETE', path: clientCaPath(PROJECT, a.serverId, caA) }));
    expect([gone.status_code, gone.body.error_code]).toEqual([404, 'VPN.0004']);
  });

  test('CheckClientCaCertificate, ExportClientConfig and ListVpnServersByProject answer what the HTTP API answers', async () => {
    const a = await certServer();
    const check = { client_ca_certificate: { name: 'checked', content: IMPORTED } };
    const checked = await direct({ action: 'CheckClientCaCertificate', project_id: PROJECT, ...check });
    expectSameAnswer(checked, await http({ method: 'POST', path: checkPath(PROJECT), body: check }));
    expect(checked.body).toMatchObject({ name: 'checked', issuer: expect.any(String), expiration_time: expect.any(String) });
    const weak = { client_ca_certificate: { content: certificatePem('rsa1024-ca') } };
    const weakResult = await direct({ action: 'CheckClientCaCertificate', project_id: PROJECT, ...weak });
    expectSameAnswer(weakResult, await http({ method: 'POST', path: checkPath(PROJECT), body: weak }));
    expect(weakResult.body.error_code).toBe('VPN.0070');

    for (const os of [undefined, 'Linux', 'iOS']) {
      const exported = await direct({ action: 'ExportClientConfig', project_id: PROJECT, vpn_server_id: a.serverId, ...(os ? { os_type: os } : {}) });
      expectSameAnswer(exported, await http({ method: 'POST', path: exportPath(PROJECT, a.serverId), ...(os ? { body: { os_type: os } } : {}) }));
      expect(exported.body.client_config).toMatch(/^client\n/);
    }
    const badOs = await direct({ action: 'ExportClientConfig', project_id: PROJECT, vpn_server_id: a.serverId, os_type: 'Plan9' });
    expectSameAnswer(badOs, await http({ method: 'POST', path: exportPath(PROJECT, a.serverId), body: { os_type: 'Plan9' } }));
    expect(badOs.status_code).toBe(400);

    // limit as the query string carries it (the action takes the text, not a JSON number)
    const listed = await direct({ action: 'ListVpnServersByProject', project_id: PROJECT, limit: '2' });
    expectSameAnswer(listed, await http({ method: 'GET', path: projectServersPath(PROJECT), query: 'limit=2' }));
    const marker = (listed.body.page_info as { next_marker?: string }).next_marker;
    expect(marker).toEqual(expect.any(String));
    const next = await direct({ action: 'ListVpnServersByProject', project_id: PROJECT, limit: '2', marker });
    expectSameAnswer(next, await http({ method: 'GET', path: projectServersPath(PROJECT), query: `limit=2&marker=${marker}` }));
    expect((next.body.vpn_servers as unknown[]).length).toBeGreaterThan(0);
  });

  test('every lifecycle action as an SQS record: acknowledged, logged with the status the HTTP API gives, and applied', async () => {
    const a = await certServer();
    const one = async (payload: Record<string, unknown>, status: number) => {
      const record = sqsRecord(payload);
      const { response, logs } = await sqsBatch([record]);
      expect(response).toEqual({ batchItemFailures: [] });
      expect(linesFor(logs, record.messageId)).toEqual([expect.objectContaining({ status_code: status, request_id: expect.stringMatching(REQUEST_ID) })]);
    };
    await one({ action: 'UpdateVpnServer', project_id: PROJECT, vpn_server_id: a.serverId, vpn_server: { dns_servers: ['10.16.0.7'] } }, 200);
    await one({ action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate: { name: 'by_sqs', content: IMPORTED } }, 201);
    const server = (await storedServer(a.gatewayId))!;
    expect(server.dns_servers).toEqual(['10.16.0.7']);
    const added = server.client_ca_certificates.find((ca) => ca.name === 'by_sqs')!;
    expect(added).toBeDefined();
    await one({ action: 'ShowClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: added.id }, 200);
    await one({ action: 'UpdateClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: added.id, client_ca_certificate: { name: 'by_sqs_renamed' } }, 200);
    await one({ action: 'CheckClientCaCertificate', project_id: PROJECT, client_ca_certificate: { content: IMPORTED } }, 200);
    await one({ action: 'ExportClientConfig', project_id: PROJECT, vpn_server_id: a.serverId }, 200);
    await one({ action: 'ListVpnServersByProject', project_id: PROJECT }, 200);
    expect((await storedServer(a.gatewayId))!.client_ca_certificates.find((ca) => ca.id === added.id)?.name).toBe('by_sqs_renamed');
    await one({ action: 'DeleteClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: added.id }, 204);
    expect((await storedServer(a.gatewayId))!.client_ca_certificates.map((ca) => ca.id)).toEqual([a.caId]);
    // a client error is acknowledged, not retried, and logged with its code
    await one({ action: 'DeleteClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate_id: added.id }, 404);
  });

  test('an ImportClientCa record without client_token, delivered again (later, and twice in one batch), imports once', async () => {
    const a = await certServer();
    const payload = { action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate: { content: IMPORTED } };
    const messageId = randomUUID();
    const first = await sqsBatch([sqsRecord(payload, messageId)]);
    expect(first.response).toEqual({ batchItemFailures: [] });
    const afterFirst = (await storedServer(a.gatewayId))!;
    const added = afterFirst.client_ca_certificates.filter((ca) => ca.id !== a.caId);
    expect(added).toHaveLength(1);
    // the message id is the token: its reservation names the CA
    const { token } = await table.store.readServer({ projectId: PROJECT, serverId: a.serverId, clientToken: messageId });
    expect(token?.client_ca_id).toBe(added[0]!.id);

    const again = await sqsBatch([sqsRecord(payload, messageId)]);
    expect(again.response).toEqual({ batchItemFailures: [] });
    expect(linesFor(again.logs, messageId)).toEqual([expect.objectContaining({ level: 'INFO', status_code: 201 })]);
    const twice = await sqsBatch([sqsRecord(payload, messageId), sqsRecord(payload, messageId)]);
    expect(twice.response).toEqual({ batchItemFailures: [] });
    expect(linesFor(twice.logs, messageId).map((line) => line.status_code)).toEqual([201, 201]);
    expect(await storedServer(a.gatewayId)).toEqual(afterFirst);

    // another message with the same payload is another import: the certificate is already held
    const other = sqsRecord(payload);
    const refused = await sqsBatch([other]);
    expect(refused.response).toEqual({ batchItemFailures: [] });
    expect(linesFor(refused.logs, other.messageId)).toEqual([expect.objectContaining({ level: 'WARN', status_code: 400, error_code: 'VPN.0077' })]);
  });

  test('a crash after the reservation of an SQS import is completed by the redelivery, under the id the message id reserved', async () => {
    const a = await certServer();
    const payload = { action: 'ImportClientCa', project_id: PROJECT, vpn_server_id: a.serverId, client_ca_certificate: { content: IMPORTED } };
    const messageId = randomUUID();
    injectDynamoFailure(serverWriteOn(a.gatewayId), internalServerError);
    const first = await sqsBatch([sqsRecord(payload, messageId)]);
    expect(failedIds(first.response)).toEqual([messageId]);
    expect((await storedServer(a.gatewayId))!.client_ca_certificates.map((ca) => ca.id)).toEqual([a.caId]);
    const { token } = await table.store.readServer({ projectId: PROJECT, serverId: a.serverId, clientToken: messageId });
    expect(token?.client_ca_id).toMatch(UUID);

    for (const remove of removers.splice(0)) remove();
    const second = await sqsBatch([sqsRecord(payload, messageId)]);
    expect(second.response).toEqual({ batchItemFailures: [] });
    expect((await storedServer(a.gatewayId))!.client_ca_certificates.map((ca) => ca.id)).toEqual([a.caId, token!.client_ca_id]);
  });
});
