/**
 * Warm create latency and DynamoDB round trips, in process against dynalite.
 *
 * The create is what the API handler does for POST once the request is authenticated: JSON.parse,
 * parseCreateVpnServer, createVpnServer over a warm store. Its baseline is the raw DynamoDB
 * calls the create makes, issued directly with the same client, items marshalled in advance: a
 * BatchGetItem of the same keys, the GetItem of the route table when the create made one, and the
 * conditional PutItem of a server item of the same size.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { keys } from '../../lib/store/keys';
import type { Store } from '../../lib/store/store';
import type { Seed } from '../../lib/store/seed';
import { createVpnServer } from '../../lib/vpn-servers/create';
import { listVpnServers } from '../../lib/vpn-servers/list';
import type { UseCasePorts } from '../../lib/vpn-servers/ports';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { parseListVpnServers } from '../../lib/vpn-servers/schemas/list-vpn-servers';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { GATEWAY, PROJECT, SERVER_CERTIFICATE_ID, passwordAuthExample } from '../support/requests';
import { portsFor } from '../support/use-cases';
import { DynamoMeter, summarise, type CallSummary } from './dynamo-meter';
import { percentile } from './stats';

type Key = { pk: string; sk: string };
type Item = Record<string, AttributeValue>;

const lowercaseUuid = (): string => randomUUID().toLowerCase();

export interface LatencyPair {
  samples: number;
  create: { p50: number; p99: number };
  raw: { p50: number; p99: number };
  /** the calls of one create, as the meter saw them */
  createCalls: CallSummary;
  rawCalls: CallSummary;
}

export interface DynamoResults {
  /** the gateway's VPC already known to the warm function (the route table rides in the batch) */
  vpcCached: LatencyPair;
  /** the first create the warm function sees on the gateway (every successful create in practice) */
  vpcNotCached: LatencyPair;
  roundTrips: { scenario: string; summary: CallSummary; target?: { roundTrips: number; writes?: number } }[];
}

interface Bench {
  table: LocalTable;
  meter: DynamoMeter;
  store: Store;
  ports: UseCasePorts;
  project: string;
  vpc: string;
  gateways: string[];
  bodyText: string;
}

/** The demo seed plus a project of `gatewayCount` ACTIVE gateways on one VPC, with its route table and server certificate. */
function benchSeed(gatewayCount: number): { seed: Seed; project: string; vpc: string; gateways: string[] } {
  const demo = demoSeed();
  const project = randomBytes(16).toString('hex');
  const vpc = lowercaseUuid();
  const gateways = Array.from({ length: gatewayCount }, lowercaseUuid);
  const demoCertificate = demo.certificates!.find((certificate) => certificate.id === SERVER_CERTIFICATE_ID)!;
  const demoRoutes = demo.vpc_route_tables!.find((table) => table.project_id === PROJECT)!;
  return {
    project,
    vpc,
    gateways,
    seed: {
      ...demo,
      p2c_vpn_gateways: [
        ...(demo.p2c_vpn_gateways ?? []),
        ...gateways.map((id, index) => ({
          project_id: project,
          id,
          name: `bench-${index}`,
          vpc_id: vpc,
          status: 'ACTIVE',
          max_connection_number: 50,
        })),
      ],
      vpc_route_tables: [...(demo.vpc_route_tables ?? []), { ...demoRoutes, project_id: project, vpc_id: vpc }],
      certificates: [...(demo.certificates ?? []), { ...demoCertificate, project_id: project }],
    },
  };
}

async function create(bench: Bench, projectId: string, gatewayId: string, clientToken?: string): Promise<string> {
  const command = parseCreateVpnServer({
    projectId,
    gatewayId,
    clientToken,
    clientTokenField: 'X-Client-Token',
    body: JSON.parse(bench.bodyText),
  });
  return (await createVpnServer(command, bench.ports)).id;
}

const marshallKey = (key: Key): Item => ({ pk: { S: key.pk }, sk: { S: key.sk } });

class RawCalls {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly project: string,
    private readonly vpc: string,
    /** a server item as the create writes it, marshalled, without its key */
    private readonly serverItem: Item,
  ) {}

  /** BatchGetItem of the create's keys (with the route table when the VPC is cached), [GetItem of the route table], PutItem. */
  async run(gatewayId: string, vpcCached: boolean): Promise<void> {
    const wanted = [
      keys.gateway(this.project, gatewayId),
      keys.server(this.project, gatewayId),
      keys.certificate(this.project, SERVER_CERTIFICATE_ID),
      ...(vpcCached ? [keys.routes(this.project, this.vpc)] : []),
    ].map(marshallKey);
    await this.client.send(
      new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }),
    );
    if (!vpcCached) {
      await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: marshallKey(keys.routes(this.project, this.vpc)), ConsistentRead: true }),
      );
    }
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { ...this.serverItem, ...marshallKey(keys.server(this.project, gatewayId)) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }
}

async function serverItemOf(bench: Bench, gatewayId: string): Promise<Item> {
  const output = await bench.table.client.send(
    new GetItemCommand({ TableName: bench.table.tableName, Key: marshallKey(keys.server(bench.project, gatewayId)), ConsistentRead: true }),
  );
  if (!output.Item) throw new Error('the create wrote no server');
  const { pk: _pk, sk: _sk, ...item } = output.Item;
  return item;
}

/**
 * Alternates one create and one raw sequence per iteration (each on a fresh gateway) so that drift in
 * the engine (table growth, GC) hits both sides alike.
 */
