/** ListVpnServersByVgw and ListVpnServersByProject. */
import { invalidRequest, notFound } from './errors';
import type { UseCasePorts } from './ports';
import { MARKER_RULE, type ListVpnServersQuery } from './schemas/list-vpn-servers';
import type { ApiServer } from './schemas/server';
import { toApiServer } from './view';

export interface ServerList {
  vpn_servers: ApiServer[];
  total_count: number;
  page_info: { next_marker?: string; current_count: number };
}

export async function listVpnServers(query: ListVpnServersQuery, ports: Pick<UseCasePorts, 'store'>): Promise<ServerList> {
  if (query.gatewayId !== undefined) {
    const { gateway, server } = await ports.store.readGatewayWithServer(query.projectId, query.gatewayId);
    if (!gateway) throw notFound(`p2c vpn gateway ${query.gatewayId}`);
    const servers = server ? [toApiServer(server)] : [];
    return { vpn_servers: servers, total_count: servers.length, page_info: { current_count: servers.length } };
  }
  const page = await ports.store.listServers(query.projectId, query.limit, query.marker);
  if (!page) throw invalidRequest([`marker: ${MARKER_RULE}`]);
  return {
    vpn_servers: page.servers.map(toApiServer),
    total_count: page.totalCount,
    page_info: { ...(page.nextMarker ? { next_marker: page.nextMarker } : {}), current_count: page.servers.length },
  };
}
