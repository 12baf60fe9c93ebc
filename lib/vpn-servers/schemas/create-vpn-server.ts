/** CreateVpnServer (CONTRACT.md section 3): the body schema, its defaults and normalisation, the
 * fingerprint that identifies the request for X-Client-Token, and the answer's schema. */
import * as z from 'zod/mini';
import { requestFingerprint } from '../../core/client-token';
import { networkOf } from '../../core/ipv4';
import { lowercaseId, uuidSchema } from '../../core/ids';
import { parseOrThrow } from '../../core/issues';
import { MAX_CLIENT_CAS, MAX_LOCAL_SUBNETS } from '../../core/limits';
import { absentIfNull, always, cidrSchema, parseClientToken } from '../../core/fields';
import { clientAuthTypeSchema, clientCaCertificateSchema, dnsServersSchema, encryptionAlgorithmSchema, gatewayTargetSchema, serverCertificateRefSchema, sslPortSchema, sslProtocolSchema, tunnelProtocolSchema } from './fields';
import { replySchema } from '../../core/fields';

const sslOptionsSchema = z.strictObject({
  protocol: absentIfNull(sslProtocolSchema),
  port: absentIfNull(sslPortSchema),
  encryption_algorithm: absentIfNull(encryptionAlgorithmSchema),
  is_compressed: absentIfNull(z.boolean()),
});

export const createVpnServerRequestSchema = z
  .strictObject({
    tunnel_protocol: absentIfNull(tunnelProtocolSchema),
    client_cidr: cidrSchema,
    local_subnets: z.array(cidrSchema).check(z.minLength(1), z.maxLength(MAX_LOCAL_SUBNETS)),
    client_auth_type: absentIfNull(clientAuthTypeSchema),
    // tunnel_protocol can only be SSL, so what SSL requires is always required
    server_certificate: serverCertificateRefSchema,
    client_ca_certificates: absentIfNull(z.array(clientCaCertificateSchema)),
    ssl_options: sslOptionsSchema,
    dns_servers: absentIfNull(dnsServersSchema),
  })
  .check(
    z.superRefine((server, ctx) => {
      if (typeof server !== 'object' || server === null) return;
      const cas: unknown = server.client_ca_certificates;
      const count = Array.isArray(cas) ? cas.length : 0;
      const authType = server.client_auth_type ?? 'LOCAL_PASSWORD';
      if (authType === 'CERT') {
        if (count < 1 || count > MAX_CLIENT_CAS) {
          ctx.addIssue({
            code: 'custom',
            path: ['client_ca_certificates'],
            message: `must have 1 to ${MAX_CLIENT_CAS} entries when client_auth_type is CERT`,
          });
        }
      } else if (authType === 'LOCAL_PASSWORD' && count > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['client_ca_certificates'],
          message: 'must be absent or empty when client_auth_type is LOCAL_PASSWORD',
        });
      }
    }, always),
  );

export const createVpnServerBodySchema = z.strictObject({ vpn_server: createVpnServerRequestSchema });

export const createVpnServerResponseSchema = replySchema(() => ({ vpn_server: z.strictObject({ id: uuidSchema }) }));

type CreateVpnServerRequest = z.infer<typeof createVpnServerRequestSchema>;
type SslOptions = z.infer<typeof sslOptionsSchema>;

/** The request with every default applied and every CIDR normalised to its network. */
export interface NormalisedVpnServerRequest {
  tunnel_protocol: NonNullable<CreateVpnServerRequest['tunnel_protocol']>;
  client_cidr: string;
  local_subnets: string[];
  client_auth_type: NonNullable<CreateVpnServerRequest['client_auth_type']>;
  server_certificate: CreateVpnServerRequest['server_certificate'];
  /** names stay as sent ('' or absent = to be generated), so a retry has the same fingerprint */
  client_ca_certificates: { name?: string; content: string }[];
  ssl_options: { [K in keyof SslOptions]-?: NonNullable<SslOptions[K]> };
  dns_servers: string[];
}

export interface CreateVpnServerCommand {
  projectId: string;
  gatewayId: string;
  clientToken?: string;
  server: NormalisedVpnServerRequest;
}

export function normaliseVpnServerRequest(server: CreateVpnServerRequest): NormalisedVpnServerRequest {
  const ssl = server.ssl_options;
  return {
    tunnel_protocol: server.tunnel_protocol ?? 'SSL',
    client_cidr: networkOf(server.client_cidr),
    local_subnets: server.local_subnets.map(networkOf),
    client_auth_type: server.client_auth_type ?? 'LOCAL_PASSWORD',
    server_certificate: { id: server.server_certificate.id },
    client_ca_certificates: (server.client_ca_certificates ?? []).map((ca) =>
      ca.name ? { name: ca.name, content: ca.content } : { content: ca.content },
    ),
    ssl_options: {
      protocol: ssl.protocol ?? 'TCP',
      port: ssl.port ?? 443,
      encryption_algorithm: ssl.encryption_algorithm ?? 'AES-128-GCM',
      is_compressed: ssl.is_compressed ?? false,
    },
    dns_servers: server.dns_servers ?? [],
  };
}

/** Identifies a create for X-Client-Token: same gateway and same normalised body, same fingerprint. */
export const createFingerprint = (gatewayId: string, server: NormalisedVpnServerRequest): string =>
  requestFingerprint('CreateVpnServer', {
    gatewayId,
    ...server,
    client_ca_certificates: server.client_ca_certificates.map((ca) => ({ name: ca.name ?? '', content: ca.content.trim() })),
  });

/** A create as any adapter receives it (HTTP path, header and body; an event's fields), validated. */
export function parseCreateVpnServer(input: {
  projectId: unknown;
  gatewayId: unknown;
  clientToken?: unknown;
  /** how the adapter names the token in messages: X-Client-Token over HTTP, client_token in events */
  clientTokenField: string;
  body: unknown;
}): CreateVpnServerCommand {
  const target = parseOrThrow(gatewayTargetSchema, { project_id: input.projectId, p2c_vgw_id: input.gatewayId });
  const clientToken = parseClientToken(input.clientToken, input.clientTokenField);
  const body = parseOrThrow(createVpnServerBodySchema, input.body);
  return {
    projectId: target.project_id,
    gatewayId: lowercaseId(target.p2c_vgw_id),
    ...(clientToken !== undefined ? { clientToken } : {}),
    server: normaliseVpnServerRequest(body.vpn_server),
  };
}
