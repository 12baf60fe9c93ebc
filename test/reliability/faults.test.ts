/** Faults at every step of a create (DynamoStore over a client with a fault-injecting middleware, and the
 * createVpnServer use case): before each command is sent and after it succeeded (a crash between the
 * write and the answer). A retry with the same token completes the original request; nothing is ever
 * duplicated, orphaned or half written. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { importClientCa } from '../../lib/vpn-servers/client-cas';
import { createVpnServer } from '../../lib/vpn-servers/create';

type CreateVpnServerResult = Awaited<ReturnType<typeof createVpnServer>>;
import { isServiceError } from '../../lib/core/errors';
import type { VpnServerStore } from '../../lib/vpn-servers/ports';
import type { VpnServerRecord } from '../../lib/vpn-servers/records';
import { parseImportClientCa } from '../../lib/vpn-servers/schemas/client-ca';
import { parseCreateVpnServer } from '../../lib/vpn-servers/schemas/create-vpn-server';
import { startLocalTable, type LocalTable } from '../support/local-table';
import { PROJECT, certAuthExample, certificatePem, passwordAuthExample } from '../support/requests';
import { portsFor } from '../support/use-cases';
import { apiEvent, callApi, createEvent } from '../support/api-events';
import { importPath } from '../support/paths';
import { buildHandlers, printFigures } from './support/api';
import { startFaultProxy } from './support/fault-proxy';
import { faultyClient, InjectedFault, throttlingError, type FaultMode } from './support/fault-client';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems, seedWithGateways, tokenMismatch } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
const { seed, gateways } = seedWithGateways(100);
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
const figures = {
  creates: 0,
  faultsInjected: 0,
  retries: 0,
  propertyRuns: 0,
  duplicates: 0,
  orphans: 0,
  halfWritten: 0,
  imports: 0,
  importFaults: 0,
  importRetries: 0,
  importPropertyRuns: 0,
  twoCasForOneToken: 0,
};
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
    imports: figures.imports,
    import_faults_injected: figures.importFaults,
    import_retries: figures.importRetries,
    import_property_runs: figures.importPropertyRuns,
    two_cas_for_one_token: figures.twoCasForOneToken,
  });
  logs.restore();
  await table?.close();
});

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
    const sentBeforeRetry = state.commands.length;
    const retried = await attempt(store, gateway, token);
    const cold = faultyStore();
    const again = await attempt(cold.store, gateway, token);
    cold.client.destroy();
    expect(retried).not.toBeInstanceOf(Error);
    expect(again).not.toBeInstanceOf(Error);
    const { id } = retried as CreateVpnServerResult;
    expect((again as CreateVpnServerResult).id).toBe(id);
    // a replay writes nothing
    expect(cold.state.commands).not.toContain('PutItemCommand');
    if (wrote(3)) expect(id).toBe(left.reservation!.server_id);
    if (wrote(4)) expect(state.commands.slice(sentBeforeRetry)).not.toContain('PutItemCommand');

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

describe('faults at every step of a client CA import with X-Client-Token', () => {
  const IMPORTED = certificatePem('ec-p384-ca');
  /** a CERT server (the example's one client CA) on a gateway of its own, never read by id yet */
  async function freshCertServer(): Promise<VpnServerRecord> {
    const gateway = freshGateway();
    const { id } = await createVpnServer(command(gateway, undefined, certAuthExample()), portsFor(table.newStore()));
    return (await gatewayState(gateway)).servers.find((server) => server.id === id)!;
  }
  async function importAttempt(store: VpnServerStore, serverId: string, token: string | undefined, name: string | null = 'faulted_import') {
    figures.imports += 1;
    const request = parseImportClientCa({
      projectId: PROJECT,
      serverId,
      clientToken: token,
      clientTokenField: 'X-Client-Token',
      body: { client_ca_certificate: { ...(name ? { name } : {}), content: IMPORTED } },
    });
    return importClientCa(request, portsFor(store)).catch((error: Error) => error);
  }
  /** the server as stored, its CAs beyond the example's, the token's reservation, and the table's problems */
  async function serverState(server: VpnServerRecord, token?: string) {
    const contents = await projectItems(table.client, table.tableName);
    const stored = contents.servers.find((item) => item.id === server.id)!;
    return {
      stored,
      added: stored.client_ca_certificates.filter((ca) => ca.id !== server.client_ca_certificates[0]!.id),
      reservation: token ? contents.tokens.find((item) => item.token === token) : undefined,
      problems: integrityProblems(contents),
    };
  }

  test('a cold import with a token on a server never read by id is: pointer read, server query, pointer write, batch read, token reservation, server write', async () => {
    const server = await freshCertServer();
    const { client, state, store } = faultyStore();
    const result = await importAttempt(store, server.id, randomUUID());
    expect(result).not.toBeInstanceOf(Error);
    expect(state.commands).toEqual(['GetItemCommand', 'QueryCommand', 'PutItemCommand', 'BatchGetItemCommand', 'PutItemCommand', 'PutItemCommand']);
    client.destroy();
  });

  const IMPORT_STEPS = [
    [1, 'pointer read'],
    [2, 'server query'],
    [3, 'pointer write'],
    [4, 'batch read'],
    [5, 'token reservation'],
    [6, 'server write'],
  ] as const;
  const IMPORT_CASES = IMPORT_STEPS.flatMap(([index, name]) => (['before', 'after'] as const).map((mode) => [index, name, mode] as const));

  test.each(IMPORT_CASES)('a fault at step %i (%s), %s the command: a retry with the token completes the import with one CA', async (failAt, _name, mode) => {
    const server = await freshCertServer();
    const token = randomUUID();
    const { client, state, store } = faultyStore(failAt, mode);

    const failed = await importAttempt(store, server.id, token);
    expect(failed).toBeInstanceOf(InjectedFault);
    expect(state.injected).toBe(1);
    figures.faultsInjected += state.injected;
    figures.importFaults += state.injected;

    // what the crash left: the writes that happened are whole, nothing else
    const wrote = (step: number) => failAt > step || (failAt === step && mode === 'after');
    const left = await serverState(server, token);
    expect(left.problems).toEqual([]);
    expect(left.added).toHaveLength(wrote(6) ? 1 : 0);
    expect(left.reservation !== undefined).toBe(wrote(5));
    if (wrote(5)) expect(left.reservation!.client_ca_id).toMatch(/^[0-9a-f-]{36}$/);
    if (wrote(6)) expect(left.added[0]!.id).toBe(left.reservation!.client_ca_id);
    expect(left.stored.version).toBe(wrote(6) ? 2 : 1);

    // the same warm store retries (the fault is gone), then a cold one (another container)
    state.failAt = undefined;
    figures.retries += 2;
    figures.importRetries += 2;
    const retried = await importAttempt(store, server.id, token);
    const again = await importAttempt(table.newStore(), server.id, token);
    if (retried instanceof Error) throw retried;
    if (again instanceof Error) throw again;
    expect(again.id).toBe(retried.id);
    if (wrote(5)) expect(retried.id).toBe(left.reservation!.client_ca_id);

    const after = await serverState(server, token);
    expect(after.problems).toEqual([]);
    if (after.added.length > 1) figures.twoCasForOneToken += 1;
    expect(after.added.map((ca) => [ca.id, ca.name])).toEqual([[retried.id, 'faulted_import']]);
    expect(after.reservation?.client_ca_id).toBe(retried.id);
    expect(after.stored.completed_imports.map((entry) => [entry.token, entry.client_ca_id])).toEqual([[token, retried.id]]);
    expect(after.stored.version).toBe(2);
    client.destroy();
  });

  test('without a token: a crash after the server write leaves the CA whole; the retry is 400 VPN.0077 and adds nothing', async () => {
    const server = await freshCertServer();
    const { client, state, store } = faultyStore(5, 'after');
    expect(await importAttempt(store, server.id, undefined, null)).toBeInstanceOf(InjectedFault);
    figures.faultsInjected += state.injected;
    figures.importFaults += state.injected;
    // no token: no reservation between the batch read and the server write
    expect(state.commands).toEqual(['GetItemCommand', 'QueryCommand', 'PutItemCommand', 'BatchGetItemCommand', 'PutItemCommand']);
    const left = await serverState(server);
    expect(left.problems).toEqual([]);
    expect(left.added).toHaveLength(1);

    state.failAt = undefined;
    figures.retries += 1;
    figures.importRetries += 1;
    const retried = await importAttempt(store, server.id, undefined, null);
    expect(isServiceError(retried) && [retried.status, retried.code]).toEqual([400, 'VPN.0077']);
    expect((await serverState(server)).added.map((ca) => ca.id)).toEqual(left.added.map((ca) => ca.id));
    client.destroy();
  });

  test('property: any sequence of faults on imports with one token, then a clean retry: one id, one CA', async () => {
    const fault = fc.record({ failAt: fc.integer({ min: 1, max: 7 }), mode: fc.constantFrom<FaultMode>('before', 'after') });
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { minLength: 1, maxLength: 4 }), fc.boolean(), async (faults, sameStore) => {
        figures.importPropertyRuns += 1;
        const server = await freshCertServer();
        const token = randomUUID();
        const faulty = faultyClient(table.engine.endpoint);
        let store = table.newStore(faulty.client);
        const ids = new Set<string>();
        for (const { failAt, mode } of faults) {
          faulty.state.commands = [];
          faulty.state.injected = 0;
          faulty.state.failAt = failAt;
          faulty.state.mode = mode;
          const result = await importAttempt(store, server.id, token);
          figures.faultsInjected += faulty.state.injected;
          figures.importFaults += faulty.state.injected;
          if (result instanceof Error) {
            if (!(result instanceof InjectedFault)) throw result;
          } else {
            ids.add(result.id);
          }
          const state = await serverState(server, token);
          if (state.problems.length > 0) throw new Error(state.problems.join('; '));
          if (state.added.length > 1) throw new Error(`two CAs for one token: ${state.added.map((ca) => ca.id).join(', ')}`);
          if (!sameStore) store = table.newStore(faulty.client);
        }
        faulty.state.failAt = undefined;
        figures.importRetries += 1;
        const final = await importAttempt(store, server.id, token);
        faulty.client.destroy();
        if (final instanceof Error) throw final;
        ids.add(final.id);
        const state = await serverState(server, token);
        if (state.added.length > 1) figures.twoCasForOneToken += 1;
        expect([...ids]).toEqual([final.id]);
        expect(state.added.map((ca) => ca.id)).toEqual([final.id]);
        expect(state.reservation?.client_ca_id).toBe(final.id);
      }),
      { numRuns: 20 },
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

