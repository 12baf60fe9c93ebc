/** The neighbouring services' data the seed writes as it is given: gateways, VPC route tables and the
 * certificate store (contract section 8). */
import { throttled } from '../core/errors';
import type { Gateway, StoredGateway } from '../core/gateway';
import type { RouteTable, StoredCertificate } from '../vpn-servers/records';
import { keys } from './keys';
import type { TableClient } from './table-client';

export interface NeighbourRepository {
  /** Writes the gateway as given, with the time the seed first loaded it (kept on every later load). */
  upsertGateway(gateway: Gateway): Promise<void>;
  upsertRouteTable(table: RouteTable): Promise<void>;
  upsertCertificate(certificate: StoredCertificate): Promise<void>;
}

/** rounds of put-then-read when another seed writes the same gateway meanwhile */
const UPSERT_ATTEMPTS = 3;

export const neighbourRepository = (table: TableClient, now: () => Date = () => new Date()): NeighbourRepository => ({
  async upsertGateway(gateway) {
    const key = keys.gateway(gateway.project_id, gateway.id);
    // no load time yet (a first load, or an item written before gateways kept one): this load's
    let loadedAt = now().toISOString();
    let kept: Record<string, string> | undefined;
    for (let attempt = 0; attempt < UPSERT_ATTEMPTS; attempt += 1) {
      const record: StoredGateway = { ...gateway, loaded_at: loadedAt };
      if (await table.putIf(key, record, kept ? 'loaded_at = :loaded' : 'attribute_not_exists(loaded_at)', kept)) return;
      const stored = (await table.get<Partial<StoredGateway>>(key))?.loaded_at;
      loadedAt = stored ?? now().toISOString();
      kept = stored === undefined ? undefined : { ':loaded': stored };
    }
    throw throttled();
  },
  upsertRouteTable: (routes) => table.put(keys.routes(routes.project_id, routes.vpc_id), routes),
  upsertCertificate: (certificate) => table.put(keys.certificate(certificate.project_id, certificate.id), certificate),
});
