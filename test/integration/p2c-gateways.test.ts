/** The P2C gateways as the seed loads them and ListP2cVgws / ShowP2cVgw answer them, against dynalite
 * (CONTRACT.md sections 8, 11.1 and 11.5). */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Gateway, StoredGateway } from '../../lib/core/gateway';
import { listP2cVgws } from '../../lib/p2c-gateways/list';
import { parseListP2cVgws, parseShowP2cVgw } from '../../lib/p2c-gateways/schemas';
import { showP2cVgw } from '../../lib/p2c-gateways/show';
import { keys } from '../../lib/store/keys';
import { loadSeed } from '../../lib/store/seed';
import { TableClient } from '../../lib/store/table-client';
import { listVpnServers } from '../../lib/vpn-servers/list';
import { parseListVpnServers } from '../../lib/vpn-servers/schemas/list-vpn-servers';
import { buildHandlers } from '../reliability/support/api';
import { apiEvent, callApi } from '../support/api-events';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { OTHER_PROJECT, OTHER_PROJECT_GATEWAY, PROJECT } from '../support/requests';
import { failure } from '../support/use-cases';

jest.setTimeout(60_000);

const EXTRA = 9;
const extra: Gateway[] = Array.from({ length: EXTRA }, (_, index) => ({
  project_id: PROJECT,
  id: randomUUID(),
  name: `listed-${index}`,
  vpc_id: randomUUID(),
  status: 'ACTIVE',
  max_connection_number: 10,
}));
const seed = demoSeed();
/** the project's gateways in the list's order: by id */
const projectIds = [...seed.p2c_vpn_gateways!, ...extra]
  .filter((gateway) => gateway.project_id === PROJECT)
  .map((gateway) => gateway.id)
  .sort();

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, ...extra] });
});
afterAll(() => table.close());

const list = async (input: { projectId?: string; limit?: string; marker?: string }) =>
  listP2cVgws(parseListP2cVgws({ projectId: PROJECT, ...input }), { store: table.newStore() });
const show = async (gatewayId: string, projectId = PROJECT) => showP2cVgw(parseShowP2cVgw({ projectId, gatewayId }), { store: table.newStore() });
const idsOf = (page: Awaited<ReturnType<typeof list>>) => page.p2c_vpn_gateways.map((gateway) => gateway.id);

/** Every page from `first` on, following next_marker, with the given limit (none: marker alone). */
async function walk(limit: string | undefined, first: { marker?: string } = {}) {
  const pages: Awaited<ReturnType<typeof list>>[] = [];
  let marker = first.marker;
  do {
    const page = await list({ ...(limit ? { limit } : {}), ...(marker ? { marker } : {}) });
    pages.push(page);
    marker = page.page_info.next_marker;
  } while (marker && pages.length < 50);
  return pages;
}

