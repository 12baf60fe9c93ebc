import { ConditionalCheckFailedException, DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { keys } from '../../lib/store/keys';
import { createStore } from '../../lib/store/store';
import { RETRY_AFTER_SECONDS } from '../../lib/core/errors';
import type { Gateway } from '../../lib/core/gateway';
import type { VpnServerRecord } from '../../lib/vpn-servers/records';
import type { TokenReservation } from '../../lib/core/client-token';
import { failure } from '../support/use-cases';

const TABLE = 'p2c-vpn-test';
const PROJECT = '0123456789abcdef0123456789abcdef';
const GATEWAY = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const VPC = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const TOKEN = '0b6a9a52-36a1-4bd2-9d3b-6d7c1a2b3c4d';
const CERT = 'scs1716171403922';

const documents = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  documents.reset();
});

afterAll(() => {
  documents.restore();
});

const newStore = () => createStore(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), TABLE);

const gateway: Gateway = {
  project_id: PROJECT,
  id: GATEWAY,
  name: 'gw',
  vpc_id: VPC,
  status: 'ACTIVE',
  max_connection_number: 50,
};

const item = (key: { pk: string; sk: string }, record: object) => ({ ...key, ...record });

function serverRecord(gatewayId: string, id = 'srv-1'): VpnServerRecord {
  return {
    id,
    project_id: PROJECT,
    p2c_vgw_id: gatewayId,
    tunnel_protocol: 'SSL',
    client_cidr: '172.16.0.0/24',
    local_subnets: ['10.0.0.0/24'],
    client_auth_type: 'LOCAL_PASSWORD',
    server_certificate: {
      id: CERT,
      name: 'cert',
      issuer: 'CN=ca',
      subject: 'CN=server',
      serial_number: '01',
      expiration_time: '2125-01-01T00:00:00Z',
      signature_algorithm: 'SHA256withRSA',
    },
    client_ca_certificates: [],
    ssl_options: { protocol: 'TCP', port: 443, encryption_algorithm: 'AES-128-GCM', is_compressed: false },
    dns_servers: [],
    completed_imports: [],
    version: 1,
    status: 'ACTIVE',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}

const reservation = (overrides: Partial<TokenReservation> = {}): TokenReservation => ({
  project_id: PROJECT,
  token: TOKEN,
  fingerprint: 'f'.repeat(64),
  server_id: 'srv-1',
  p2c_vgw_id: GATEWAY,
  expires_at: 2_000_000_000,
  ...overrides,
});

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const namedError = (name: string, message = name) => Object.assign(new Error(message), { name });

const batchKeys = (call: number) => {
  const input = documents.commandCalls(BatchGetCommand)[call]?.args[0].input;
  return input?.RequestItems?.[TABLE];
};

describe('the mock intercepts the store', () => {
  test('a store built from a DynamoDBClient sends through the mocked document client', async () => {
    documents.on(GetCommand).resolves({ Item: { pk: 'ACCESSKEY#ak', sk: 'CREDENTIAL', access_key: 'ak', secret_key: 's', project_ids: [PROJECT] } });
    expect(await newStore().getCredential('ak')).toEqual({ access_key: 'ak', secret_key: 's', project_ids: [PROJECT] });
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: keys.credential('ak'),
      ConsistentRead: true,
    });
  });
});

