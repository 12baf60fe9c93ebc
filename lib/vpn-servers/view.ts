/** Stored server -> the API's Server shape (CONTRACT.md section 4): no certificate content, no
 * internal fields. */
import { certificateFactsOf } from './certificates/facts';
import type { ClientCaRecord, VpnServerRecord } from './records';
import { AUTHENTICATION_ALGORITHM } from './schemas/fields';
import type { ApiClientCa, ApiServer } from './schemas/server';

export const toApiClientCa = (ca: ClientCaRecord): ApiClientCa => ({
  id: ca.id,
  name: ca.name,
  ...certificateFactsOf(ca),
  created_at: ca.created_at,
  updated_at: ca.updated_at,
});

export function toApiServer(record: VpnServerRecord): ApiServer {
  return {
    id: record.id,
    p2c_vgw_id: record.p2c_vgw_id,
    tunnel_protocol: record.tunnel_protocol,
    client_cidr: record.client_cidr,
    local_subnets: record.local_subnets,
    client_auth_type: record.client_auth_type,
    server_certificate: {
      id: record.server_certificate.id,
      name: record.server_certificate.name,
      ...certificateFactsOf(record.server_certificate),
    },
    client_ca_certificates: record.client_ca_certificates.map(toApiClientCa),
    ssl_options: {
      protocol: record.ssl_options.protocol,
      port: record.ssl_options.port,
      encryption_algorithm: record.ssl_options.encryption_algorithm,
      is_compressed: record.ssl_options.is_compressed,
      authentication_algorithm: AUTHENTICATION_ALGORITHM,
    },
    dns_servers: record.dns_servers,
    status: record.status,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
