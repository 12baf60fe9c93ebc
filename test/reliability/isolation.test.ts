/** Project isolation through both functions, against dynalite: a key acts only in its projects (403),
 * and inside a project nothing of another project can be reached or even detected: every resource
 * kind of another project (gateway, its server, certificate, client token) answers exactly as an
 * unknown one does (404 VPN.0004, or nothing). */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { callApi, createEvent, listByGatewayEvent, listByProjectEvent, type ApiResponse } from '../support/api-events';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { DEMO_CREDENTIAL, OTHER_PROJECT, OTHER_PROJECT_GATEWAY, PROJECT, SECOND_GATEWAY, passwordAuthExample, passwordBody } from '../support/requests';
import { assertHuaweiResponse, buildHandlers, printFigures } from './support/api';
import { captureLogs } from './support/log-capture';
import { projectItems } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
/** bound to both demo projects, so path checks pass and only the resource rules decide */
const BOTH_PROJECTS = { accessKey: 'ISOLATIONKEY00000001', secretKey: 'IsolationSecretKeyForTestsOnly00000001' };
const OTHER_CERTIFICATE = demoSeed().certificates!.find((certificate) => certificate.project_id === OTHER_PROJECT)!.id;
const otherProjectBody = () => passwordBody({ server_certificate: { id: OTHER_CERTIFICATE }, local_subnets: ['10.30.0.0/24'] });

let table: LocalTable;
let handler: ReturnType<typeof buildHandlers>['api'];
let events: (event: unknown, context: unknown) => Promise<{ status_code: number; body: Record<string, any> }>;
const figures = { requests: 0, crossProjectProbes: 0, leaked: 0 };

beforeAll(async () => {
  const seed = demoSeed();
  seed.credentials = [...(seed.credentials ?? []), { access_key: BOTH_PROJECTS.accessKey, secret_key: BOTH_PROJECTS.secretKey, project_ids: [PROJECT, OTHER_PROJECT] }];
  table = await startLocalTable(seed);
  ({ api: handler, events } = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint }));
  // the other project has a server, so there is something to find if isolation were broken
  const created = await call(createEvent(OTHER_PROJECT, OTHER_PROJECT_GATEWAY, otherProjectBody(), { credential: BOTH_PROJECTS }));
  expect(created.status).toBe(201);
});

afterAll(async () => {
  printFigures('isolation', { requests: figures.requests, cross_project_probes: figures.crossProjectProbes, leaked: figures.leaked });
  logs.restore();
  await table?.close();
});

async function call(event: APIGatewayProxyEventV2): Promise<ApiResponse> {
  figures.requests += 1;
  const response = await callApi(handler, event);
  assertHuaweiResponse(response);
  return response;
}

/** A probe of another project's resource, answered exactly as the probe of an unknown id. */
async function expectSameAsUnknown(probe: (id: string) => APIGatewayProxyEventV2, otherProjectId: string, unknownId: string): Promise<void> {
  figures.crossProjectProbes += 1;
  const [other, unknown] = [await call(probe(otherProjectId)), await call(probe(unknownId))];
  const shape = (response: ApiResponse, id: string) => [response.status, response.json?.error_code, response.json?.error_msg?.replaceAll(id, '<id>')];
  if (other.status !== 404) figures.leaked += 1;
  expect(shape(other, otherProjectId)).toEqual(shape(unknown, unknownId));
  expect([other.status, other.json?.error_code]).toEqual([404, 'VPN.0004']);
}

describe('a key only acts in its own projects', () => {
  test.each([
    ['create', () => createEvent(OTHER_PROJECT, OTHER_PROJECT_GATEWAY, otherProjectBody())],
    ['list by gateway', () => listByGatewayEvent(OTHER_PROJECT, OTHER_PROJECT_GATEWAY)],
    ['list by project', () => listByProjectEvent(OTHER_PROJECT)],
  ])('%s in another project: 403 VPN.0007, and the same for a project that does not exist', async (_name, event) => {
    const response = await call(event());
    expect([response.status, response.json?.error_code]).toEqual([403, 'VPN.0007']);
    const nowhere = await call(listByProjectEvent('f'.repeat(32), { credential: DEMO_CREDENTIAL }));
    expect([nowhere.status, nowhere.json?.error_msg]).toEqual([403, response.json?.error_msg]);
  });

  test('X-Project-Id naming another project than the path: 403 VPN.0007, even for a key bound to both', async () => {
    const response = await call(listByProjectEvent(PROJECT, { credential: BOTH_PROJECTS, headers: { 'x-project-id': OTHER_PROJECT } }));
    expect([response.status, response.json?.error_code]).toEqual([403, 'VPN.0007']);
  });
});

