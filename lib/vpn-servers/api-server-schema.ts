/** The API's Server shape (CONTRACT.md section 4) as a zod schema: the type of lib/vpn-servers/view.ts
 * and the OpenAPI document's VpnServer. The functions never validate their own answers, so only types
 * are imported from here at run time, and the bundles do not build this schema at start-up. */
import * as z from 'zod/mini';
import { CIDR_PATTERN } from './cidr';
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

