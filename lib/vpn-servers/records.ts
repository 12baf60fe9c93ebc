/** What this service reads from its neighbours (gateways, route tables, the certificate store) and
 * what it writes (servers, client-token reservations). The seed loader validates against these. */
import * as z from 'zod/mini';
import { CIDR_FORMAT_RULE, parseCidr } from './cidr';
import { projectIdSchema, uuidSchema, type NormalisedVpnServerRequest } from './request';

const lowercaseUuid = z.string().check(
  z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase UUID'),
);

export const gatewaySchema = z.strictObject({
  project_id: projectIdSchema,
  id: lowercaseUuid,
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  vpc_id: lowercaseUuid,
  status: z.string().check(z.regex(/^[A-Z_]{1,32}$/, 'must be an upper-case status such as ACTIVE')),
  max_connection_number: z.int().check(z.minimum(1), z.maximum(100_000)),
});

export const routeTableSchema = z.strictObject({
  project_id: projectIdSchema,
  vpc_id: lowercaseUuid,
  routes: z
    .array(
      z.strictObject({
        destination: z.string().check(z.refine((text) => parseCidr(text) !== undefined, CIDR_FORMAT_RULE)),
        nexthop: z.string().check(z.minLength(1), z.maxLength(128)),
      }),
    )
    .check(z.maxLength(2_000)),
});

export const storedCertificateSchema = z.strictObject({
  project_id: projectIdSchema,
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or hyphens')),
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  content: z.string().check(z.minLength(1), z.maxLength(64 * 1024)),
});

export type Gateway = z.infer<typeof gatewaySchema>;
export type RouteTable = z.infer<typeof routeTableSchema>;
export type Route = RouteTable['routes'][number];
export type StoredCertificate = z.infer<typeof storedCertificateSchema>;

export { uuidSchema };

export interface CertificateSummary {
  issuer: string;
  subject: string;
  serial_number: string;
  expiration_time: string;
  signature_algorithm: string;
}

export interface ClientCaRecord extends CertificateSummary {
  id: string;
  name: string;
  /** kept for the data plane; never returned by the API */
  content: string;
  fingerprint: string;
  created_at: string;
  updated_at: string;
}

export interface VpnServerRecord {
  id: string;
  project_id: string;
  p2c_vgw_id: string;
  tunnel_protocol: NormalisedVpnServerRequest['tunnel_protocol'];
  client_cidr: string;
  local_subnets: string[];
  client_auth_type: NormalisedVpnServerRequest['client_auth_type'];
  server_certificate: CertificateSummary & { id: string; name: string };
  client_ca_certificates: ClientCaRecord[];
  ssl_options: NormalisedVpnServerRequest['ssl_options'];
  status: 'ACTIVE';
  created_at: string;
  updated_at: string;
}

export interface TokenReservation {
  project_id: string;
  token: string;
  fingerprint: string;
  server_id: string;
  p2c_vgw_id: string;
  /** epoch seconds; enforced by the code, the table's TTL only sweeps */
  expires_at: number;
}