describe('ListP2cVgws', () => {
  test("without limit: every gateway of the project on one page, in id order, no next_marker, none of another project's", async () => {
    const page = await list({});
    expect(idsOf(page)).toEqual(projectIds);
    expect([page.total_count, page.page_info]).toEqual([projectIds.length, { current_count: projectIds.length }]);
    expect(idsOf(page)).not.toContain(OTHER_PROJECT_GATEWAY);
    const other = await list({ projectId: OTHER_PROJECT });
    expect(idsOf(other)).toEqual([OTHER_PROJECT_GATEWAY]);
  });

  test.each(['1', '2', '3', '5'])('limit %s: pages that never repeat or skip, each counting itself and the total', async (limit) => {
    const pages = await walk(limit);
    expect(pages.flatMap(idsOf)).toEqual(projectIds);
    expect(pages).toHaveLength(Math.ceil(projectIds.length / Number(limit)));
    for (const page of pages) {
      expect(page.total_count).toBe(projectIds.length);
      expect(page.page_info.current_count).toBe(page.p2c_vpn_gateways.length);
      expect(page.p2c_vpn_gateways.length).toBeLessThanOrEqual(Number(limit));
    }
    for (const page of pages.slice(0, -1)) expect(page.page_info.next_marker).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect('next_marker' in pages.at(-1)!.page_info).toBe(false);
  });

  test('a limit of exactly the count: one page without next_marker (no empty page after it)', async () => {
    const page = await list({ limit: String(projectIds.length) });
    expect([idsOf(page), page.page_info]).toEqual([projectIds, { current_count: projectIds.length }]);
  });

  test('a marker without limit: the rest of the list on one page', async () => {
    const [first] = await walk('4');
    const rest = await walk(undefined, { marker: first!.page_info.next_marker });
    expect(rest).toHaveLength(1);
    expect([...idsOf(first!), ...idsOf(rest[0]!)]).toEqual(projectIds);
    expect(rest[0]!.page_info).toEqual({ current_count: projectIds.length - 4 });
  });

  test('a gateway seeded between two pages is found once, by the page its id falls in', async () => {
    const [first] = await walk('4');
    const late = { ...extra[0]!, id: `ffffffff${randomUUID().slice(8)}`, name: 'late' };
    await loadSeed({ p2c_vpn_gateways: [late] }, table.store);
    try {
      const rest = await walk('4', { marker: first!.page_info.next_marker });
      const seen = [...idsOf(first!), ...rest.flatMap(idsOf)];
      expect(seen).toEqual([...projectIds, late.id]);
      expect(rest[0]!.total_count).toBe(projectIds.length + 1);
    } finally {
      await DynamoDBDocumentClient.from(table.client).send(new DeleteCommand({ TableName: table.tableName, Key: keys.gateway(PROJECT, late.id) }));
    }
  });

  test.each([
    ['limit 0', { limit: '0' }],
    ['limit 201', { limit: '201' }],
    ['limit -1', { limit: '-1' }],
    ['limit 1.5', { limit: '1.5' }],
    ['an empty marker', { marker: '' }],
    ['a marker of characters Terraform would not send unencoded', { marker: 'a b+c' }],
    ['a marker this list did not give', { marker: 'bm90LWEtbWFya2Vy' }],
  ])('%s: 400 VPN.0001', async (_label, query) => {
    const error = await failure(list(query));
    expect([error.status, error.code]).toEqual([400, 'VPN.0001']);
  });

  test("the project servers list's marker is not one of this list's, nor the other way round", async () => {
    const servers = { store: table.newStore() };
    const serverMarker = Buffer.from(projectIds[0]!, 'utf8').toString('base64url');
    expect((await failure(list({ marker: serverMarker }))).code).toBe('VPN.0001');
    const gatewayMarker = (await list({ limit: '1' })).page_info.next_marker;
    const refused = await failure(listVpnServers(parseListVpnServers({ projectId: PROJECT, marker: gatewayMarker }), servers));
    expect(refused.code).toBe('VPN.0001');
  });
});