describe('readForCreate', () => {
  test('one consistent BatchGetItem for the gateway, server slot, certificate and token', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    const snapshot = await newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT, clientToken: TOKEN });
    expect(documents.calls()).toHaveLength(1);
    const request = batchKeys(0);
    expect(request?.ConsistentRead).toBe(true);
    expect(request?.Keys).toHaveLength(4);
    expect(request?.Keys).toEqual(
      expect.arrayContaining([
        { pk: `PROJECT#${PROJECT}`, sk: `GATEWAY#${GATEWAY}` },
        { pk: `PROJECT#${PROJECT}`, sk: `SERVER#${GATEWAY}` },
        { pk: `PROJECT#${PROJECT}`, sk: `CERT#${CERT}` },
        { pk: `PROJECT#${PROJECT}`, sk: `TOKEN#${TOKEN}` },
      ]),
    );
    expect(snapshot).toEqual({ gateway: undefined, server: undefined, certificate: undefined, token: undefined, routes: undefined });
  });

  test('without a client token no token key is read', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    await newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT });
    const sks = (batchKeys(0)?.Keys ?? []).map((key) => key.sk);
    expect(sks.sort()).toEqual([`CERT#${CERT}`, `GATEWAY#${GATEWAY}`, `SERVER#${GATEWAY}`]);
  });

  test('items come back without their keys, each in its slot', async () => {
    const token = reservation();
    const server = serverRecord(GATEWAY);
    const certificate = { project_id: PROJECT, id: CERT, name: 'cert', content: 'PEM' };
    documents.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          item(keys.token(PROJECT, TOKEN), token),
          item(keys.certificate(PROJECT, CERT), certificate),
          item(keys.gateway(PROJECT, GATEWAY), gateway),
          item(keys.server(PROJECT, GATEWAY), server),
        ],
      },
    });
    const snapshot = await newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT, clientToken: TOKEN });
    expect(snapshot).toEqual({ gateway, server, certificate, token, routes: undefined });
  });

  test('a warm store reads the route table in the same batch once it knows the gateway VPC', async () => {
    const routes = [{ destination: '10.0.0.0/16', nexthop: 'local' }];
    documents
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [item(keys.gateway(PROJECT, GATEWAY), gateway)] } })
      .resolves({
        Responses: {
          [TABLE]: [
            item(keys.gateway(PROJECT, GATEWAY), gateway),
            item(keys.routes(PROJECT, VPC), { project_id: PROJECT, vpc_id: VPC, routes }),
          ],
        },
      });
    const store = newStore();
    const first = await store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT });
    expect(first.routes).toBeUndefined();
    expect((batchKeys(0)?.Keys ?? []).map((key) => key.sk)).not.toContain(`ROUTES#${VPC}`);

    const second = await store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT, clientToken: TOKEN });
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(documents.calls()).toHaveLength(2);
    const secondKeys = batchKeys(1);
    expect(secondKeys?.ConsistentRead).toBe(true);
    expect(secondKeys?.Keys).toContainEqual({ pk: `PROJECT#${PROJECT}`, sk: `ROUTES#${VPC}` });
    expect(secondKeys?.Keys).toHaveLength(5);
    expect(second.routes).toEqual(routes);
  });

  test('a warm store whose VPC has no route table item answers [] (checked against no routes)', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [item(keys.gateway(PROJECT, GATEWAY), gateway)] } });
    const store = newStore();
    await store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT });
    const second = await store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT });
    expect(second.routes).toEqual([]);
  });

  test('the warm cache is per project and gateway', async () => {
    documents.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [item(keys.gateway(PROJECT, GATEWAY), gateway)] } });
    const store = newStore();
    await store.readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT });
    const otherProject = 'f'.repeat(32);
    await store.readForCreate({ projectId: otherProject, gatewayId: GATEWAY, certificateId: CERT });
    expect((batchKeys(1)?.Keys ?? []).map((key) => key.sk)).not.toContain(`ROUTES#${VPC}`);
  });

  test('the warm cache holds a bounded number of gateways: past the bound it starts over', async () => {
    const gatewayIds = Array.from({ length: 10_001 }, (_, i) => `6f1a2b3c-4d5e-4f60-8a7b-${i.toString(16).padStart(12, '0')}`);
    documents.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { sk: string }[] }> }) => {
      const gatewayKey = input.RequestItems[TABLE]!.Keys.find((key) => key.sk.startsWith('GATEWAY#'))!;
      return { Responses: { [TABLE]: [item(keys.gateway(PROJECT, gatewayKey.sk.slice('GATEWAY#'.length)), gateway)] } };
    });
    const store = newStore();
    for (const gatewayId of gatewayIds) await store.readForCreate({ projectId: PROJECT, gatewayId, certificateId: CERT });
    documents.resetHistory();
    // the 10,001st gateway found 10,000 remembered: it started over, so the first is read cold again
    await store.readForCreate({ projectId: PROJECT, gatewayId: gatewayIds[0]!, certificateId: CERT });
    await store.readForCreate({ projectId: PROJECT, gatewayId: gatewayIds[10_000]!, certificateId: CERT });
    expect((batchKeys(0)?.Keys ?? []).map((key) => key.sk)).not.toContain(`ROUTES#${VPC}`);
    expect((batchKeys(1)?.Keys ?? []).map((key) => key.sk)).toContain(`ROUTES#${VPC}`);
  });

  test('unprocessed keys are retried until every key is read', async () => {
    const gatewayKey = keys.gateway(PROJECT, GATEWAY);
    const serverKey = keys.server(PROJECT, GATEWAY);
    documents
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [item(gatewayKey, gateway)] },
        UnprocessedKeys: { [TABLE]: { Keys: [serverKey], ConsistentRead: true } },
      })
      .resolves({ Responses: { [TABLE]: [item(serverKey, serverRecord(GATEWAY))] } });
    const snapshot = await newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT });
    expect(documents.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(batchKeys(1)?.Keys).toEqual([serverKey]);
    expect(batchKeys(1)?.ConsistentRead).toBe(true);
    expect(snapshot.gateway).toEqual(gateway);
    expect(snapshot.server).toEqual(serverRecord(GATEWAY));
  });

  test('a batch that never completes ends in 429 VPN.0429 after a bounded number of attempts', async () => {
    const serverKey = keys.server(PROJECT, GATEWAY);
    documents.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: { Keys: [serverKey] } } });
    const error = await failure(newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT }));
    expect(error.code).toBe('VPN.0429');
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(RETRY_AFTER_SECONDS);
    const attempts = documents.commandCalls(BatchGetCommand).length;
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(5);
  });

  test.each(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'])(
    'a %s from BatchGetItem becomes 429 VPN.0429 with retryAfter',
    async (name) => {
      documents.on(BatchGetCommand).rejects(namedError(name));
      const error = await failure(newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT }));
      expect(error.code).toBe('VPN.0429');
      expect(error.status).toBe(429);
      expect(error.retryAfter).toBe(RETRY_AFTER_SECONDS);
    },
  );

  test('the SDK ProvisionedThroughputExceededException class becomes VPN.0429', async () => {
    documents.on(BatchGetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const error = await failure(newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT }));
    expect(error.code).toBe('VPN.0429');
  });

  test('an error with HTTP status 429 becomes VPN.0429', async () => {
    documents.on(BatchGetCommand).rejects(Object.assign(new Error('too many'), { name: 'Whatever', $metadata: { httpStatusCode: 429 } }));
    const error = await failure(newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT }));
    expect(error.code).toBe('VPN.0429');
  });

  test('other errors pass through unchanged', async () => {
    const original = namedError('ResourceNotFoundException', 'Requested resource not found');
    documents.on(BatchGetCommand).rejects(original);
    await expect(newStore().readForCreate({ projectId: PROJECT, gatewayId: GATEWAY, certificateId: CERT })).rejects.toBe(original);
  });
});

