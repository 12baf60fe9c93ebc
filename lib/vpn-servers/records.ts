/** What this service reads from its neighbours (route tables, the certificate store; gateways are the
 * kernel's, lib/core/gateway.ts), as the seed loader validates it, and the servers it writes. */
import * as z from 'zod/mini';
import { cidrSchema } from '../core/fields';
import { certificateIdSchema, lowercaseUuidSchema, projectIdSchema } from '../core/ids';
import type { ApiClientCa, ApiServer } from './schemas/server';

/** One or more PEM CERTIFICATE blocks and nothing else. */
const PEM_CERTIFICATES = /^\s*(?:-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$/;

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
  /** the CA certificates that issued it, as the certificate store keeps them: the profile's <ca> */
  certificate_chain: z.optional(
    z.string().check(z.maxLength(64 * 1024), z.regex(PEM_CERTIFICATES, 'must be one or more PEM CERTIFICATE blocks')),
  ),
});

export type RouteTable = z.infer<typeof routeTableSchema>;
export type Route = RouteTable['routes'][number];
export type StoredCertificate = z.infer<typeof storedCertificateSchema>;

export interface ClientCaRecord extends ApiClientCa {
  /** kept for the data plane; never returned by the API */
  content: string;
  /** SHA-256 of the DER, for duplicate detection; never returned by the API */
  fingerprint: string;
}

/** An X-Client-Token import that completed: written with the CA itself, so a replay after a later
 * delete still answers the same id and imports nothing. */
interface CompletedImport {
  token: string;
  client_ca_id: string;
  /** epoch seconds, as the token's reservation */
  expires_at: number;
}

/** A server as stored: the API's shape plus its project, the client CAs' contents, the completed
 * imports and the version its read-modify-writes are conditioned on. */
export interface VpnServerRecord extends Omit<ApiServer, 'client_ca_certificates' | 'ssl_options'> {
  project_id: string;
  client_ca_certificates: ClientCaRecord[];
  ssl_options: Omit<ApiServer['ssl_options'], 'authentication_algorithm'>;
  completed_imports: CompletedImport[];
  /** 1 when created, + 1 on every change */
  version: number;
}
