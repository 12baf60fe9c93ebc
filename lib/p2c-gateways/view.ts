/** Stored gateway -> the answered p2c_vpn_gateway (CONTRACT.md section 11.1): each optional field the
 * seed left out gets its default, the times default to when the seed first loaded the gateway, and no
 * internal field (project_id, loaded_at) is answered. */
import type { StoredGateway } from '../core/gateway';
import type { ApiGateway } from './schemas';

export const DEFAULT_FLAVOR = 'Professional1';
/** Huawei's default enterprise project */
export const DEFAULT_ENTERPRISE_PROJECT_ID = '0';
/** no data plane reports connections yet (section 12 will) */
const CURRENT_CONNECTIONS = 0;

export function toApiGateway(gateway: StoredGateway): ApiGateway {
  return {
    id: gateway.id,
    name: gateway.name,
    vpc_id: gateway.vpc_id,
    connect_subnet: gateway.connect_subnet ?? '',
    status: gateway.status,
    flavor: gateway.flavor ?? DEFAULT_FLAVOR,
    availability_zone_ids: gateway.availability_zone_ids ?? [],
    ...(gateway.eip ? { eip: { ...gateway.eip } } : {}),
    max_connection_number: gateway.max_connection_number,
    current_connection_number: CURRENT_CONNECTIONS,
    enterprise_project_id: gateway.enterprise_project_id ?? DEFAULT_ENTERPRISE_PROJECT_ID,
    tags: gateway.tags ?? [],
    created_at: gateway.created_at ?? gateway.loaded_at,
    updated_at: gateway.updated_at ?? gateway.loaded_at,
  };
}