describe('putServerOnce', () => {
  test('writes the server with a condition that the slot is empty', async () => {
    documents.on(PutCommand).resolves({});
    const server = serverRecord(GATEWAY);
    expect(await newStore().putServerOnce(server)).toBe(server);
    const input = documents.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.TableName).toBe(TABLE);
    expect(input?.Item).toEqual({ ...keys.server(PROJECT, GATEWAY), ...server });
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('when the condition fails it returns the existing server, read consistently', async () => {
    const existing = serverRecord(GATEWAY, 'srv-existing');
    documents.on(PutCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: item(keys.server(PROJECT, GATEWAY), existing) });
    expect(await newStore().putServerOnce(serverRecord(GATEWAY, 'srv-new'))).toEqual(existing);
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: keys.server(PROJECT, GATEWAY),
      ConsistentRead: true,
    });
  });

  test('a throttled put becomes VPN.0429, another error passes through', async () => {
    documents.on(PutCommand).rejectsOnce(namedError('ThrottlingException')).rejectsOnce(namedError('ValidationException'));
    const store = newStore();
    expect((await failure(store.putServerOnce(serverRecord(GATEWAY)))).code).toBe('VPN.0429');
    await expect(store.putServerOnce(serverRecord(GATEWAY))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('reserveToken', () => {
  const NOW = 1_900_000_000;

  test('the condition allows a new token or overwriting an expired reservation', async () => {
    documents.on(PutCommand).resolves({});
    const wanted = reservation();
    expect(await newStore().reserveToken(wanted, NOW)).toBe(wanted);
    const input = documents.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.Item).toEqual({ ...keys.token(PROJECT, TOKEN), ...wanted });
    expect(input?.ConditionExpression).toBe('attribute_not_exists(pk) OR expires_at <= :now');
    expect(input?.ExpressionAttributeValues).toEqual({ ':now': NOW });
  });

  test('when a live reservation holds the token it returns that one, read consistently', async () => {
    const live = reservation({ server_id: 'srv-first', fingerprint: 'a'.repeat(64) });
    documents.on(PutCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: item(keys.token(PROJECT, TOKEN), live) });
    expect(await newStore().reserveToken(reservation({ server_id: 'srv-second' }), NOW)).toEqual(live);
    expect(documents.commandCalls(PutCommand)).toHaveLength(1);
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: keys.token(PROJECT, TOKEN),
      ConsistentRead: true,
    });
  });

  test('a reservation that vanished between the failed put and the read is tried again', async () => {
    documents.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    documents.on(GetCommand).resolves({});
    const wanted = reservation();
    expect(await newStore().reserveToken(wanted, NOW)).toBe(wanted);
    expect(documents.commandCalls(PutCommand)).toHaveLength(2);
  });

  test('throttling becomes VPN.0429 with retryAfter; other errors pass through', async () => {
    documents.on(PutCommand).rejectsOnce(namedError('ProvisionedThroughputExceededException'));
    const error = await failure(newStore().reserveToken(reservation(), NOW));
    expect([error.code, error.status, error.retryAfter]).toEqual(['VPN.0429', 429, RETRY_AFTER_SECONDS]);

    const original = namedError('InternalServerError');
    documents.on(PutCommand).rejects(original);
    await expect(newStore().reserveToken(reservation(), NOW)).rejects.toBe(original);
  });
});