async function measurePair(bench: Bench, raw: RawCalls, vpcCached: boolean, warmup: number, samples: number): Promise<LatencyPair> {
  const take = (count: number) => bench.gateways.splice(0, count);
  const createGateways = take(warmup + samples);
  const rawGateways = take(warmup + samples);
  if (rawGateways.length < warmup + samples) throw new Error('not enough bench gateways');
  if (vpcCached) {
    // a read of each gateway through the store, as an earlier attempt on it would have made
    for (const gatewayId of createGateways) {
      await bench.store.readForCreate({ projectId: bench.project, gatewayId, certificateId: SERVER_CERTIFICATE_ID });
    }
  }
  bench.meter.take();
  const createMs: number[] = [];
  const rawMs: number[] = [];
  let createCalls: CallSummary | undefined;
  let rawCalls: CallSummary | undefined;
  for (let i = 0; i < warmup + samples; i += 1) {
    const measured = i >= warmup;
    const runCreate = async () => {
      const started = performance.now();
      await create(bench, bench.project, createGateways[i]!);
      const elapsed = performance.now() - started;
      if (measured) createMs.push(elapsed);
      const calls = summarise(bench.meter.take());
      createCalls ??= calls;
    };
    const runRaw = async () => {
      const started = performance.now();
      await raw.run(rawGateways[i]!, vpcCached);
      const elapsed = performance.now() - started;
      if (measured) rawMs.push(elapsed);
      const calls = summarise(bench.meter.take());
      rawCalls ??= calls;
    };
    if (i % 2 === 0) {
      await runCreate();
      await runRaw();
    } else {
      await runRaw();
      await runCreate();
    }
  }
  return {
    samples,
    create: { p50: percentile(createMs, 50), p99: percentile(createMs, 99) },
    raw: { p50: percentile(rawMs, 50), p99: percentile(rawMs, 99) },
    createCalls: createCalls!,
    rawCalls: rawCalls!,
  };
}

async function roundTrips(bench: Bench): Promise<DynamoResults['roundTrips']> {
  const results: DynamoResults['roundTrips'] = [];
  const record = async (
    scenario: string,
    action: () => Promise<unknown>,
    target?: { roundTrips: number; writes?: number },
  ) => {
    bench.meter.take();
    await action();
    results.push({ scenario, summary: summarise(bench.meter.take()), ...(target ? { target } : {}) });
  };
  const [cached, cachedWithToken, fresh, freshWithToken] = bench.gateways.splice(0, 4) as [string, string, string, string];
  for (const gatewayId of [cached, cachedWithToken]) {
    await bench.store.readForCreate({ projectId: bench.project, gatewayId, certificateId: SERVER_CERTIFICATE_ID });
  }
  const token = lowercaseUuid();
  await record('create, no token (gateway VPC cached)', () => create(bench, bench.project, cached), { roundTrips: 2, writes: 1 });
  await record('create, no token (first create on the gateway)', () => create(bench, bench.project, fresh), { roundTrips: 2, writes: 1 });
  await record('create, with token (gateway VPC cached)', () => create(bench, bench.project, cachedWithToken, token), {
    roundTrips: 3,
    writes: 2,
  });
  await record('create, with token (first create on the gateway)', () => create(bench, bench.project, freshWithToken, lowercaseUuid()), {
    roundTrips: 3,
    writes: 2,
  });
  await record('replay (same token, same body)', () => create(bench, bench.project, cachedWithToken, token), { roundTrips: 1, writes: 0 });
  await record('list by gateway', () =>
    listVpnServers(parseListVpnServers({ projectId: bench.project, gatewayId: cached }), bench.ports),
    { roundTrips: 1, writes: 0 },
  );
  // the demo project holds a handful of servers: one page answers everything
  await create(bench, PROJECT, GATEWAY);
  await record('list by project (1 page, demo project)', () => listVpnServers(parseListVpnServers({ projectId: PROJECT }), bench.ports), {
    roundTrips: 1,
    writes: 0,
  });
  await record(
    'list by project (first of several pages, limit 200)',
    () => listVpnServers(parseListVpnServers({ projectId: bench.project }), bench.ports),
  );
  return results;
}

export async function measureDynamo(options: { warmup: number; cachedSamples: number; freshSamples: number }): Promise<DynamoResults> {
  const { warmup, cachedSamples, freshSamples } = options;
  const gatewayCount = 2 * (2 * warmup + cachedSamples + freshSamples) + 10;
  const { seed, project, vpc, gateways } = benchSeed(gatewayCount);
  const table = await startLocalTable(seed);
  try {
    const meter = new DynamoMeter(table.client);
    const store = table.newStore();
    const bench: Bench = {
      table,
      meter,
      store,
      ports: portsFor(store),
      project,
      vpc,
      gateways,
      bodyText: JSON.stringify(passwordAuthExample()),
    };
    // one create gives the server item the raw PutItem writes
    const sample = bench.gateways.shift()!;
    await create(bench, project, sample);
    const raw = new RawCalls(table.client, table.tableName, project, vpc, await serverItemOf(bench, sample));

    const vpcCached = await measurePair(bench, raw, true, warmup, cachedSamples);
    const vpcNotCached = await measurePair(bench, raw, false, warmup, freshSamples);
    return { vpcCached, vpcNotCached, roundTrips: await roundTrips(bench) };
  } finally {
    await table.close();
  }
}
