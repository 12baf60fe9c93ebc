/** ListP2cVgws: a page of the project's gateways, in id order. */
import { listAnswer, type ListAnswer } from '../core/paging';
import type { P2cGatewayPorts } from './ports';
import type { ApiGateway, ListP2cVgwsQuery } from './schemas';
import { toApiGateway } from './view';

export async function listP2cVgws(query: ListP2cVgwsQuery, ports: P2cGatewayPorts): Promise<ListAnswer<'p2c_vpn_gateways', ApiGateway>> {
  return listAnswer('p2c_vpn_gateways', await ports.store.listGateways(query.projectId, query.limit, query.marker), toApiGateway);
}
