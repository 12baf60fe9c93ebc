/** The neighbouring services' data the seed writes as it is given: gateways, VPC route tables and the
 * certificate store (contract section 8). */
import type { Gateway, RouteTable, StoredCertificate } from '../vpn-servers/records';
import { keys } from './keys';
import type { TableClient } from './table-client';

export interface NeighbourRepository {
  upsertGateway(gateway: Gateway): Promise<void>;
  upsertRouteTable(table: RouteTable): Promise<void>;
  upsertCertificate(certificate: StoredCertificate): Promise<void>;
}

export const neighbourRepository = (table: TableClient): NeighbourRepository => ({
  upsertGateway: (gateway) => table.put(keys.gateway(gateway.project_id, gateway.id), gateway),
  upsertRouteTable: (routes) => table.put(keys.routes(routes.project_id, routes.vpc_id), routes),
  upsertCertificate: (certificate) => table.put(keys.certificate(certificate.project_id, certificate.id), certificate),
});
