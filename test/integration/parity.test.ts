/** HTTP and events answer alike, for every operation of the catalogue: each operation's sample request
 * (test/support/samples.ts) goes over HTTP on one fixture and as an event on an identical one, and both
 * give the same status and the same body once the fixtures' own ids are named alike. */
import { randomUUID } from 'node:crypto';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { pathIdsOf, type AnyOperation } from '../../lib/operations/operation';
import { buildHandlers } from '../reliability/support/api';
import { callApi } from '../support/api-events';
import { demoSeed, startLocalTable, type LocalTable } from '../support/local-table';
import { GATEWAY, PROJECT, certAuthExample } from '../support/requests';
import { memberFixture, isMemberOperation } from '../support/members';
import { idsOf, sampleEvent, samplePayload } from '../support/samples';

jest.setTimeout(60_000);

const template = demoSeed().p2c_vpn_gateways!.find((gateway) => gateway.id === GATEWAY)!;
/** per operation and side: a gateway with a CERT server and one client CA, and a free gateway */
const pool = Array.from({ length: OPERATIONS.length * 6 }, (_, i) => ({ ...template, id: randomUUID(), name: `parity-${i}` }));
let taken = 0;
const freshGateway = (): string => pool[taken++]!.id;

let table: LocalTable;
let handlers: ReturnType<typeof buildHandlers>;

beforeAll(async () => {
  const seed = demoSeed();
  table = await startLocalTable({ ...seed, p2c_vpn_gateways: [...seed.p2c_vpn_gateways!, ...pool] });
  handlers = buildHandlers({ tableName: table.tableName, endpoint: table.engine.endpoint });
});

afterAll(async () => {
  await table?.close();
});

/** A fixture of its own: the ids a sample may name. */
async function fixture(): Promise<Record<string, string>> {
  const gatewayId = freshGateway();
  const created = await handlers.events({ action: 'CreateVpnServer', project_id: PROJECT, p2c_vgw_id: gatewayId, ...certAuthExample() }, {});
  expect(created.status_code).toBe(201);
  const serverId: string = created.body.vpn_server.id;
  const listed = await handlers.events({ action: 'ListVpnServersByVgw', project_id: PROJECT, p2c_vgw_id: gatewayId }, {});
  const caId: string = listed.body.vpn_servers[0].client_ca_certificates[0].id;
  // a create's sample needs a gateway without a server
  const free = freshGateway();
  const members = await memberFixture((payload) => handlers.events(payload, {}), PROJECT, freshGateway());
  // ShowP2cVgw answers the free gateway's name, its own on each side
  const freeName = pool.find((gateway) => gateway.id === free)!.name;
  return {
    project_id: PROJECT,
    p2c_vgw_id: free,
    vpn_server_id: serverId,
    client_ca_certificate_id: caId,
    server_gateway: gatewayId,
    p2c_vgw_name: freeName,
    ...prefixed('member_', members),
  };
}

const prefixed = (prefix: string, ids: Record<string, string>) => Object.fromEntries(Object.entries(ids).map(([name, id]) => [`${prefix}${name}`, id]));

/** The fixture's ids as the operation's path names them: section 11's on the password server. */
const idsFor = (operation: AnyOperation, ids: Record<string, string>): Record<string, string> =>
  idsOf(
    operation,
    isMemberOperation(operation)
      ? { ...ids, ...Object.fromEntries(Object.entries(ids).flatMap(([name, id]) => (name.startsWith('member_') ? [[name.slice(7), id]] : []))) }
      : ids,
  );

/** The body with this fixture's ids, generated ids and times named alike, and without the request id. */
function normalised(body: unknown, fixtureIds: Record<string, string>): unknown {
  let text = JSON.stringify(body ?? {});
  for (const [name, id] of Object.entries(fixtureIds)) text = text.replaceAll(id, `<${name}>`);
  text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<generated id>');
  text = text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z/g, '<time>');
  const { request_id: _requestId, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
}

test.each(OPERATIONS.map((operation): [string, AnyOperation] => [operation.name, operation]))(
  '%s answers the same over HTTP and as an event',
  async (_name, operation) => {
    const [overHttp, asEvent] = [await fixture(), await fixture()];
    // an operation on the project alone (a project list, a check) sees the same state both ways
    const projectWide = pathIdsOf(operation.path).length === 1;
    const viaHttp = await callApi(handlers.api, sampleEvent(operation, idsFor(operation, overHttp)));
    const viaEvent = await handlers.events(samplePayload(operation, idsFor(operation, projectWide ? overHttp : asEvent)), {});
    expect(viaHttp.status).toBeLessThan(500);
    expect({ status: viaEvent.status_code, body: normalised(viaEvent.body, projectWide ? overHttp : asEvent) }).toEqual({
      status: viaHttp.status,
      body: normalised(viaHttp.json, overHttp),
    });
  },
);