describe('listServers', () => {
  const OTHER = '7f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
  const marker = (gatewayId: string) => Buffer.from(gatewayId, 'utf8').toString('base64url');

  test('a single page holding everything: one Query, counted from the page, no marker', async () => {
    documents.on(QueryCommand).resolves({ Items: [item(keys.server(PROJECT, GATEWAY), serverRecord(GATEWAY))], Count: 1 });
    const page = await newStore().listServers(PROJECT, 200);
    expect(page).toEqual({ items: [serverRecord(GATEWAY)], totalCount: 1 });
    const calls = documents.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `PROJECT#${PROJECT}`, ':prefix': 'SERVER#' },
      ConsistentRead: true,
      Limit: 201,
    });
    expect(input?.ExclusiveStartKey).toBeUndefined();
    expect(input?.Select).toBeUndefined();
  });

  test('a page with more after it: a marker from the last gateway id, and a COUNT query for the total', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({
        Items: [item(keys.server(PROJECT, GATEWAY), serverRecord(GATEWAY)), item(keys.server(PROJECT, OTHER), serverRecord(OTHER))],
        LastEvaluatedKey: keys.server(PROJECT, OTHER),
      })
      .resolvesOnce({ Count: 3, LastEvaluatedKey: keys.server(PROJECT, OTHER) })
      .resolvesOnce({ Count: 2 });
    const page = await newStore().listServers(PROJECT, 2);
    expect(page?.items.map((server) => server.p2c_vgw_id)).toEqual([GATEWAY, OTHER]);
    expect(page?.nextMarker).toBe(marker(OTHER));
    expect(page?.nextMarker).toMatch(/^[A-Za-z0-9_-]{1,200}$/);
    expect(page?.totalCount).toBe(5);

    const calls = documents.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(3);
    expect(calls[1]?.Select).toBe('COUNT');
    expect(calls[1]?.Limit).toBeUndefined();
    expect(calls[1]?.ExclusiveStartKey).toBeUndefined();
    expect(calls[1]?.ExpressionAttributeValues).toEqual({ ':pk': `PROJECT#${PROJECT}`, ':prefix': 'SERVER#' });
    expect(calls[2]?.Select).toBe('COUNT');
    expect(calls[2]?.ExclusiveStartKey).toEqual(keys.server(PROJECT, OTHER));
  });

  test('one item more than the limit: the page keeps the limit, the marker points at its last item', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({
        Items: [item(keys.server(PROJECT, GATEWAY), serverRecord(GATEWAY)), item(keys.server(PROJECT, OTHER), serverRecord(OTHER))],
      })
      .resolvesOnce({ Count: 2 });
    const page = await newStore().listServers(PROJECT, 1);
    expect(page?.items.map((server) => server.p2c_vgw_id)).toEqual([GATEWAY]);
    expect(page?.nextMarker).toBe(marker(GATEWAY));
    expect(page?.totalCount).toBe(2);
  });

  test('a full last page (DynamoDB still sends LastEvaluatedKey only when more may follow) has no marker when nothing follows', async () => {
    documents.on(QueryCommand).resolvesOnce({ Items: [item(keys.server(PROJECT, GATEWAY), serverRecord(GATEWAY))] });
    const page = await newStore().listServers(PROJECT, 1);
    expect(page).toEqual({ items: [serverRecord(GATEWAY)], totalCount: 1 });
  });

  test('a marker decodes back into the ExclusiveStartKey of the next page, and the total is counted', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(keys.server(PROJECT, OTHER), serverRecord(OTHER))] })
      .resolvesOnce({ Count: 2 });
    const page = await newStore().listServers(PROJECT, 1, marker(GATEWAY));
    expect(page).toEqual({ items: [serverRecord(OTHER)], totalCount: 2 });
    const calls = documents.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.ExclusiveStartKey).toEqual(keys.server(PROJECT, GATEWAY));
    expect(calls[0]?.Limit).toBe(2);
    expect(calls[0]?.Select).toBeUndefined();
    expect(calls[1]?.Select).toBe('COUNT');
    expect(calls[1]?.ExclusiveStartKey).toBeUndefined();
  });

  test('the marker of one page is accepted as the marker of the next (round trip)', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(keys.server(PROJECT, GATEWAY), serverRecord(GATEWAY))], LastEvaluatedKey: keys.server(PROJECT, GATEWAY) })
      .resolvesOnce({ Count: 2 })
      .resolvesOnce({ Items: [item(keys.server(PROJECT, OTHER), serverRecord(OTHER))] })
      .resolvesOnce({ Count: 2 });
    const store = newStore();
    const first = await store.listServers(PROJECT, 1);
    const second = await store.listServers(PROJECT, 1, first?.nextMarker);
    expect(second?.items.map((server) => server.p2c_vgw_id)).toEqual([OTHER]);
    expect(second?.nextMarker).toBeUndefined();
    expect(documents.commandCalls(QueryCommand)[2]?.args[0].input.ExclusiveStartKey).toEqual(keys.server(PROJECT, GATEWAY));
  });

  test.each([
    ['not base64 of a gateway id', 'abc'],
    ['a base64url of other text', Buffer.from('SERVER#x', 'utf8').toString('base64url')],
    ['a base64url of an upper-case id', Buffer.from(GATEWAY.toUpperCase(), 'utf8').toString('base64url')],
    ['a base64url of a too long id', Buffer.from(`${GATEWAY}0`, 'utf8').toString('base64url')],
  ])('a foreign marker (%s) answers undefined and queries nothing', async (_label, foreign) => {
    documents.on(QueryCommand).resolves({ Items: [] });
    expect(await newStore().listServers(PROJECT, 10, foreign)).toBeUndefined();
    expect(documents.commandCalls(QueryCommand)).toHaveLength(0);
  });

  test('an empty project: no servers, total 0, one Query', async () => {
    documents.on(QueryCommand).resolves({ Items: [], Count: 0 });
    expect(await newStore().listServers(PROJECT, 200)).toEqual({ items: [], totalCount: 0 });
    expect(documents.commandCalls(QueryCommand)).toHaveLength(1);
  });

  test('a throttled query becomes VPN.0429', async () => {
    documents.on(QueryCommand).rejects(namedError('ThrottlingException'));
    expect((await failure(newStore().listServers(PROJECT, 200))).code).toBe('VPN.0429');
  });
});

