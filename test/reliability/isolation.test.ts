/** Project isolation through both functions, against dynalite: a key acts only in its projects (403),
 * and inside a project nothing of another project can be reached or even detected: every resource
 * kind of another project (gateway, its server, certificate, client token) answers exactly as an
 * unknown one does (404 VPN.0004, or nothing). */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiEvent, callApi, createEvent, listByGatewayEvent, listByProjectEvent, type ApiResponse, type SigningCredential } from '../support/api-events';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import {
  DEMO_CREDENTIAL,
  GATEWAY,
  OTHER_PROJECT,
  OTHER_PROJECT_GATEWAY,
  PROJECT,
  SECOND_GATEWAY,
  certAuthExample,
  certificatePem,
  passwordAuthExample,
  passwordBody,
} from '../support/requests';
import { buildHandlers, printFigures } from './support/api';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { pathIdsOf, type AnyOperation } from '../../lib/operations/operation';
import { isMemberOperation, memberFixture } from '../support/members';
import { idsOf, pathOf, sampleEvent, samplePayload } from '../support/samples';
import { clientCaPath, importPath } from '../support/paths';
import { assertLifecycleResponse } from './support/lifecycle';
import { captureLogs } from './support/log-capture';
import { integrityProblems, projectItems } from './support/table';

jest.setTimeout(60_000);

const logs = captureLogs();
/** bound to both demo projects, so path checks pass and only the resource rules decide */
const BOTH_PROJECTS = { accessKey: 'ISOLATIONKEY00000001', secretKey: 'IsolationSecretKeyForTestsOnly00000001' };
const OTHER_CERTIFICATE = demoSeed().certificates!.find((certificate) => certificate.project_id === OTHER_PROJECT)!.id;
const otherProjectBody = () => passwordBody({ server_certificate: { id: OTHER_CERTIFICATE }, local_subnets: ['10.30.0.0/24'] });
/** the other project's server: a CERT one, so it has a client CA id to probe for */
const otherProjectCertBody = () =>
  passwordBody({
    server_certificate: { id: OTHER_CERTIFICATE },
    local_subnets: ['10.30.0.0/24'],
    client_auth_type: 'CERT',
    client_ca_certificates: [{ name: 'other_project_ca', content: certificatePem('ec-p256-ca') }],
  });

let table: LocalTable;
let handler: ReturnType<typeof buildHandlers>['api'];
let events: (event: unknown, context: unknown) => Promise<{ status_code: number; body: Record<string, any> }>;
const figures = { requests: 0, crossProjectProbes: 0, lifecycleProbes: 0, eventProbes: 0, leaked: 0, otherChanged: 0 };
/** the other project's server and its client CA: what the probes look for from the demo project */
const other = { serverId: '', caId: '', passwordServerId: '', userId: '', groupId: '', policyId: '' };
/** a second gateway in each project, for a password server with a user, a group and a policy */
const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === OTHER_PROJECT_GATEWAY)!;
const MEMBERS_GATEWAYS = { [PROJECT]: randomUUID(), [OTHER_PROJECT]: randomUUID() };
const membersOf = (ids: Record<string, string>) => ({ passwordServerId: ids.vpn_server_id!, userId: ids.user_id!, groupId: ids.group_id!, policyId: ids.policy_id! });

beforeAll(async () => {
  const seed = demoSeed();
  seed.p2c_vpn_gateways = [
    ...seed.p2c_vpn_gateways!,
    ...Object.entries(MEMBERS_GATEWAYS).map(([projectId, id]) => ({ ...template, project_id: projectId, id, name: `members-${projectId.slice(0, 6)}` })),
  ];
  seed.credentials = [...(seed.credentials ?? []), { access_key: BOTH_PROJECTS.accessKey, secret_key: BOTH_PROJECTS.secretKey, project_ids: [PROJECT, OTHER_PROJECT] }];
  table = await startLocalTable(seed);
  ({ api: handler, events } = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint }));
  // the other project has a server, so there is something to find if isolation were broken
  const created = await call(createEvent(OTHER_PROJECT, OTHER_PROJECT_GATEWAY, otherProjectCertBody(), { credential: BOTH_PROJECTS }));
  expect(created.status).toBe(201);
  other.serverId = created.json?.vpn_server.id;
  const stored = (await projectItems(table.client, table.tableName, OTHER_PROJECT)).servers.find((server) => server.id === other.serverId);
  other.caId = stored!.client_ca_certificates[0]!.id;
  Object.assign(other, membersOf(await memberFixture((payload) => events(payload, {}), OTHER_PROJECT, MEMBERS_GATEWAYS[OTHER_PROJECT]!, otherProjectBody())));
});

