import { randomUUID } from 'node:crypto';
import { createVpnServer } from '../../lib/vpn-servers/create';
import { listVpnServers } from '../../lib/vpn-servers/list';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseListVpnServers } from '../../lib/vpn-servers/schemas/list-vpn-servers';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { OTHER_PROJECT, PROJECT, passwordAuthExample } from '../support/requests';
import { portsFor } from '../support/use-cases';

const GATEWAY_COUNT = 7;
let table: LocalTable;
let created: string[];

beforeAll(async () => {
  const seed = demoSeed();
  const gateways = Array.from({ length: GATEWAY_COUNT }, (_, index) => ({
    project_id: PROJECT,
    id: randomUUID(),
    name: `paging-${index}`,
    vpc_id: randomUUID(),
    status: 'ACTIVE',
    max_connection_number: 10,
  }));
  table = await startLocalTable({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, ...gateways] });
  const ports = portsFor(table.store);
  created = [];
  for (const gateway of gateways) {
    const command = parseCreateVpnServer({ projectId: PROJECT, gatewayId: gateway.id, clientTokenField: 'X-Client-Token', body: passwordAuthExample() });
    created.push((await createVpnServer(command, ports)).id);
  }
});
afterAll(() => table.close());

const list = (input: { projectId: string; limit?: string; marker?: string }) =>
  listVpnServers(parseListVpnServers(input), { store: table.store });

test('limit and marker page through every server of the project exactly once', async () => {
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await list({ projectId: PROJECT, limit: '3', ...(marker ? { marker } : {}) });
    pages += 1;
    expect(page.total_count).toBe(GATEWAY_COUNT);
    expect(page.page_info.current_count).toBe(page.vpn_servers.length);
    expect(page.vpn_servers.length).toBeLessThanOrEqual(3);
    seen.push(...page.vpn_servers.map((server) => server.id));
    marker = page.page_info.next_marker;
  } while (marker && pages < 10);
  expect(pages).toBe(3);
  expect(seen.sort()).toEqual([...created].sort());
});

test('without a limit, one page holds them all and has no next marker', async () => {
  const page = await list({ projectId: PROJECT });
  expect(page.vpn_servers).toHaveLength(GATEWAY_COUNT);
  expect(page.page_info).toEqual({ current_count: GATEWAY_COUNT });
  expect(JSON.stringify(page)).not.toContain('BEGIN CERTIFICATE');
});

test("a project sees none of another project's servers", async () => {
  const page = await list({ projectId: OTHER_PROJECT });
  expect(page).toEqual({ vpn_servers: [], total_count: 0, page_info: { current_count: 0 } });
});

test('a marker that this service did not issue is 400 VPN.0001', async () => {
  await expect(list({ projectId: PROJECT, marker: 'bm90LWEtbWFya2Vy' })).rejects.toMatchObject({ code: 'VPN.0001', status: 400 });
});

test('listing an unknown gateway is 404 VPN.0004', async () => {
  await expect(listVpnServers(parseListVpnServers({ projectId: PROJECT, gatewayId: randomUUID() }), { store: table.store })).rejects.toMatchObject({
    code: 'VPN.0004',
  });
});