describe('upsertGateway', () => {
  const LOADED = '2026-01-02T03:04:05.678Z';

  test('a first load writes the gateway as given with the load time, on the condition that none is kept', async () => {
    documents.on(PutCommand).resolves({});
    const before = Date.now();
    await newStore().upsertGateway(gateway);
    const input = documents.commandCalls(PutCommand)[0]?.args[0].input;
    expect(input?.Item).toEqual({ ...keys.gateway(PROJECT, GATEWAY), ...gateway, loaded_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
    expect(Date.parse(input?.Item?.loaded_at as string)).toBeGreaterThanOrEqual(before);
    expect(input?.ConditionExpression).toBe('attribute_not_exists(loaded_at)');
    expect(input?.ExpressionAttributeValues).toBeUndefined();
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('a later load replaces the gateway but keeps the load time it read, on the condition that it is still the one', async () => {
    documents.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    documents.on(GetCommand).resolves({ Item: item(keys.gateway(PROJECT, GATEWAY), { ...gateway, name: 'old', flavor: 'Professional2', loaded_at: LOADED }) });
    await newStore().upsertGateway(gateway);
    const [, second] = documents.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(second?.Item).toEqual({ ...keys.gateway(PROJECT, GATEWAY), ...gateway, loaded_at: LOADED });
    expect(second?.ConditionExpression).toBe('loaded_at = :loaded');
    expect(second?.ExpressionAttributeValues).toEqual({ ':loaded': LOADED });
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: TABLE, Key: keys.gateway(PROJECT, GATEWAY), ConsistentRead: true });
  });

  test('a gateway that vanished between the failed put and the read is loaded anew; losing every round is VPN.0429', async () => {
    documents.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    documents.on(GetCommand).resolves({});
    await newStore().upsertGateway(gateway);
    expect(documents.commandCalls(PutCommand).map((call) => call.args[0].input.ConditionExpression)).toEqual([
      'attribute_not_exists(loaded_at)',
      'attribute_not_exists(loaded_at)',
    ]);

    documents.reset();
    documents.on(PutCommand).rejects(conditionFailed());
    documents.on(GetCommand).resolves({ Item: item(keys.gateway(PROJECT, GATEWAY), { ...gateway, loaded_at: LOADED }) });
    expect((await failure(newStore().upsertGateway(gateway))).code).toBe('VPN.0429');
    expect(documents.commandCalls(PutCommand)).toHaveLength(3);
  });
});
