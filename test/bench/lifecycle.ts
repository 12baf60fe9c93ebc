/**
 * The lifecycle calls (update, client CA import, export) in process against dynalite, over a warm
 * DynamoStore as a warm function has it: latency p50/p99 of each, and the DynamoDB round trips of each
 * case (the first read by id of a server, when its pointer is written; warm; a replay; a no-op).
 */
import { randomUUID } from 'node:crypto';
import { deleteClientCa, importClientCa } from '../../lib/vpn-servers/client-cas';
import { createVpnServer } from '../../lib/vpn-servers/create';
import { exportClientConfig } from '../../lib/vpn-servers/export-client-config';
import { parseImportClientCa } from '../../lib/vpn-servers/schemas/client-ca';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseExportClientConfig } from '../../lib/vpn-servers/schemas/export-client-config';
import { parseUpdateVpnServer } from '../../lib/vpn-servers/schemas/update-vpn-server';
import { updateVpnServer } from '../../lib/vpn-servers/update';
import { startLocalTable } from '../support/local-table';
import { GATEWAY, PROJECT, SECOND_GATEWAY, certAuthExample, passwordAuthExample, validClientCaPems } from '../support/requests';
import { portsFor } from '../support/use-cases';
import { DynamoMeter, summarise, type CallSummary } from './dynamo-meter';
import { percentile } from './stats';

export interface LifecycleResults {
  latency: { call: string; samples: number; p50: number; p99: number }[];
  roundTrips: { scenario: string; summary: CallSummary; target?: { roundTrips: number; writes: number } }[];
}

export async function measureLifecycle(options: { warmup: number; samples: number }): Promise<LifecycleResults> {
  const table = await startLocalTable();
  try {
    const meter = new DynamoMeter(table.client);
    const ports = portsFor(table.newStore());
    const create = async (gatewayId: string, body: { vpn_server: Record<string, unknown> }) =>
      (await createVpnServer(parseCreateVpnServer({ projectId: PROJECT, gatewayId, clientTokenField: 'X-Client-Token', body }), ports)).id;
    const passwordServer = await create(GATEWAY, passwordAuthExample());
    const certServer = await create(SECOND_GATEWAY, certAuthExample());
    const update = (port: number) =>
      updateVpnServer(parseUpdateVpnServer({ projectId: PROJECT, serverId: passwordServer, body: { vpn_server: { ssl_options: { port } } } }), ports);
    const importCa = (content: string, clientToken?: string) =>
      importClientCa(
        parseImportClientCa({ projectId: PROJECT, serverId: certServer, clientTokenField: 'X-Client-Token', ...(clientToken ? { clientToken } : {}), body: { client_ca_certificate: { content } } }),
        ports,
      );
    const exportProfile = () => exportClientConfig(parseExportClientConfig({ projectId: PROJECT, serverId: passwordServer, body: {} }), ports);

    const roundTrips: LifecycleResults['roundTrips'] = [];
    const record = async (scenario: string, action: () => Promise<unknown>, target?: { roundTrips: number; writes: number }) => {
      meter.take();
      await action();
      roundTrips.push({ scenario, summary: summarise(meter.take()), ...(target ? { target } : {}) });
    };
    const [content] = validClientCaPems(1) as [string];
    await record('update, first read of the server by id (pointer written)', () => update(1194));
    await record('update, warm (a port change)', () => update(443), { roundTrips: 2, writes: 1 });
    await record('update that changes nothing', () => update(443), { roundTrips: 1, writes: 0 });
    await record('import client CA, first read by id', () => importCa(content));
    const [imported] = (await ports.store.readServer({ projectId: PROJECT, serverId: certServer })).server!.client_ca_certificates.slice(-1);
    await deleteClientCa({ projectId: PROJECT, serverId: certServer, caId: imported!.id }, ports);
    const token = randomUUID();
    let lastCa = '';
    await record('import client CA, warm, no token', async () => (lastCa = (await importCa(content)).id), { roundTrips: 2, writes: 1 });
    await deleteClientCa({ projectId: PROJECT, serverId: certServer, caId: lastCa }, ports);
    await record('import client CA, warm, with token', () => importCa(content, token), { roundTrips: 3, writes: 2 });
    await record('import replay (same token, same body)', () => importCa(content, token), { roundTrips: 1, writes: 0 });
    await record('export client config, warm', exportProfile, { roundTrips: 2, writes: 0 });

    const measure = async (call: string, run: (i: number) => Promise<unknown>, after?: (i: number) => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < options.warmup + options.samples; i += 1) {
        const started = performance.now();
        await run(i);
        const elapsed = performance.now() - started;
        if (i >= options.warmup) times.push(elapsed);
        await after?.(i);
      }
      return { call, samples: options.samples, p50: percentile(times, 50), p99: percentile(times, 99) };
    };
    const [tokenImport] = (await ports.store.readServer({ projectId: PROJECT, serverId: certServer })).server!.client_ca_certificates.slice(-1);
    await deleteClientCa({ projectId: PROJECT, serverId: certServer, caId: tokenImport!.id }, ports);
    const latency = [
      await measure('update (a port change)', (i) => update(i % 2 === 0 ? 1194 : 443)),
      await measure(
        'import client CA, no token',
        async () => (lastCa = (await importCa(content)).id),
        () => deleteClientCa({ projectId: PROJECT, serverId: certServer, caId: lastCa }, ports),
      ),
      await measure('export client config', exportProfile),
    ];
    return { latency, roundTrips };
  } finally {
    await table.close();
  }
}