describe("inside a project, another project's resources cannot be reached or detected", () => {
  test("another project's gateway, for a create: 404 VPN.0004 as for an unknown gateway, nothing written", async () => {
    await expectSameAsUnknown(
      (gateway) => createEvent(PROJECT, gateway, passwordAuthExample(), { credential: BOTH_PROJECTS }),
      OTHER_PROJECT_GATEWAY,
      randomUUID(),
    );
    const other = await projectItems(table.client, table.tableName, OTHER_PROJECT);
    expect(other.servers).toHaveLength(1);
    expect((await projectItems(table.client, table.tableName, PROJECT)).servers).toEqual([]);
  });

  test("another project's gateway (which has a server), for a list: 404 VPN.0004 as for an unknown gateway", async () => {
    await expectSameAsUnknown((gateway) => listByGatewayEvent(PROJECT, gateway, { credential: BOTH_PROJECTS }), OTHER_PROJECT_GATEWAY, randomUUID());
  });

  test("another project's server certificate: 404 VPN.0004 as for an unknown certificate", async () => {
    await expectSameAsUnknown(
      (certificate) => createEvent(PROJECT, SECOND_GATEWAY, passwordBody({ server_certificate: { id: certificate } }), { credential: BOTH_PROJECTS }),
      OTHER_CERTIFICATE,
      'scs0000000000000',
    );
  });

  test("the project list shows no server of another project", async () => {
    const response = await call(listByProjectEvent(PROJECT, { credential: BOTH_PROJECTS }));
    expect([response.status, response.json?.total_count, response.json?.vpn_servers]).toEqual([200, 0, []]);
    const other = await call(listByProjectEvent(OTHER_PROJECT, { credential: BOTH_PROJECTS }));
    expect(other.json?.vpn_servers.map((server: { p2c_vgw_id: string }) => server.p2c_vgw_id)).toEqual([OTHER_PROJECT_GATEWAY]);
  });

  test("another project's client token is a new token here: no replay of its id, no 409", async () => {
    const token = randomUUID();
    const first = await call(createEvent(OTHER_PROJECT, OTHER_PROJECT_GATEWAY, otherProjectBody(), { credential: BOTH_PROJECTS, clientToken: token }));
    // the other project's gateway already has its server: the token is spent there on a 409
    expect(first.status).toBe(409);
    const here = await call(createEvent(PROJECT, SECOND_GATEWAY, passwordAuthExample(), { credential: BOTH_PROJECTS, clientToken: token }));
    expect(here.status).toBe(201);
    const [server] = (await projectItems(table.client, table.tableName, PROJECT)).servers;
    expect(here.json?.vpn_server?.id).toBe(server?.id);
  });

  test("the event function keeps the same isolation: another project's gateway is 404 VPN.0004", async () => {
    figures.crossProjectProbes += 1;
    const result = await events({ action: 'ListVpnServersByVgw', project_id: PROJECT, p2c_vgw_id: OTHER_PROJECT_GATEWAY }, {});
    expect([result.status_code, result.body.error_code]).toEqual([404, 'VPN.0004']);
    const create = await events({ action: 'CreateVpnServer', project_id: PROJECT, p2c_vgw_id: OTHER_PROJECT_GATEWAY, vpn_server: passwordAuthExample().vpn_server }, {});
    expect([create.status_code, create.body.error_code]).toEqual([404, 'VPN.0004']);
  });
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  expect(logs.leaks([BOTH_PROJECTS.secretKey])).toEqual([]);
});
