/** The VPN servers' repository (lib/vpn-servers/ports.ts): a server lives under its gateway's key, so a
 * gateway holds at most one by construction; reads are consistent, changes are conditional puts on the
 * version read. It also reads what the server rules need from the neighbours' items (gateway, routes,
 * certificate) in the same batches. */
import type { TokenReservation } from '../core/client-token';
import { throttled } from '../core/errors';
import type { ServerRepository, ServerSnapshot } from '../vpn-servers/ports';
import type { Gateway } from '../core/gateway';
import type { RouteTable, StoredCertificate, VpnServerRecord } from '../vpn-servers/records';
import { idPage } from './id-pages';
import { SERVER_PREFIX, keyId, keys, type Key } from './keys';
import { remember, withoutKey, type TableClient } from './table-client';

/** bounds the warm memory of a long-lived container that meets very many gateways */
const MAX_REMEMBERED_GATEWAYS = 10_000;

interface BatchWanted {
  projectId: string;
  gatewayId: string;
  withGateway: boolean;
  certificateId?: string;
  clientToken?: string;
}

export function serverRepository(table: TableClient): ServerRepository {
  /** a gateway's VPC never changes, so a warm function reads the route table in the first batch */
  const vpcByGateway = new Map<string, string>();
  /** a server never moves to another gateway, so a warm function resolves an id once */
  const gatewayByServer = new Map<string, string>();

  /** The server slot of a gateway and what else a use case asked for, in one batch; the route table too
   * once the gateway's VPC is known. */
  async function readAround(wanted: BatchWanted): Promise<ServerSnapshot> {
    const { projectId, gatewayId } = wanted;
    const memoryKey = `${projectId}/${gatewayId}`;
    const knownVpc = wanted.withGateway ? vpcByGateway.get(memoryKey) : undefined;
    const batch = {
      server: keys.server(projectId, gatewayId),
      gateway: wanted.withGateway ? keys.gateway(projectId, gatewayId) : undefined,
      certificate: wanted.certificateId ? keys.certificate(projectId, wanted.certificateId) : undefined,
      token: wanted.clientToken ? keys.token(projectId, wanted.clientToken) : undefined,
      routes: knownVpc ? keys.routes(projectId, knownVpc) : undefined,
    };
    const found = await table.batchGet(Object.values(batch).filter((key): key is Key => key !== undefined));
    const pick = <T>(key: Key | undefined) => (key ? withoutKey<T>(found.get(keyId(key))) : undefined);
    const gateway = pick<Gateway>(batch.gateway);
    if (gateway) remember(vpcByGateway, memoryKey, gateway.vpc_id, MAX_REMEMBERED_GATEWAYS);
    return {
      server: pick<VpnServerRecord>(batch.server),
      gateway,
      certificate: pick<StoredCertificate>(batch.certificate),
      token: pick<TokenReservation>(batch.token),
      routes: batch.routes && gateway?.vpc_id === knownVpc ? (pick<RouteTable>(batch.routes)?.routes ?? []) : undefined,
    };
  }

  /** The gateway holding server `serverId` of the project: remembered, else its pointer, else a
   * consistent query of the project's servers (a server read by id for the first time), which then
   * writes the pointer. */
  async function gatewayOfServer(projectId: string, serverId: string): Promise<string | undefined> {
    const memoryKey = `${projectId}/${serverId}`;
    const remembered = gatewayByServer.get(memoryKey);
    if (remembered) return remembered;
    const pointerKey = keys.serverId(projectId, serverId);
    let gatewayId = (await table.get<{ p2c_vgw_id: string }>(pointerKey))?.p2c_vgw_id;
    if (!gatewayId) {
      gatewayId = await findGatewayOfServer(projectId, serverId);
      if (!gatewayId) return undefined;
      await table.put(pointerKey, { p2c_vgw_id: gatewayId });
    }
    remember(gatewayByServer, memoryKey, gatewayId, MAX_REMEMBERED_GATEWAYS);
    return gatewayId;
  }

  async function findGatewayOfServer(projectId: string, serverId: string): Promise<string | undefined> {
    let start: Key | undefined;
    do {
      const page = await table.query({
        pk: keys.project(projectId),
        prefix: SERVER_PREFIX,
        filter: { expression: 'id = :id', values: { ':id': serverId } },
        projection: 'p2c_vgw_id',
        ...(start ? { start } : {}),
      });
      const match = page.items[0] as { p2c_vgw_id?: string } | undefined;
      if (match?.p2c_vgw_id) return match.p2c_vgw_id;
      start = page.next as Key | undefined;
    } while (start);
    return undefined;
  }

  return {
    readForCreate: (request) => readAround({ ...request, withGateway: true }),

    async readRoutes(projectId, vpcId) {
      return (await table.get<RouteTable>(keys.routes(projectId, vpcId)))?.routes ?? [];
    },

    async putServerOnce(server) {
      const key = keys.server(server.project_id, server.p2c_vgw_id);
      if (await table.putIf(key, server, 'attribute_not_exists(pk)')) return server;
      // dynalite ignores ReturnValuesOnConditionCheckFailure: the server in force is read consistently
      const existing = await table.get<VpnServerRecord>(key);
      if (!existing) throw throttled();
      return existing;
    },

    async readGatewayWithServer(projectId, gatewayId) {
      const { gateway, server } = await readAround({ projectId, gatewayId, withGateway: true });
      return { gateway, server };
    },

    listServers: (projectId, limit, marker) =>
      idPage<VpnServerRecord>(table, { pk: keys.project(projectId), prefix: SERVER_PREFIX, keyOf: (gatewayId) => keys.server(projectId, gatewayId), limit, marker }),

    async readServer(request) {
      const { projectId, serverId } = request;
      const gatewayId = await gatewayOfServer(projectId, serverId);
      if (!gatewayId) return {};
      const snapshot = await readAround({ ...request, gatewayId, withGateway: request.withGateway ?? false });
      return snapshot.server?.id === serverId ? snapshot : {};
    },

    readCertificate: (projectId, certificateId) => table.get<StoredCertificate>(keys.certificate(projectId, certificateId)),

    replaceServer: (next, readVersion) =>
      table.putIf(keys.server(next.project_id, next.p2c_vgw_id), { ...next, version: readVersion + 1 }, 'version = :read', { ':read': readVersion }),
  };
}
