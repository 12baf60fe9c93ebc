/** The persistence the gateway reads need; lib/store/gateways.ts implements it on DynamoDB. */
import type { StoredGateway } from '../core/gateway';
import type { Page } from '../core/paging';

/** The project's gateways as the seed wrote them (lib/store/gateways.ts). */
export interface GatewayRepository {
  /** In id order; undefined when the marker does not come from this list. */
  listGateways(projectId: string, limit: number, marker?: string): Promise<Page<StoredGateway> | undefined>;
  /** A consistent read; undefined for an unknown id and for another project's gateway alike. */
  readGateway(projectId: string, gatewayId: string): Promise<StoredGateway | undefined>;
}

export interface P2cGatewayPorts {
  store: GatewayRepository;
}
