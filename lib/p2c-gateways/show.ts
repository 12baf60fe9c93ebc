/** ShowP2cVgw: one gateway of the project; another project's is not found, as an unknown one. */
import { gatewayNotFound } from '../core/errors';
import type { P2cGatewayPorts } from './ports';
import type { ApiGateway, ShowP2cVgwQuery } from './schemas';
import { toApiGateway } from './view';

export async function showP2cVgw(query: ShowP2cVgwQuery, ports: P2cGatewayPorts): Promise<ApiGateway> {
  const gateway = await ports.store.readGateway(query.projectId, query.gatewayId);
  if (!gateway) throw gatewayNotFound(query.gatewayId);
  return toApiGateway(gateway);
}
