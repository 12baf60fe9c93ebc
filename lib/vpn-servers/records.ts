/** What this service reads from its neighbours (gateways, route tables, the certificate store), as the
 * seed loader validates it, and what it writes (servers, client-token reservations). */
import * as z from 'zod/mini';
import { cidrSchema } from './schemas/fields';
import { certificateIdSchema, lowercaseUuidSchema, projectIdSchema } from './ids';
import type { ApiClientCa, ApiServer } from './schemas/server';

export const gatewaySchema = z.strictObject({
  project_id: projectIdSchema,
  id: lowercaseUuidSchema,
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  vpc_id: lowercaseUuidSchema,
  status: z.string().check(z.regex(/^[A-Z_]{1,32}$/, 'must be an upper-case status such as ACTIVE')),
  max_connection_number: z.int().check(z.minimum(1), z.maximum(100_000)),
});

export const routeTableSchema = z.strictObject({
  project_id: projectIdSchema,
  vpc_id: lowercaseUuidSchema,
  routes: z
    .array(
      z.strictObject({
        destination: cidrSchema,
        nexthop: z.string().check(z.minLength(1), z.maxLength(128)),
      }),
    )
    .check(z.maxLength(2_000)),
});

export const storedCertificateSchema = z.strictObject({
  project_id: projectIdSchema,
  id: certificateIdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  content: z.string().check(z.minLength(1), z.maxLength(64 * 1024)),
});

export type Gateway = z.infer<typeof gatewaySchema>;
export type RouteTable = z.infer<typeof routeTableSchema>;
export type Route = RouteTable['routes'][number];
export type StoredCertificate = z.infer<typeof storedCertificateSchema>;

export interface ClientCaRecord extends ApiClientCa {
  /** kept for the data plane; never returned by the API */
  content: string;
  /** SHA-256 of the DER, for duplicate detection; never returned by the API */
  fingerprint: string;
}

/** A server as stored: the API's shape plus its project and the client CAs' contents. */
export interface VpnServerRecord extends Omit<ApiServer, 'client_ca_certificates'> {
  project_id: string;
  client_ca_certificates: ClientCaRecord[];
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
