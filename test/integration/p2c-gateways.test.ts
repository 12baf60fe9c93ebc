/** The P2C gateways as the seed loads them and the gateway reads answer them, against dynalite
 * (CONTRACT.md sections 8, 11.1 and 11.5). */
import { randomUUID } from 'node:crypto';
import type { StoredGateway } from '../../lib/core/gateway';
import { keys } from '../../lib/store/keys';
import { loadSeed } from '../../lib/store/seed';
import { TableClient } from '../../lib/store/table-client';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { PROJECT } from '../support/requests';

jest.setTimeout(60_000);

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable(demoSeed());
});
afterAll(() => table.close());

const storedGateway = async (id: string) => (await table.newStore().readGatewayWithServer(PROJECT, id)).gateway as StoredGateway | undefined;

test('re-seeding replaces what the seed gives and keeps the time the gateway was first loaded', async () => {
  const id = randomUUID();
  const first = { project_id: PROJECT, id, name: 'reseeded', vpc_id: randomUUID(), status: 'ACTIVE', max_connection_number: 10, flavor: 'Professional2' };
  await loadSeed({ p2c_vpn_gateways: [first] }, table.store);
  const loaded = await storedGateway(id);
  expect(loaded).toEqual({ ...first, loaded_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });

  await new Promise((resolve) => setTimeout(resolve, 5));
  const { flavor: _dropped, ...second } = { ...first, name: 'reseeded-again', status: 'FROZEN' };
  await loadSeed({ p2c_vpn_gateways: [second] }, table.newStore());
  expect(await storedGateway(id)).toEqual({ ...second, loaded_at: loaded!.loaded_at });
});

test('a gateway written before gateways kept a load time gets one on its next load', async () => {
  const id = randomUUID();
  const legacy = { project_id: PROJECT, id, name: 'legacy', vpc_id: randomUUID(), status: 'ACTIVE', max_connection_number: 10 };
  await new TableClient(table.client, table.tableName).put(keys.gateway(PROJECT, id), legacy);
  expect(await storedGateway(id)).toEqual(legacy);
  await loadSeed({ p2c_vpn_gateways: [legacy] }, table.store);
  expect((await storedGateway(id))?.loaded_at).toEqual(expect.any(String));
});
