/** ListVpnServersByVgw and ListVpnServersByProject. */
import { gatewayNotFound } from '../core/errors';
import { listAnswer, type ListAnswer } from '../core/paging';
import type { UseCasePorts } from './ports';
import type { ListVpnServersQuery } from './schemas/list-vpn-servers';
import type { ApiServer } from './schemas/server';
import { toApiServer } from './view';

type ServerList = ListAnswer<'vpn_servers', ApiServer>;

export async function listVpnServers(query: ListVpnServersQuery, ports: Pick<UseCasePorts, 'store'>): Promise<ServerList> {
  if (query.gatewayId !== undefined) {
    const { gateway, server } = await ports.store.readGatewayWithServer(query.projectId, query.gatewayId);
    if (!gateway) throw gatewayNotFound(query.gatewayId);
    const servers = server ? [server] : [];
    return listAnswer('vpn_servers', { items: servers, totalCount: servers.length }, toApiServer);
  }
  return listAnswer('vpn_servers', await ports.store.listServers(query.projectId, query.limit, query.marker), toApiServer);
}