describe('ShowP2cVgw', () => {
  test("the demo gateway as seeded, with section 11.1's fields; another project's is 404 VPN.0004 as an unknown one", async () => {
    const demo = seed.p2c_vpn_gateways!.find((gateway) => gateway.project_id === PROJECT && gateway.eip)!;
    const { project_id: _project, ...given } = demo;
    expect(await show(demo.id.toUpperCase())).toEqual(expect.objectContaining({ ...given, current_connection_number: 0 }));
    const other = await failure(show(OTHER_PROJECT_GATEWAY));
    const unknownId = randomUUID();
    const unknown = await failure(show(unknownId));
    expect([other.status, other.code, other.message]).toEqual([404, 'VPN.0004', `p2c vpn gateway ${OTHER_PROJECT_GATEWAY} not found`]);
    expect(unknown.message).toBe(`p2c vpn gateway ${unknownId} not found`);
    expect((await show(OTHER_PROJECT_GATEWAY, OTHER_PROJECT)).id).toBe(OTHER_PROJECT_GATEWAY);
  });

  test('a gateway the seed gave only the required fields: the defaults, and the load time as created_at and updated_at', async () => {
    const shown = await show(extra[1]!.id);
    const stored = await table.store.readGateway(PROJECT, extra[1]!.id);
    expect(shown).toEqual({
      id: extra[1]!.id,
      name: 'listed-1',
      vpc_id: extra[1]!.vpc_id,
      connect_subnet: '',
      status: 'ACTIVE',
      flavor: 'Professional1',
      availability_zone_ids: [],
      max_connection_number: 10,
      current_connection_number: 0,
      enterprise_project_id: '0',
      tags: [],
      created_at: stored!.loaded_at,
      updated_at: stored!.loaded_at,
    });
  });

  test('over HTTP: 200 {p2c_vpn_gateway, request_id}; the list with no query at all is one page of them all', async () => {
    const { api } = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint });
    const shown = await callApi(api, apiEvent({ method: 'GET', path: `/v5/${PROJECT}/p2c-vpn-gateways/${extra[2]!.id}` }));
    expect([shown.status, shown.json?.p2c_vpn_gateway?.id, shown.json?.request_id]).toEqual([200, extra[2]!.id, expect.stringMatching(/^[0-9a-f]{32}$/)]);
    const listed = await callApi(api, apiEvent({ method: 'GET', path: `/v5/${PROJECT}/p2c-vpn-gateways` }));
    expect([listed.status, listed.json?.p2c_vpn_gateways.length, listed.json?.page_info]).toEqual([200, projectIds.length, { current_count: projectIds.length }]);
    const unknown = await callApi(api, apiEvent({ method: 'GET', path: `/v5/${PROJECT}/p2c-vpn-gateways/${OTHER_PROJECT_GATEWAY}` }));
    expect([unknown.status, unknown.json?.error_code]).toEqual([404, 'VPN.0004']);
    const badMarker = await callApi(api, apiEvent({ method: 'GET', path: `/v5/${PROJECT}/p2c-vpn-gateways`, query: 'marker=' }));
    expect([badMarker.status, badMarker.json?.error_code]).toEqual([400, 'VPN.0001']);
  });
});

describe('re-seeding', () => {
  const storedGateway = (id: string) => table.newStore().readGateway(PROJECT, id);

  test('replaces what the seed gives and keeps the time the gateway was first loaded, so created_at stays', async () => {
    const id = randomUUID();
    const first = { project_id: PROJECT, id, name: 'reseeded', vpc_id: randomUUID(), status: 'ACTIVE', max_connection_number: 10, flavor: 'Professional2' };
    await loadSeed({ p2c_vpn_gateways: [first] }, table.store);
    const loaded = await storedGateway(id);
    expect(loaded).toEqual({ ...first, loaded_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
    const before = await show(id);

    await new Promise((resolve) => setTimeout(resolve, 5));
    const { flavor: _dropped, ...second } = { ...first, name: 'reseeded-again', status: 'FROZEN' };
    await loadSeed({ p2c_vpn_gateways: [second] }, table.newStore());
    expect(await storedGateway(id)).toEqual({ ...second, loaded_at: loaded!.loaded_at });
    const after = await show(id);
    expect(after).toEqual({ ...before, name: 'reseeded-again', status: 'FROZEN', flavor: 'Professional1' });
    expect([after.created_at, after.updated_at]).toEqual([loaded!.loaded_at, loaded!.loaded_at]);

    // times the seed gives are answered as given, and a later load without them falls back to the first load's
    await loadSeed({ p2c_vpn_gateways: [{ ...second, created_at: '2024-06-17T06:53:46Z', updated_at: '2024-06-18T00:00:00.5Z' }] }, table.newStore());
    expect(await show(id)).toMatchObject({ created_at: '2024-06-17T06:53:46Z', updated_at: '2024-06-18T00:00:00.5Z' });
    await loadSeed({ p2c_vpn_gateways: [second] }, table.newStore());
    expect(await show(id)).toMatchObject({ created_at: loaded!.loaded_at, updated_at: loaded!.loaded_at });
  });

  test('a gateway written before gateways kept a load time gets one on its next load', async () => {
    const id = randomUUID();
    const legacy = { project_id: PROJECT, id, name: 'legacy', vpc_id: randomUUID(), status: 'ACTIVE', max_connection_number: 10 };
    await new TableClient(table.client, table.tableName).put(keys.gateway(PROJECT, id), legacy);
    expect(await storedGateway(id)).toEqual(legacy);
    await loadSeed({ p2c_vpn_gateways: [legacy] }, table.store);
    expect(((await storedGateway(id)) as StoredGateway).loaded_at).toEqual(expect.any(String));
  });
});
