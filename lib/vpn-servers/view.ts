/** Stored server -> the API's Server shape (CONTRACT.md section 4): no certificate content, no
 * internal fields. The schema is the type and the OpenAPI document's VpnServer. */
import * as z from 'zod/mini';
import { CIDR_PATTERN } from './cidr';
import type { VpnServerRecord } from './records';
import { uuidSchema } from './request';

const utcTimeSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/));
const networkCidrSchema = z.string().check(z.regex(new RegExp(CIDR_PATTERN)));

const certificateFacts = {
  issuer: z.string(),
  subject: z.string(),
  serial_number: z.string().check(z.regex(/^-?\d+$/)),
  expiration_time: utcTimeSchema,
  signature_algorithm: z.string(),
};

export const apiServerSchema = z.strictObject({
  id: uuidSchema,
  p2c_vgw_id: uuidSchema,
  tunnel_protocol: z.enum(['SSL']),
  client_cidr: networkCidrSchema,
  local_subnets: z.array(networkCidrSchema),
  client_auth_type: z.enum(['CERT', 'LOCAL_PASSWORD']),
  server_certificate: z.strictObject({ id: z.string(), name: z.string(), ...certificateFacts }),
  client_ca_certificates: z.array(
    z.strictObject({ id: uuidSchema, name: z.string(), ...certificateFacts, created_at: utcTimeSchema, updated_at: utcTimeSchema }),
  ),
  ssl_options: z.strictObject({
    protocol: z.enum(['TCP']),
    port: z.literal([443, 1194]),
    encryption_algorithm: z.enum(['AES-128-GCM', 'AES-256-GCM']),
    is_compressed: z.boolean(),
  }),
  status: z.enum(['ACTIVE']),
  created_at: utcTimeSchema,
  updated_at: utcTimeSchema,
});

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