describe('through the API handler, which logs', () => {
  // The use cases above log nothing: these calls give the scan below lines to read, with a signed
  // request, a certificate body and a fault in them.
  test('a throttled create, its retry and a client CA import each log their outcome', async () => {
    const proxy = await startFaultProxy(table.engine.endpoint);
    try {
      const { api } = buildHandlers({ tableName: table.tableName, endpoint: proxy.endpoint, maxAttempts: 1 });
      const gateway = freshGateway();
      const clientToken = randomUUID();
      scenarios.push({ token: clientToken });
      proxy.rule = (operation) => (operation === 'PutItem' ? 'throttle' : 'pass');
      const throttled = await callApi(api, createEvent(PROJECT, gateway, certAuthExample(), { clientToken }));
      expect([throttled.status, throttled.json?.error_code]).toEqual([429, 'VPN.0429']);
      figures.faultsInjected += proxy.calls.filter((call) => call.action === 'throttle').length;

      proxy.rule = () => 'pass';
      figures.retries += 1;
      const created = await callApi(api, createEvent(PROJECT, gateway, certAuthExample(), { clientToken }));
      expect(created.status).toBe(201);
      const serverId = String(created.json?.vpn_server?.id);
      const body = { client_ca_certificate: { name: 'logged_import', content: certificatePem('ec-p384-ca') } };
      const imported = await callApi(api, apiEvent({ method: 'POST', path: importPath(PROJECT, serverId), body, clientToken: randomUUID() }));
      expect(imported.status).toBe(201);
    } finally {
      await proxy.close();
    }
  });
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  const outcomes = logs.lines.filter((line) => /"message":"request (completed|refused|failed)"/.test(line));
  expect(outcomes.length).toBeGreaterThanOrEqual(3);
  expect(outcomes.some((line) => line.includes('"status":429'))).toBe(true);
  expect(logs.leaks()).toEqual([]);
});
