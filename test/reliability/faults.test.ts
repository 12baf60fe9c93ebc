/** Faults at every step of a create (DynamoStore over a client with a fault-injecting middleware, and the
 * createVpnServer use case): before each command is sent and after it succeeded (a crash between the
 * write and the answer). A retry with the same token completes the original request; nothing is ever
 * duplicated, orphaned or half written. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createVpnServer, type CreateVpnServerResult } from '../../lib/vpn-servers/create';
import { isServiceError } from '../../lib/vpn-servers/errors';
import type { UseCasePorts, VpnServerStore } from '../../lib/vpn-servers/ports';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { PROJECT, passwordAuthExample } from '../support/requests';
import { printFigures } from './support/api';
import { faultyClient, InjectedFault, throttlingError, type FaultMode } from './support/fault-client';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways, tokenMismatch } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(60);
const freshGateway = (() => {
  let next = 0;
  return () => {
    const gateway = gateways[next];
    next += 1;
    if (!gateway) throw new Error('seed more gateways');
    return gateway;
  };
})();

let table: LocalTable;
const figures = { creates: 0, faultsInjected: 0, retries: 0, propertyRuns: 0, duplicates: 0, orphans: 0, halfWritten: 0 };
const scenarios: { token?: string }[] = [];

beforeAll(async () => {
  table = await startLocalTable(seed);
});

afterAll(async () => {
  printFigures('faults', {
    creates: figures.creates,
    faults_injected: figures.faultsInjected,
    retries: figures.retries,
    property_runs: figures.propertyRuns,
    duplicates: figures.duplicates,
    orphans: figures.orphans,
    half_written: figures.halfWritten,
  });
  logs.restore();
  await table?.close();
});

const portsFor = (store: VpnServerStore): UseCasePorts => ({ store, now: () => new Date(), newId: randomUUID });

function command(gatewayId: string, clientToken: string | undefined, body: unknown = passwordAuthExample()) {
  return parseCreateVpnServer({ projectId: PROJECT, gatewayId, clientToken, clientTokenField: 'X-Client-Token', body });
}

async function attempt(store: VpnServerStore, gatewayId: string, token: string | undefined): Promise<CreateVpnServerResult | Error> {
  figures.creates += 1;
  return createVpnServer(command(gatewayId, token), portsFor(store)).catch((error: Error) => error);
}

async function gatewayState(gatewayId: string, token?: string) {
  const contents = await projectItems(table.client, table.tableName);
  return {
    servers: contents.servers.filter((server) => server.p2c_vgw_id === gatewayId),
    reservation: token ? contents.tokens.find((item) => item.token === token) : undefined,
    problems: [...integrityProblems(contents), ...(token ? [tokenMismatch(contents, token)].filter(Boolean) : [])],
  };
}

/** A faulty client and a cold store on it; the same client's faults can be switched off for a retry. */
function faultyStore(failAt?: number, mode: FaultMode = 'before') {
  const faulty = faultyClient(table.engine.endpoint);
  faulty.state.failAt = failAt;
  faulty.state.mode = mode;
  return { ...faulty, store: table.newStore(faulty.client) };
}

describe('the steps of a create', () => {
  test('a cold create with a token is: batch read, route read, token reservation, server write', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    scenarios.push({ token });
    const { client, state, store } = faultyStore();
    const result = await attempt(store, gateway, token);
    expect(result).not.toBeInstanceOf(Error);
    expect(state.commands).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'PutItemCommand', 'PutItemCommand']);
    client.destroy();
  });
});

const STEPS = [
  [1, 'batch read'],
  [2, 'route read'],
  [3, 'token reservation'],
  [4, 'server write'],
] as const;
const CASES = STEPS.flatMap(([index, name]) => (['before', 'after'] as const).map((mode) => [index, name, mode] as const));

describe.each(CASES)('a fault at step %i (%s), %s the command', (failAt, _name, mode) => {
  test('the create fails with the fault; a retry with the same token completes with one server and the reserved id', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    scenarios.push({ token });
    const { client, state, store } = faultyStore(failAt, mode);

    const failed = await attempt(store, gateway, token);
    expect(failed).toBeInstanceOf(InjectedFault);
    expect(state.injected).toBe(1);
    figures.faultsInjected += state.injected;

    // what the crash left: the writes that happened are whole, nothing else
    const wrote = (step: number) => failAt > step || (failAt === step && mode === 'after');
    const left = await gatewayState(gateway, token);
    expect(left.problems).toEqual([]);
    expect(left.servers).toHaveLength(wrote(4) ? 1 : 0);
    expect(left.reservation !== undefined).toBe(wrote(3));
    if (wrote(4)) expect(left.servers[0]!.id).toBe(left.reservation!.server_id);

    // the same warm store retries (the fault is gone), then a cold one (another container)
    state.failAt = undefined;
    figures.retries += 2;
    const retried = await attempt(store, gateway, token);
    const again = await attempt(table.newStore(), gateway, token);
    expect(retried).not.toBeInstanceOf(Error);
    expect(again).not.toBeInstanceOf(Error);
    const { id } = retried as CreateVpnServerResult;
    expect((again as CreateVpnServerResult).id).toBe(id);
    expect((again as CreateVpnServerResult).replayed).toBe(true);
    if (wrote(3)) expect(id).toBe(left.reservation!.server_id);
    if (wrote(4)) expect((retried as CreateVpnServerResult).replayed).toBe(true);

    const after = await gatewayState(gateway, token);
    expect(after.problems).toEqual([]);
    expect(after.servers.map((server) => server.id)).toEqual([id]);
    expect(after.reservation?.server_id).toBe(id);
    client.destroy();
  });
});