afterAll(async () => {
  printFigures('isolation', {
    requests: figures.requests,
    cross_project_probes: figures.crossProjectProbes,
    lifecycle_probes: figures.lifecycleProbes,
    event_probes: figures.eventProbes,
    leaked: figures.leaked,
    other_project_changed: figures.otherChanged,
  });
  logs.restore();
  await table?.close();
});

async function call(event: APIGatewayProxyEventV2): Promise<ApiResponse> {
  figures.requests += 1;
  const response = await callApi(handler, event);
  assertLifecycleResponse(response, event.requestContext.http.method);
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
    const there = await projectItems(table.client, table.tableName, OTHER_PROJECT);
    expect(there.servers.map((server) => server.id).sort()).toEqual([other.serverId, other.passwordServerId].sort());
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
    expect(other.json?.vpn_servers.map((server: { p2c_vgw_id: string }) => server.p2c_vgw_id).sort()).toEqual([OTHER_PROJECT_GATEWAY, MEMBERS_GATEWAYS[OTHER_PROJECT]].sort());
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

describe("the lifecycle routes and actions: another project's server and client CA are unknown ids", () => {
  /** the demo project's own CERT server, for probes of another project's CA on a server the caller may use */
  const own = { serverId: '', caId: '', passwordServerId: '', userId: '', groupId: '', policyId: '' };
  const KEYS: [string, SigningCredential][] = [
    ['the key bound to both projects', BOTH_PROJECTS],
    ["the demo project's own key", DEMO_CREDENTIAL],
  ];

  beforeAll(async () => {
    const created = await call(createEvent(PROJECT, GATEWAY, certAuthExample(), { credential: DEMO_CREDENTIAL }));
    expect(created.status).toBe(201);
    own.serverId = created.json?.vpn_server.id;
    const stored = (await projectItems(table.client, table.tableName, PROJECT)).servers.find((server) => server.id === own.serverId)!;
    own.caId = stored.client_ca_certificates[0]!.id;
    Object.assign(own, membersOf(await memberFixture((payload) => events(payload, {}), PROJECT, MEMBERS_GATEWAYS[PROJECT]!)));
  });

  /** The other project's items as stored (servers, tokens, pointers): nothing a probe did may change them. */
  async function otherProjectItems(): Promise<Record<string, unknown>[]> {
    const documents = DynamoDBDocumentClient.from(table.client);
    const partitions = [`PROJECT#${OTHER_PROJECT}`, `MEMBERS#${OTHER_PROJECT}#${other.passwordServerId}`];
    const pages = await Promise.all(
      partitions.map((pk) =>
        documents.send(new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true })),
      ),
    );
    return pages.flatMap((page) => (page.Items ?? []) as Record<string, unknown>[]);
  }
  const pointerOf = async (projectId: string, serverId: string) => {
    const documents = DynamoDBDocumentClient.from(table.client);
    const page = await documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': `PROJECT#${projectId}`, ':sk': `SERVER_ID#${serverId}` },
        ConsistentRead: true,
      }),
    );
    return page.Items?.[0];
  };

  type Ids = { serverId: string; caId: string; passwordServerId: string; userId: string; groupId: string; policyId: string };
  /** the ids of `operation`'s path: section 11's on the password server */
  const idsFor = (operation: AnyOperation, ids: Ids) =>
    idsOf(operation, {
      project_id: PROJECT,
      vpn_server_id: isMemberOperation(operation) ? ids.passwordServerId : ids.serverId,
      client_ca_certificate_id: ids.caId,
      user_id: ids.userId,
      group_id: ids.groupId,
      policy_id: ids.policyId,
    });
  /** every catalogue operation on a server, each sent as its sample; one that takes X-Client-Token also with a token */
  const SERVER_OPERATIONS = OPERATIONS.filter((operation) => pathIdsOf(operation.path).includes('vpn_server_id'));
  const HTTP_PROBES: (readonly [AnyOperation, (ids: Ids, credential: SigningCredential) => APIGatewayProxyEventV2])[] = SERVER_OPERATIONS.flatMap((operation) => [
    [operation, (ids: Ids, credential: SigningCredential) => sampleEvent(operation, idsFor(operation, ids), { credential })] as const,
    ...(operation.clientToken
      ? [[operation, (ids: Ids, credential: SigningCredential) => sampleEvent(operation, idsFor(operation, ids), { credential, clientToken: randomUUID() })] as const]
      : []),
    ...(operation.body === 'optional' ? [[operation, (ids: Ids, credential: SigningCredential) => apiEvent({ method: operation.method, path: pathOf(operation, idsFor(operation, ids)), credential })] as const] : []),
  ]);
  const EVENT_PROBES: (readonly [AnyOperation, (ids: Ids) => Record<string, unknown>])[] = SERVER_OPERATIONS.flatMap((operation) => [
    [operation, (ids: Ids) => samplePayload(operation, idsFor(operation, ids))] as const,
    ...(operation.clientToken ? [[operation, (ids: Ids) => ({ ...samplePayload(operation, idsFor(operation, ids)), client_token: randomUUID() })] as const] : []),
  ]);
  const takesCaId = (operation: AnyOperation) => pathIdsOf(operation.path).includes('client_ca_certificate_id');
  /** the id of a user, group or policy the operation's path names, beside the server's */
  const memberIdOf = (operation: AnyOperation): 'userId' | 'groupId' | 'policyId' | undefined =>
    (({ user_id: 'userId', group_id: 'groupId', policy_id: 'policyId' }) as const)[pathIdsOf(operation.path).find((name) => ['user_id', 'group_id', 'policy_id'].includes(name)) as 'user_id'] ;

  test('the probes cover every operation on a server, the lifecycle ones included', () => {
    expect(SERVER_OPERATIONS.map((operation) => operation.name)).toEqual(
      expect.arrayContaining(['UpdateVpnServer', 'ExportClientConfig', 'ImportClientCa', 'ShowClientCa', 'UpdateClientCa', 'DeleteClientCa']),
    );
  });

  /** status, code and message with the probed ids replaced: what an unknown id answers must be the same */
  const shape = (status: number, body: Record<string, any> | undefined, probed: Ids) => [
    status,
    body?.error_code,
    // ids are compared in lower case, so a message may name an upper-case probe's id in lower case
    Object.entries(probed).reduce((message, [name, id]) => message.replace(new RegExp(id, 'gi'), `<${name}>`), String(body?.error_msg)),
    Object.keys(body ?? {}).sort(),
  ];
  const unknownIds = (): Ids => ({ serverId: randomUUID(), caId: randomUUID(), passwordServerId: randomUUID(), userId: randomUUID(), groupId: randomUUID(), policyId: randomUUID() });
  const upperCased = (ids: Ids): Ids => Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, id.toUpperCase()])) as Ids;

  async function probeHttp(probe: (ids: Ids, credential: SigningCredential) => APIGatewayProxyEventV2, credential: SigningCredential, target: Ids, unknown: Ids) {
    figures.crossProjectProbes += 1;
    figures.lifecycleProbes += 1;
    const [answered, baseline] = [await call(probe(target, credential)), await call(probe(unknown, credential))];
    if (answered.status !== 404) figures.leaked += 1;
    expect(shape(answered.status, answered.json, target)).toEqual(shape(baseline.status, baseline.json, unknown));
    expect([answered.status, answered.json?.error_code]).toEqual([404, 'VPN.0004']);
  }

  async function probeEvent(probe: (ids: Ids) => Record<string, unknown>, target: Ids, unknown: Ids) {
    figures.crossProjectProbes += 1;
    figures.eventProbes += 1;
    const [answered, baseline] = [await events(probe(target), {}), await events(probe(unknown), {})];
    if (answered.status_code !== 404) figures.leaked += 1;
    expect(shape(answered.status_code, answered.body, target)).toEqual(shape(baseline.status_code, baseline.body, unknown));
    expect([answered.status_code, answered.body.error_code]).toEqual([404, 'VPN.0004']);
  }

  /** Every probe, in any case of the ids: the other project's server (and CA), and the other project's CA
   * on the caller's own server. The other project's items are the same afterwards. */
  async function probeEverything(round: string): Promise<void> {
    const before = await otherProjectItems();
    for (const [, credential] of KEYS) {
      for (const [operation, probe] of HTTP_PROBES) {
        await probeHttp(probe, credential, other, unknownIds());
        await probeHttp(probe, credential, upperCased(other), unknownIds());
        if (takesCaId(operation)) await probeHttp(probe, credential, { ...own, caId: other.caId }, { ...own, caId: randomUUID() });
        const member = memberIdOf(operation);
        if (member) await probeHttp(probe, credential, { ...own, [member]: other[member] }, { ...own, [member]: randomUUID() });
      }
    }
    for (const [operation, probe] of EVENT_PROBES) {
      await probeEvent(probe, other, unknownIds());
      if (takesCaId(operation)) await probeEvent(probe, { ...own, caId: other.caId }, { ...own, caId: randomUUID() });
      const member = memberIdOf(operation);
      if (member) await probeEvent(probe, { ...own, [member]: other[member] }, { ...own, [member]: randomUUID() });
    }
    const after = await otherProjectItems();
    if (JSON.stringify(after) !== JSON.stringify(before)) figures.otherChanged += 1;
    expect({ round, items: after }).toEqual({ round, items: before });
    // nothing of the other project landed in this one: no pointer to its server, its CA nowhere
    expect(await pointerOf(PROJECT, other.serverId)).toBeUndefined();
    const here = await projectItems(table.client, table.tableName, PROJECT);
    expect(here.servers.flatMap((server) => server.client_ca_certificates.map((ca) => ca.id))).not.toContain(other.caId);
    expect(integrityProblems(here)).toEqual([]);
  }

  test("before the other project's server was ever read by id (no SERVER_ID# pointer yet)", async () => {
    expect(await pointerOf(OTHER_PROJECT, other.serverId)).toBeUndefined();
    await probeEverything('no pointer');
    expect(await pointerOf(OTHER_PROJECT, other.serverId)).toBeUndefined();
  });

  test('after it was read by id in its own project (its pointer exists), warm and from a cold container', async () => {
    const shown = await call(apiEvent({ method: 'GET', path: clientCaPath(OTHER_PROJECT, other.serverId, other.caId), credential: BOTH_PROJECTS }));
    expect([shown.status, shown.json?.client_ca_certificate?.id]).toEqual([200, other.caId]);
    expect(await pointerOf(OTHER_PROJECT, other.serverId)).toEqual(expect.objectContaining({ p2c_vgw_id: OTHER_PROJECT_GATEWAY }));
    await probeEverything('pointer, warm');
    // a new container: no memory of any server, only the table
    ({ api: handler, events } = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint }));
    await probeEverything('pointer, cold');
  });

  test("the project list never shows the other project's server; CheckClientCaCertificate of its CA reveals nothing and writes nothing", async () => {
    const before = await otherProjectItems();
    const listed = await call(listByProjectEvent(PROJECT, { credential: BOTH_PROJECTS }));
    expect(listed.json?.vpn_servers.map((server: { id: string }) => server.id)).toContain(own.serverId);
    expect(listed.json?.vpn_servers.map((server: { id: string }) => server.id)).not.toContain(other.serverId);
    const result = await events({ action: 'ListVpnServersByProject', project_id: PROJECT }, {});
    expect((result.body.vpn_servers as { id: string }[]).map((server) => server.id)).not.toContain(other.serverId);
    const checked = await events({ action: 'CheckClientCaCertificate', project_id: PROJECT, client_ca_certificate: { content: certificatePem('ec-p256-ca') } }, {});
    expect(checked.status_code).toBe(200);
    expect(checked.body.name).toMatch(/^client_ca_[a-z0-9]{6}$/);
    expect(await otherProjectItems()).toEqual(before);
  });

  test("a client token the other project spent on an import is a new token here: a new CA id, not the other project's", async () => {
    const token = randomUUID();
    const body = { client_ca_certificate: { name: 'shared_token_ca', content: certificatePem('ec-p384-ca') } };
    const there = await call(apiEvent({ method: 'POST', path: importPath(OTHER_PROJECT, other.serverId), body, clientToken: token, credential: BOTH_PROJECTS }));
    expect(there.status).toBe(201);
    const here = await call(apiEvent({ method: 'POST', path: importPath(PROJECT, own.serverId), body, clientToken: token, credential: BOTH_PROJECTS }));
    expect(here.status).toBe(201);
    expect(here.json?.client_ca_certificate.id).not.toBe(there.json?.client_ca_certificate.id);
    const ownServer = (await projectItems(table.client, table.tableName, PROJECT)).servers.find((server) => server.id === own.serverId)!;
    expect(ownServer.client_ca_certificates.map((ca) => ca.id)).toContain(here.json?.client_ca_certificate.id);
    const otherServer = (await projectItems(table.client, table.tableName, OTHER_PROJECT)).servers.find((server) => server.id === other.serverId)!;
    expect(otherServer.client_ca_certificates.map((ca) => ca.id)).toEqual([other.caId, there.json?.client_ca_certificate.id]);
  });
});

test('no secret, signature or certificate body in any log line written by this file', () => {
  expect(logs.leaks([BOTH_PROJECTS.secretKey])).toEqual([]);
});
