/** The event function in process against dynalite (contract section 7): direct invokes answer
 * `{status_code, body}` like the HTTP API; SQS batches report exactly the retryable records, acknowledge
 * and log client errors, and never create a second server for a redelivered message. */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { createEventsHandler } from '../../handlers/events';
import type { InvocationResult } from '../../lib/events/invocation';
import { DEFAULT_CREDENTIAL_CACHE_MS, createRuntime } from '../../lib/runtime';
import type { DynamoStore } from '../../lib/store/dynamo-store';
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
type LogLine = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[0-9a-f]{32}$/;

// The handler's store is bound to one table at import time, and a gateway takes one server: every
// test that creates takes gateways of its own from a pool of ACTIVE gateways on GATEWAY's VPC.
const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
const pool = Array.from({ length: 60 }, (_, i) => ({ ...template, id: randomUUID(), name: `events-test-${i}` }));
let taken = 0;
const freshGateway = (): string => {
  const gateway = pool[taken++];
  if (!gateway) throw new Error('the gateway pool is exhausted: make it larger');
  return gateway.id;
};

let table: LocalTable;
let handler: EventHandler;
let runtimeStore: DynamoStore;

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
  runtimeStore = runtime.store;
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

/** Powertools writes JSON lines on process.stdout (info) and process.stderr (warn, error). */
async function capturingLogs<T>(run: () => Promise<T>): Promise<{ result: T; logs: LogLine[] }> {
  let text = '';
  const capture = (chunk: string | Uint8Array): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  let result: T;
  try {
    result = await run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const logs = text.split('\n').flatMap((line): LogLine[] => {
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? [parsed as LogLine] : [];
    } catch {
      return [];
    }
  });
  return { result, logs };
}

const linesFor = (logs: LogLine[], messageId: string) => logs.filter((line) => line.message_id === messageId);
const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((failure) => failure.itemIdentifier).sort();

/** Makes the handler's own DynamoDB calls fail (through its SDK client) when `matches` picks one. */
function injectDynamoFailure(matches: (input: Record<string, unknown>) => boolean, error: () => Error): void {
  const documents: unknown = Reflect.get(runtimeStore, 'documents');
  if (!(documents instanceof DynamoDBDocumentClient)) {
    throw new Error('DynamoStore no longer keeps its document client in `documents`: update this failure seam');
  }
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