describe('without a token', () => {
  test('a crash after the server write leaves the server whole; the retry is 409 VPN.0031 and adds nothing', async () => {
    const gateway = freshGateway();
    const { client, state, store } = faultyStore(3, 'after');
    expect(await attempt(store, gateway, undefined)).toBeInstanceOf(InjectedFault);
    figures.faultsInjected += state.injected;
    expect(state.commands).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'PutItemCommand']);
    const left = await gatewayState(gateway);
    expect(left.problems).toEqual([]);
    expect(left.servers).toHaveLength(1);

    state.failAt = undefined;
    figures.retries += 1;
    const retried = await attempt(store, gateway, undefined);
    expect(isServiceError(retried) && [retried.status, retried.code]).toEqual([409, 'VPN.0031']);
    expect((await gatewayState(gateway)).servers.map((server) => server.id)).toEqual(left.servers.map((server) => server.id));
    client.destroy();
  });
});

describe('throttling inside the SDK retry loop', () => {
  test('every attempt throttled: bounded SDK attempts, then VPN.0429 with a retry-after, nothing written', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    scenarios.push({ token });
    const faulty = faultyClient(table.engine.endpoint, { maxAttempts: 2 });
    faulty.state.failEveryAttempt = throttlingError;
    const failed = await attempt(table.newStore(faulty.client), gateway, token);
    figures.faultsInjected += faulty.state.injected;
    expect(isServiceError(failed) && [failed.status, failed.code, failed.retryAfter]).toEqual([429, 'VPN.0429', 1]);
    // one BatchGetItem, two attempts: the SDK's retries are bounded by maxAttempts
    expect([faulty.state.commands, faulty.state.attempts]).toEqual([['BatchGetItemCommand'], 2]);
    const left = await gatewayState(gateway, token);
    expect([left.servers, left.reservation]).toEqual([[], undefined]);
    faulty.client.destroy();
  });

  test('throttling only the writes: 429 after the SDK retries, and a retry once it clears completes', async () => {
    const gateway = freshGateway();
    const token = randomUUID();
    scenarios.push({ token });
    const faulty = faultyClient(table.engine.endpoint, { maxAttempts: 2 });
    const store = table.newStore(faulty.client);
    let throttleWrites = true;
    faulty.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (throttleWrites && context.commandName === 'PutItemCommand') {
          figures.faultsInjected += 1;
          throw throttlingError();
        }
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'throttleWrites' },
    );
    const failed = await attempt(store, gateway, token);
    expect(isServiceError(failed) && failed.code).toBe('VPN.0429');
    expect(await gatewayState(gateway, token)).toEqual({ servers: [], reservation: undefined, problems: [] });
    throttleWrites = false;
    figures.retries += 1;
    const retried = await attempt(store, gateway, token);
    expect(retried).not.toBeInstanceOf(Error);
    expect((await gatewayState(gateway, token)).servers.map((server) => server.id)).toEqual([(retried as CreateVpnServerResult).id]);
    faulty.client.destroy();
  });
});

describe('property: any sequence of faults, then a clean retry', () => {
  test('each attempt fails with its fault or returns the one id; the end state is one whole server with the token id', async () => {
    const fault = fc.record({ failAt: fc.integer({ min: 1, max: 6 }), mode: fc.constantFrom<FaultMode>('before', 'after') });
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { minLength: 1, maxLength: 4 }), fc.boolean(), async (faults, sameStore) => {
        figures.propertyRuns += 1;
        const gateway = freshGateway();
        const token = randomUUID();
        scenarios.push({ token });
        const faulty = faultyClient(table.engine.endpoint);
        let store = table.newStore(faulty.client);
        const ids = new Set<string>();
        for (const { failAt, mode } of faults) {
          faulty.state.commands = [];
          faulty.state.injected = 0;
          faulty.state.failAt = failAt;
          faulty.state.mode = mode;
          const result = await attempt(store, gateway, token);
          figures.faultsInjected += faulty.state.injected;
          if (result instanceof Error) {
            if (!(result instanceof InjectedFault)) throw result;
          } else {
            ids.add(result.id);
          }
          const state = await gatewayState(gateway, token);
          if (state.problems.length > 0) throw new Error(state.problems.join('; '));
          if (!sameStore) store = table.newStore(faulty.client);
        }
        faulty.state.failAt = undefined;
        figures.retries += 1;
        const final = await attempt(store, gateway, token);
        faulty.client.destroy();
        if (final instanceof Error) throw final;
        ids.add(final.id);
        const state = await gatewayState(gateway, token);
        return ids.size === 1 && state.problems.length === 0 && state.servers.length === 1 && state.servers[0]!.id === final.id && state.reservation?.server_id === final.id;
      }),
      { numRuns: 30 },
    );
  });
});

test('the table holds no duplicate, orphan or half-written server after every scenario', async () => {
  const contents = await projectItems(table.client, table.tableName);
  const problems = integrityProblems(contents);
  const orphans = scenarios.map(({ token }) => (token ? tokenMismatch(contents, token) : undefined)).filter(Boolean);
  figures.duplicates = problems.filter((problem) => /servers|share/.test(problem)).length;
  figures.halfWritten = problems.filter((problem) => problem.includes('lacks')).length;
  figures.orphans = orphans.length;
  expect(contents.servers.length).toBeGreaterThan(30);
  expect([...problems, ...orphans]).toEqual([]);
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  expect(logs.leaks()).toEqual([]);
});
