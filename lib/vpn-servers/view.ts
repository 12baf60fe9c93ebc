/** Stored server -> the API's Server shape (CONTRACT.md section 4): no certificate content, no
 * internal fields. */
import type * as z from 'zod/mini';
import type { apiServerSchema } from './api-server-schema';
import type { VpnServerRecord } from './records';

export type ApiServer = z.infer<typeof apiServerSchema>;

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
      issuer: record.server_certificate.issuer,
      subject: record.server_certificate.subject,
      serial_number: record.server_certificate.serial_number,
      expiration_time: record.server_certificate.expiration_time,
      signature_algorithm: record.server_certificate.signature_algorithm,
    },
    client_ca_certificates: record.client_ca_certificates.map((ca) => ({
      id: ca.id,
      name: ca.name,
      issuer: ca.issuer,
      subject: ca.subject,
      serial_number: ca.serial_number,
      expiration_time: ca.expiration_time,
      signature_algorithm: ca.signature_algorithm,
      created_at: ca.created_at,
      updated_at: ca.updated_at,
    })),
    ssl_options: {
      protocol: record.ssl_options.protocol,
      port: record.ssl_options.port,
      encryption_algorithm: record.ssl_options.encryption_algorithm,
      is_compressed: record.ssl_options.is_compressed,
    },
    status: record.status,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
