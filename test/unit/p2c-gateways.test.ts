/** The gateway reads (CONTRACT.md sections 11.1 and 11.5): the answered gateway and its defaults, the
 * paging rules of ListP2cVgws, ShowP2cVgw's not-found, and the store's queries (aws-sdk-client-mock). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import * as z from 'zod/mini';
import type { StoredGateway } from '../../lib/core/gateway';
import { listP2cVgws } from '../../lib/p2c-gateways/list';
import type { GatewayRepository } from '../../lib/p2c-gateways/ports';
import { apiGatewaySchema, listP2cVgwsResponseSchema, parseListP2cVgws, parseShowP2cVgw, showP2cVgwResponseSchema } from '../../lib/p2c-gateways/schemas';
import { showP2cVgw } from '../../lib/p2c-gateways/show';
import { DEFAULT_ENTERPRISE_PROJECT_ID, DEFAULT_FLAVOR, toApiGateway } from '../../lib/p2c-gateways/view';
import { keys } from '../../lib/store/keys';
import { createStore } from '../../lib/store/store';
import { failure } from '../support/use-cases';

const TABLE = 'p2c-vpn-test';
const PROJECT = '0123456789abcdef0123456789abcdef';
const GATEWAY = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const OTHER = '7f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const LOADED = '2026-01-02T03:04:05.678Z';
const REQUEST_ID = 'a'.repeat(32);

const minimal: StoredGateway = {
  project_id: PROJECT,
  id: GATEWAY,
  name: 'gw',
  vpc_id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  status: 'ACTIVE',
  max_connection_number: 50,
  loaded_at: LOADED,
};
const eip = {
  id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  ip_version: 4 as const,
  ip_billing_info: 'order:product',
  type: '5_bgp',
  ip_address: '203.0.113.10',
  charge_mode: 'bandwidth' as const,
  bandwidth_id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  bandwidth_size: 300,
  bandwidth_name: 'bw',
  bandwidth_billing_info: 'order:product',
  share_type: 'PER' as const,
};
const full: StoredGateway = {
  ...minimal,
  flavor: 'Professional2',
  connect_subnet: '0f1e2d3c-4b5a-4968-8776-655443322110',
  availability_zone_ids: ['cn-north-4a'],
  enterprise_project_id: '9a7e3c51-0b2d-4f6e-8a1c-5d3b7f9e2a40',
  tags: [{ key: 'env', value: 'demo' }],
  created_at: '2024-06-17T06:53:46.302Z',
  updated_at: '2024-06-18T00:00:00Z',
  eip,
};

describe('the answered gateway', () => {
  test("a gateway the seed gave only the required fields: section 11.1's defaults, the load time, no eip", () => {
    expect(toApiGateway(minimal)).toEqual({
      id: GATEWAY,
      name: 'gw',
      vpc_id: minimal.vpc_id,
      connect_subnet: '',
      status: 'ACTIVE',
      flavor: DEFAULT_FLAVOR,
      availability_zone_ids: [],
      max_connection_number: 50,
      current_connection_number: 0,
      enterprise_project_id: DEFAULT_ENTERPRISE_PROJECT_ID,
      tags: [],
      created_at: LOADED,
      updated_at: LOADED,
    });
    expect([DEFAULT_FLAVOR, DEFAULT_ENTERPRISE_PROJECT_ID]).toEqual(['Professional1', '0']);
    expect('eip' in toApiGateway(minimal)).toBe(false);
  });

  test('every field the seed gave is answered as given; the connections are 0; no internal field', () => {
    const { project_id: _project, loaded_at: _loaded, ...given } = full;
    expect(toApiGateway(full)).toEqual({ ...given, current_connection_number: 0 });
    expect(toApiGateway({ ...full, created_at: undefined })).toMatchObject({ created_at: LOADED, updated_at: full.updated_at });
  });

  test('the response schemas take what the operations answer, and the answer holds every field of the schema', () => {
    expect(z.safeParse(showP2cVgwResponseSchema(), { p2c_vpn_gateway: toApiGateway(full), request_id: REQUEST_ID }).error).toBeUndefined();
    const list = { p2c_vpn_gateways: [toApiGateway(full), toApiGateway(minimal)], total_count: 2, page_info: { current_count: 2 }, request_id: REQUEST_ID };
    expect(z.safeParse(listP2cVgwsResponseSchema(), list).error).toBeUndefined();
    expect(Object.keys(apiGatewaySchema().shape).sort()).toEqual(Object.keys(toApiGateway(full)).sort());
  });
});

describe('ListP2cVgws and ShowP2cVgw over a store', () => {
  const store = (overrides: Partial<GatewayRepository>): { store: GatewayRepository } => ({
    store: { listGateways: async () => undefined, readGateway: async () => undefined, ...overrides },
  });

  test.each([
    ['limit 0', { limit: '0' }, 'limit: must be an integer from 1 to 200'],
    ['limit 201', { limit: '201' }, 'limit: must be an integer from 1 to 200'],
    ['limit with a leading zero', { limit: '05' }, 'limit: must be an integer from 1 to 200'],
    ['limit not a number', { limit: 'ten' }, 'limit: must be an integer from 1 to 200'],
    ['an empty marker', { marker: '' }, 'marker: must be a marker from page_info.next_marker'],
    ['a marker that needs encoding', { marker: 'a+b/c=' }, 'marker: must be a marker from page_info.next_marker'],
  ])('%s is 400 VPN.0001 naming it', (_label, query, message) => {
    expect(() => parseListP2cVgws({ projectId: PROJECT, ...query })).toThrow(expect.objectContaining({ code: 'VPN.0001', status: 400, message: `invalid request: ${message}` }));
  });

  test('without limit a page is up to 200; a marker without limit is taken', () => {
    expect(parseListP2cVgws({ projectId: PROJECT })).toEqual({ projectId: PROJECT, limit: 200 });
    expect(parseListP2cVgws({ projectId: PROJECT, marker: 'abc-_.~' })).toEqual({ projectId: PROJECT, limit: 200, marker: 'abc-_.~' });
  });

  test('a marker the store did not give is 400 VPN.0001; a page answers its count and next marker', async () => {
    const refused = await failure(listP2cVgws({ projectId: PROJECT, limit: 1, marker: 'bm8' }, store({})));
    expect([refused.status, refused.code, refused.message]).toEqual([400, 'VPN.0001', 'invalid request: marker: must be a marker from page_info.next_marker']);
    const page = await listP2cVgws({ projectId: PROJECT, limit: 1 }, store({ listGateways: async () => ({ items: [full], totalCount: 3, nextMarker: 'next' }) }));
    expect(page).toEqual({ p2c_vpn_gateways: [toApiGateway(full)], total_count: 3, page_info: { next_marker: 'next', current_count: 1 } });
    const last = await listP2cVgws({ projectId: PROJECT, limit: 1 }, store({ listGateways: async () => ({ items: [], totalCount: 0 }) }));
    expect(last.page_info).toEqual({ current_count: 0 });
  });

  test('ShowP2cVgw: the id in any case names the gateway; an unknown one is 404 VPN.0004 with the gateway message', async () => {
    const query = parseShowP2cVgw({ projectId: PROJECT, gatewayId: GATEWAY.toUpperCase() });
    expect(query).toEqual({ projectId: PROJECT, gatewayId: GATEWAY });
    const read: [string, string][] = [];
    const found = await showP2cVgw(query, store({ readGateway: async (...args) => (read.push(args), full) }));
    expect([found, read]).toEqual([toApiGateway(full), [[PROJECT, GATEWAY]]]);
    const missing = await failure(showP2cVgw(query, store({})));
    expect([missing.status, missing.code, missing.message]).toEqual([404, 'VPN.0004', `p2c vpn gateway ${GATEWAY} not found`]);
    expect(() => parseShowP2cVgw({ projectId: PROJECT, gatewayId: 'gw-1' })).toThrow(expect.objectContaining({ code: 'VPN.0001' }));
  });
});

describe('the store', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  beforeEach(() => documents.reset());
  afterAll(() => documents.restore());
  const newStore = () => createStore(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), TABLE);
  const item = (record: StoredGateway) => ({ ...keys.gateway(PROJECT, record.id), ...record });
  const marker = (id: string) => Buffer.from(`p2c_vgw:${id}`, 'utf8').toString('base64url');

  test('a first page that holds everything: one consistent Query of the GATEWAY# items, limit + 1, counted from the page', async () => {
    documents.on(QueryCommand).resolves({ Items: [item(full)] });
    expect(await newStore().listGateways(PROJECT, 200)).toEqual({ items: [full], totalCount: 1 });
    const calls = documents.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `PROJECT#${PROJECT}`, ':prefix': 'GATEWAY#' },
      ConsistentRead: true,
      Limit: 201,
    });
  });

  test('one more than the limit: the page keeps the limit, its marker is the last id, the total is counted', async () => {
    documents
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(full), item({ ...minimal, id: OTHER })] })
      .resolvesOnce({ Count: 2 });
    const page = await newStore().listGateways(PROJECT, 1);
    expect(page).toEqual({ items: [full], totalCount: 2, nextMarker: marker(GATEWAY) });
    expect(page?.nextMarker).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(documents.commandCalls(QueryCommand)[1]?.args[0].input).toMatchObject({ Select: 'COUNT', ExpressionAttributeValues: { ':prefix': 'GATEWAY#' } });
  });

  test('a marker starts the next page after its gateway; a marker of anything else queries nothing', async () => {
    documents.on(QueryCommand).resolvesOnce({ Items: [item({ ...minimal, id: OTHER })] }).resolvesOnce({ Count: 2 });
    expect(await newStore().listGateways(PROJECT, 5, marker(GATEWAY))).toEqual({ items: [{ ...minimal, id: OTHER }], totalCount: 2 });
    expect(documents.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ ExclusiveStartKey: keys.gateway(PROJECT, GATEWAY), Limit: 6 });
    documents.reset();
    // a servers list's marker (the id alone), an upper-case id, another tag
    for (const foreign of ['abc', Buffer.from(GATEWAY).toString('base64url'), marker(GATEWAY.toUpperCase()), marker(`x${GATEWAY}`)]) {
      expect(await newStore().listGateways(PROJECT, 5, foreign)).toBeUndefined();
    }
    expect(documents.commandCalls(QueryCommand)).toHaveLength(0);
  });

  test('readGateway is a consistent GetItem of the project\'s key', async () => {
    documents.on(GetCommand).resolves({ Item: item(full) });
    expect(await newStore().readGateway(PROJECT, GATEWAY)).toEqual(full);
    expect(documents.commandCalls(GetCommand)[0]?.args[0].input).toEqual({ TableName: TABLE, Key: keys.gateway(PROJECT, GATEWAY), ConsistentRead: true });
    documents.reset();
    documents.on(GetCommand).resolves({});
    expect(await newStore().readGateway(PROJECT, GATEWAY)).toBeUndefined();
  });
});
