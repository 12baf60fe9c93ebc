/** The API's Server shape (CONTRACT.md section 4) as a zod schema: the types of the stored server
 * (records.ts) and of the view (view.ts), and the OpenAPI document's VpnServer. The functions never
 * validate their own answers, so these schemas are built on first use (`lazy`), not at start-up. */
import * as z from 'zod/mini';
import { CIDR_PATTERN } from '../../core/patterns';
import { UTC_SECONDS_PATTERN } from '../../core/time';
import { uuidSchema } from '../../core/ids';
import { AUTHENTICATION_ALGORITHM, clientAuthTypeSchema, encryptionAlgorithmSchema, sslPortSchema, sslProtocolSchema, tunnelProtocolSchema } from './fields';
import { lazy } from '../../core/memo';

const utcTimeSchema = lazy(() => z.string().check(z.regex(UTC_SECONDS_PATTERN)));
const networkCidrSchema = lazy(() => z.string().check(z.regex(new RegExp(CIDR_PATTERN))));

/** What GET shows of a certificate (server certificate and client CAs alike). */
const certificateFactsShape = () => ({
  issuer: z.string(),
  subject: z.string(),
  /** decimal, as Huawei Cloud shows it */
  serial_number: z.string().check(z.regex(/^-?\d+$/)),
  expiration_time: utcTimeSchema(),
  /** OpenSSL's name (sha256WithRSAEncryption), or the OID when OpenSSL has none */
  signature_algorithm: z.string(),
});
export type CertificateFacts = z.infer<z.ZodMiniObject<ReturnType<typeof certificateFactsShape>>>;

export const apiClientCaSchema = lazy(() =>
  z.strictObject({
    id: uuidSchema,
    name: z.string(),
    ...certificateFactsShape(),
    created_at: utcTimeSchema(),
    updated_at: utcTimeSchema(),
  }),
);

export const apiServerSchema = lazy(() => z.strictObject({
  id: uuidSchema,
  p2c_vgw_id: uuidSchema,
  tunnel_protocol: tunnelProtocolSchema,
  client_cidr: networkCidrSchema(),
  local_subnets: z.array(networkCidrSchema()),
  client_auth_type: clientAuthTypeSchema,
  server_certificate: z.strictObject({ id: z.string(), name: z.string(), ...certificateFactsShape() }),
  client_ca_certificates: z.array(apiClientCaSchema()),
  ssl_options: z.strictObject({
    protocol: sslProtocolSchema,
    port: sslPortSchema,
    encryption_algorithm: encryptionAlgorithmSchema,
    is_compressed: z.boolean(),
    authentication_algorithm: z.literal(AUTHENTICATION_ALGORITHM),
  }),
  dns_servers: z.array(z.string()),
  status: z.enum(['ACTIVE']),
  created_at: utcTimeSchema(),
  updated_at: utcTimeSchema(),
}));
export type ApiServer = z.infer<ReturnType<typeof apiServerSchema>>;
export type ApiClientCa = z.infer<ReturnType<typeof apiClientCaSchema>>;
