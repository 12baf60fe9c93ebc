/** ListVpnServersByVgw and ListVpnServersByProject. */
import { gatewayNotFound, unknownMarker } from '../core/errors';
import { pageInfo, type PageInfo } from '../core/paging';
import { MARKER_RULE } from '../core/patterns';
import type { UseCasePorts } from './ports';
import type { ListVpnServersQuery } from './schemas/list-vpn-servers';
import type { ApiServer } from './schemas/server';
import { toApiServer } from './view';

export interface ServerList {
  vpn_servers: ApiServer[];
  total_count: number;
  page_info: PageInfo;
}

export async function listVpnServers(query: ListVpnServersQuery, ports: Pick<UseCasePorts, 'store'>): Promise<ServerList> {
  if (query.gatewayId !== undefined) {
    const { gateway, server } = await ports.store.readGatewayWithServer(query.projectId, query.gatewayId);
    if (!gateway) throw gatewayNotFound(query.gatewayId);
    const servers = server ? [toApiServer(server)] : [];
    return { vpn_servers: servers, total_count: servers.length, page_info: pageInfo(servers.length, undefined) };
  }
  const page = await ports.store.listServers(query.projectId, query.limit, query.marker);
  if (!page) throw unknownMarker(MARKER_RULE);
  return {
    vpn_servers: page.servers.map(toApiServer),
    total_count: page.totalCount,
    page_info: pageInfo(page.servers.length, page.nextMarker),
  };
}
