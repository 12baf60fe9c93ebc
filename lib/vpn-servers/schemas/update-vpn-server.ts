/** UpdateVpnServer (CONTRACT.md section 10.1): a partial update; absent (or null) fields keep their value. */
import * as z from 'zod/mini';
import { networkOf } from '../../core/ipv4';
import { lowercaseId } from '../../core/ids';
import { parseOrThrow } from '../../core/issues';
import { MAX_LOCAL_SUBNETS } from '../../core/limits';
import { absentIfNull, always, cidrSchema } from '../../core/fields';
import { clientAuthTypeSchema, dnsServersSchema, encryptionAlgorithmSchema, serverCertificateRefSchema, sslPortSchema, sslProtocolSchema } from './fields';
import { replySchema, serverTargetSchema } from '../../core/fields';

export const UPDATABLE_FIELDS = ['client_cidr', 'local_subnets', 'server_certificate', 'ssl_options', 'client_auth_type', 'dns_servers'] as const;
/** Fields of the server that exist but cannot change: named in the 400, not "unknown". */
export const FIXED_FIELDS = ['tunnel_protocol', 'client_ca_certificates', 'p2c_vgw_id'] as const;

const cannotBeUpdated = (ctx: { addIssue: (issue: z.core.$ZodRawIssue) => void }, path: (string | number)[], hint = '') =>
  ctx.addIssue({ code: 'custom', path, message: `cannot be updated${hint}`, input: undefined });

const isGiven = (value: unknown): boolean => value !== undefined && value !== null;

const updateSslOptionsSchema = z
  .strictObject({
    protocol: absentIfNull(sslProtocolSchema),
    port: absentIfNull(sslPortSchema),
    encryption_algorithm: absentIfNull(encryptionAlgorithmSchema),
    is_compressed: z.optional(z.unknown()),
  })
  .check(
    z.superRefine((ssl, ctx) => {
      if (typeof ssl !== 'object' || ssl === null) return;
      if (isGiven(ssl.is_compressed)) cannotBeUpdated(ctx, ['is_compressed']);
    }, always),
  );

export const updateVpnServerRequestSchema = z
  .strictObject({
    client_cidr: absentIfNull(cidrSchema),
    local_subnets: absentIfNull(z.array(cidrSchema).check(z.minLength(1), z.maxLength(MAX_LOCAL_SUBNETS))),
    server_certificate: absentIfNull(serverCertificateRefSchema),
    ssl_options: absentIfNull(updateSslOptionsSchema),
    client_auth_type: absentIfNull(clientAuthTypeSchema),
    dns_servers: absentIfNull(dnsServersSchema),
    tunnel_protocol: z.optional(z.unknown()),
    client_ca_certificates: z.optional(z.unknown()),
    p2c_vgw_id: z.optional(z.unknown()),
  })
  .check(
    z.superRefine((server, ctx) => {
      if (typeof server !== 'object' || server === null) return;
      const fields = server as Record<string, unknown>;
      for (const field of FIXED_FIELDS) {
        if (isGiven(fields[field])) {
          cannotBeUpdated(ctx, [field], field === 'client_ca_certificates' ? ' here (use the client CA certificate calls)' : '');
        }
      }
      if (!UPDATABLE_FIELDS.some((field) => isGiven(fields[field]))) {
        ctx.addIssue({ code: 'custom', path: [], message: `must set at least one of ${UPDATABLE_FIELDS.join(', ')}`, input: undefined });
      }
    }, always),
  );

export const updateVpnServerBodySchema = z.strictObject({ vpn_server: updateVpnServerRequestSchema });

/** The answer carries only the request_id. */
export const updateVpnServerResponseSchema = replySchema(() => ({}));

type UpdateRequest = z.infer<typeof updateVpnServerRequestSchema>;

/** What the caller asked to set, CIDRs normalised; absent: keep. */
export interface VpnServerChanges {
  client_cidr?: string;
  local_subnets?: string[];
  server_certificate_id?: string;
  ssl_options: { protocol?: 'TCP'; port?: 443 | 1194; encryption_algorithm?: 'AES-128-GCM' | 'AES-256-GCM' };
  client_auth_type?: NonNullable<UpdateRequest['client_auth_type']>;
  dns_servers?: string[];
}

export interface UpdateVpnServerCommand {
  projectId: string;
  serverId: string;
  changes: VpnServerChanges;
}

function changesOf(server: UpdateRequest): VpnServerChanges {
  const ssl = server.ssl_options ?? {};
  return {
    ...(isGiven(server.client_cidr) ? { client_cidr: networkOf(server.client_cidr!) } : {}),
    ...(isGiven(server.local_subnets) ? { local_subnets: server.local_subnets!.map(networkOf) } : {}),
    ...(isGiven(server.server_certificate) ? { server_certificate_id: server.server_certificate!.id } : {}),
    ssl_options: {
      ...(isGiven(ssl.protocol) ? { protocol: ssl.protocol! } : {}),
      ...(isGiven(ssl.port) ? { port: ssl.port! } : {}),
      ...(isGiven(ssl.encryption_algorithm) ? { encryption_algorithm: ssl.encryption_algorithm! } : {}),
    },
    ...(isGiven(server.client_auth_type) ? { client_auth_type: server.client_auth_type! } : {}),
    ...(isGiven(server.dns_servers) ? { dns_servers: server.dns_servers! } : {}),
  };
}

export function parseUpdateVpnServer(input: { projectId: unknown; serverId: unknown; body: unknown }): UpdateVpnServerCommand {
  const target = parseOrThrow(serverTargetSchema, { project_id: input.projectId, vpn_server_id: input.serverId });
  const body = parseOrThrow(updateVpnServerBodySchema, input.body);
  return { projectId: target.project_id, serverId: lowercaseId(target.vpn_server_id), changes: changesOf(body.vpn_server) };
}
