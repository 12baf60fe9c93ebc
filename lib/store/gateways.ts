/** The gateway reads' repository (lib/p2c-gateways/ports.ts): the items the seed writes under
 * GATEWAY#{id} in the project's partition, paged in id order as idPage does (a marker of its own tag),
 * read consistently. */
import type { StoredGateway } from '../core/gateway';
import type { GatewayRepository } from '../p2c-gateways/ports';
import { idPage } from './id-pages';
import { GATEWAY_PREFIX, keys } from './keys';
import type { TableClient } from './table-client';

/** a servers list's marker (an id alone) is not one of this list's */
const MARKER_TAG = 'p2c_vgw:';

export const gatewayRepository = (table: TableClient): GatewayRepository => ({
  listGateways: (projectId, limit, marker) =>
    idPage<StoredGateway>(table, {
      pk: keys.project(projectId),
      prefix: GATEWAY_PREFIX,
      keyOf: (gatewayId) => keys.gateway(projectId, gatewayId),
      limit,
      marker,
      markerTag: MARKER_TAG,
    }),
  readGateway: (projectId, gatewayId) => table.get<StoredGateway>(keys.gateway(projectId, gatewayId)),
});
