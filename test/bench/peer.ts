/**
 * Ours against the textbook peer (test/bench/peer/handler.ts), both whole Lambda handlers in process
 * on one dynalite: a signed API Gateway v2 event in, the response out. Both verify the AK/SK signature
 * and the project binding; ours keeps the credential for a warm minute (lib/auth/credential-cache.ts),
 * the peer reads it on every call as a textbook does. Each create is on a gateway of its own, so ours
 * makes its first create on the gateway (it has not learned the gateway's VPC), as every successful
 * create in practice is. Ours and the peer alternate call by call, each on its own gateways.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { registerHooks } from 'node:module';
import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Seed } from '../../lib/store/seed';
import { callApi, createEvent, lambdaContext, type ApiResponse, type SigningCredential } from '../support/api-events';
import { demoSeed, startLocalTable } from '../support/local-table';
import { SERVER_CERTIFICATE_ID, passwordAuthExample } from '../support/requests';
import { DynamoMeter, summarise, type CallSummary } from './dynamo-meter';
import { percentile } from './stats';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

type PeerScenario = 'create, no token' | 'create, with token' | 'replay (same token, same body)';

interface PeerLatency {
  scenario: PeerScenario;
  samples: number;
  ours: { p50: number; p99: number };
  peer: { p50: number; p99: number };
}

export interface PeerResults {
  latency: PeerLatency[];
  calls: { scenario: PeerScenario; ours: CallSummary; peer: CallSummary }[];
}

interface Side {
  handler: Handler;
  meter: DynamoMeter;
  gateways: string[];
  ms: Record<PeerScenario, number[]>;
  calls: Partial<Record<PeerScenario, CallSummary>>;
}

const lowercaseUuid = (): string => randomUUID().toLowerCase();

function peerSeed(gatewayCount: number): { seed: Seed; project: string; gateways: string[]; credential: SigningCredential } {
  const demo = demoSeed();
  const project = randomBytes(16).toString('hex');
  const vpc = lowercaseUuid();
  const gateways = Array.from({ length: gatewayCount }, lowercaseUuid);
  const certificate = demo.certificates!.find((entry) => entry.id === SERVER_CERTIFICATE_ID)!;
  const routes = demo.vpc_route_tables![0]!;
  const credential = { accessKey: `BENCHPEER${randomBytes(6).toString('hex').toUpperCase()}`, secretKey: randomBytes(20).toString('hex') };
  return {
    project,
    gateways,
    credential,
    seed: {
      ...demo,
      credentials: [...(demo.credentials ?? []), { access_key: credential.accessKey, secret_key: credential.secretKey, project_ids: [project] }],
      p2c_vpn_gateways: [
        ...(demo.p2c_vpn_gateways ?? []),
        ...gateways.map((id, index) => ({
          project_id: project,
          id,
          name: `peer-${index}`,
          vpc_id: vpc,
          status: 'ACTIVE',
          max_connection_number: 50,
        })),
      ],
      vpc_route_tables: [...(demo.vpc_route_tables ?? []), { ...routes, project_id: project, vpc_id: vpc }],
      certificates: [...(demo.certificates ?? []), { ...certificate, project_id: project }],
    },
  };
}

/** middy exports only an "import" condition, which require() (tsx runs the bench as CommonJS) does not
 * try; with it added for @middy packages, Node 24 require()s the ES modules (jest.config.js maps them too). */
let middyResolves = false;
function resolveMiddyAsEsm(): void {
  if (middyResolves) return;
  middyResolves = true;
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      specifier.startsWith('@middy/')
        ? nextResolve(specifier, { ...context, conditions: [...(context.conditions ?? []), 'import'] })
        : nextResolve(specifier, context),
  });
}

/** Powertools' documented idempotency table: partition key `id`, on-demand. */
async function createIdempotencyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}

/** Ours writes one log line per call to stdout, which holds the bench's table: dropped while measuring (the lines are still formatted). */
async function quietStdout<T>(body: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true);
  try {
    return await body();
  } finally {
    process.stdout.write = write;
  }
}

export async function measurePeer(options: { warmup: number; samples: number }): Promise<PeerResults> {
  const { warmup, samples } = options;
  const perSide = 2 * (warmup + samples) + 2;
  const { seed, project, gateways, credential } = peerSeed(2 * perSide);
  const table = await startLocalTable(seed);
  const idempotencyTable = `peer-idempotency-${randomUUID()}`;
  const saved = { ...process.env };
  try {
    await createIdempotencyTable(table.client, idempotencyTable);
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      IDEMPOTENCY_TABLE_NAME: idempotencyTable,
      DYNAMODB_ENDPOINT: table.engine.endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    resolveMiddyAsEsm();
    // both read their environment when first built, as a cold function does
    const { createApiHandler } = await import('../../handlers/api');
    const { createRuntime, runtimeSettingsFromEnv } = await import('../../lib/runtime');
    const runtime = createRuntime(runtimeSettingsFromEnv());
    const ours = { handler: createApiHandler(runtime.ports, runtime.credentials) };
    const peer = await import('./peer/handler');
    // the store's document client shares the DynamoDB client's middleware stack: the meter sees every call
    const oursMeter = new DynamoMeter(runtime.dynamoDb);
    const peerMeter = new DynamoMeter(peer.dynamoClient);
    const side = (handler: Handler, meter: DynamoMeter, own: string[]): Side => ({
      handler,
      meter,
      gateways: own,
      ms: { 'create, no token': [], 'create, with token': [], 'replay (same token, same body)': [] },
      calls: {},
    });
    const sides = [
      side(ours.handler as unknown as Handler, oursMeter, gateways.slice(0, perSide)),
      side(peer.handler as unknown as Handler, peerMeter, gateways.slice(perSide)),
    ] as const;
    const body = passwordAuthExample();
    const context = (): Context => lambdaContext({ getRemainingTimeInMillis: () => 29_000 });

    const call = async (target: Side, scenario: PeerScenario, gatewayId: string, token: string | undefined, measured: boolean) => {
      // signed outside the timing: the caller's SDK signs
      const event = createEvent(project, gatewayId, body, { credential, ...(token ? { clientToken: token } : {}) });
      event.pathParameters = { project_id: project, p2c_vgw_id: gatewayId };
      target.meter.take();
      const started = performance.now();
      const response: ApiResponse = await callApi(target.handler, event, context());
      const elapsed = performance.now() - started;
      const calls = summarise(target.meter.take());
      if (response.status !== 201) {
        throw new Error(`${target === sides[0] ? 'ours' : 'peer'} ${scenario}: ${response.status} ${response.rawBody.slice(0, 300)}`);
      }
      if (measured) {
        target.ms[scenario].push(elapsed);
        target.calls[scenario] = calls;
      }
      return String(response.json?.vpn_server?.id);
    };

    await quietStdout(async () => {
      for (let i = 0; i < warmup + samples; i += 1) {
        const measured = i >= warmup;
        const order = i % 2 === 0 ? sides : ([sides[1], sides[0]] as const);
        for (const target of order) {
          await call(target, 'create, no token', target.gateways.shift()!, undefined, measured);
        }
        for (const target of order) {
          const gatewayId = target.gateways.shift()!;
          const token = lowercaseUuid();
          const created = await call(target, 'create, with token', gatewayId, token, measured);
          const replayed = await call(target, 'replay (same token, same body)', gatewayId, token, measured);
          if (replayed !== created) throw new Error(`${target === sides[0] ? 'ours' : 'peer'}: the replay answered ${replayed}, not ${created}`);
        }
      }
    });

    const scenarios: PeerScenario[] = ['create, no token', 'create, with token', 'replay (same token, same body)'];
    const stats = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
    return {
      latency: scenarios.map((scenario) => ({
        scenario,
        samples,
        ours: stats(sides[0].ms[scenario]),
        peer: stats(sides[1].ms[scenario]),
      })),
      calls: scenarios.map((scenario) => ({ scenario, ours: sides[0].calls[scenario]!, peer: sides[1].calls[scenario]! })),
    };
  } finally {
    for (const name of ['TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'DYNAMODB_ENDPOINT', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await table.close();
  }
}

/**
 * The peer's CPU for the large create of cpu.ts (20 subnets, 1,000 routes, 10 client CAs), timed as
 * measureCpu times ours: JSON.parse + the zod parse, the CIDR rules, the client CA checks. The peer
 * remembers nothing, so `firstSight` only changes the inputs (as it does for ours).
 */
export async function measurePeerCpu(options: { warmup: number; iterations: number; firstSight: boolean }): Promise<{ p50: number; p99: number }> {
  const { largeCreateBody } = await import('./cpu');
  const rules = await import('./peer/rules');
  const warmInput = largeCreateBody();
  const now = new Date();
  const totals: number[] = [];
  for (let i = 0; i < options.warmup + options.iterations; i += 1) {
    const { bodyText, routes } = options.firstSight ? largeCreateBody(i + 1) : warmInput;
    const routeTable = routes.map((destination) => ({ destination, nexthop: 'local' }));
    const started = performance.now();
    const parsed = rules.createBodySchema.safeParse(JSON.parse(bodyText));
    if (!parsed.success) throw new Error(`the bench body is not valid for the peer: ${rules.describeIssues(parsed.error).join('; ')}`);
    const problems = rules.cidrProblems(parsed.data.vpn_server, routeTable, 500);
    const checked = rules.checkClientCas(parsed.data.vpn_server, now);
    const elapsed = performance.now() - started;
    if (problems.length > 0 || checked.problems.length > 0 || checked.cas.length !== 10) {
      throw new Error(`the bench body is not a valid create for the peer: ${[...problems, ...checked.problems].join('; ')}`);
    }
    if (i >= options.warmup) totals.push(elapsed);
  }
  return { p50: percentile(totals, 50), p99: percentile(totals, 99) };
}
