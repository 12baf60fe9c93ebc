/** The request schemas (zod/mini keeps the bundle small), their defaults and normalisation, and the
 * formatting of schema issues into `invalid request: ...` messages. Request types come from here. */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { CIDR_FORMAT_RULE, parseCidr } from './cidr';
import { CLIENT_CA_NAME_PATTERN } from './certificates';
import { invalidRequest } from './errors';

const absentIfNull = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));
/** Object-level rules run even when a field already failed, so one response names every problem. */
const always = { when: () => true };

const cidrString = z.string().check(z.refine((text) => parseCidr(text) !== undefined, CIDR_FORMAT_RULE));

const CERTIFICATE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_LOCAL_SUBNETS = 20;
export const MAX_CLIENT_CAS = 10;

const clientCaCertificateSchema = z.strictObject({
  name: absentIfNull(
    z.string().check(
      z.refine(
        (name) => name === '' || CLIENT_CA_NAME_PATTERN.test(name),
        'must be 1 to 64 letters, digits, underscores or hyphens',
      ),
    ),
  ),
  content: z.string().check(z.minLength(1)),
});

const sslOptionsSchema = z.strictObject({
  protocol: absentIfNull(z.enum(['TCP'])),
  port: absentIfNull(z.literal([443, 1194])),
  encryption_algorithm: absentIfNull(z.enum(['AES-128-GCM', 'AES-256-GCM'])),
  is_compressed: absentIfNull(z.boolean()),
});

export const vpnServerRequestSchema = z
  .strictObject({
    tunnel_protocol: absentIfNull(z.enum(['SSL'])),
    client_cidr: cidrString,
    local_subnets: z.array(cidrString).check(z.minLength(1), z.maxLength(MAX_LOCAL_SUBNETS)),
    client_auth_type: absentIfNull(z.enum(['CERT', 'LOCAL_PASSWORD'])),
    // tunnel_protocol can only be SSL, so what SSL requires is always required
    server_certificate: z.strictObject({
      id: z.string().check(z.regex(CERTIFICATE_ID_PATTERN, 'must be 1 to 64 letters, digits, underscores or hyphens')),
    }),
    client_ca_certificates: absentIfNull(z.array(clientCaCertificateSchema)),
    ssl_options: sslOptionsSchema,
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

export const createVpnServerBodySchema = z.strictObject({ vpn_server: vpnServerRequestSchema });

export type CreateVpnServerBody = z.infer<typeof createVpnServerBodySchema>;
export type VpnServerRequest = z.infer<typeof vpnServerRequestSchema>;
type SslOptions = z.infer<typeof sslOptionsSchema>;
type ClientCaRequest = z.infer<typeof clientCaCertificateSchema>;

/** The request with every default applied and every CIDR normalised to its network. */
export interface NormalisedVpnServerRequest {
  tunnel_protocol: NonNullable<VpnServerRequest['tunnel_protocol']>;
  client_cidr: string;
  local_subnets: string[];
  client_auth_type: NonNullable<VpnServerRequest['client_auth_type']>;
  server_certificate: VpnServerRequest['server_certificate'];
  /** names stay as sent ('' or absent = to be generated), so a retry has the same fingerprint */
  client_ca_certificates: { name?: string; content: string }[];
  ssl_options: { [K in keyof SslOptions]-?: NonNullable<SslOptions[K]> };
}

const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const projectIdSchema = z.string().check(z.regex(PROJECT_ID_PATTERN, 'must be 32 lowercase hexadecimal characters'));
export const uuidSchema = z.string().check(z.regex(UUID_PATTERN, 'must be a 36-character UUID'));

export const listQuerySchema = z.strictObject({
  limit: z.optional(z.string().check(z.regex(/^(?:[1-9]\d{0,1}|1\d\d|200)$/, 'must be an integer from 1 to 200'))),
  marker: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a marker from page_info.next_marker'))),
});
export const DEFAULT_PAGE_LIMIT = 200;

export interface CreateVpnServerCommand {
  projectId: string;
  gatewayId: string;
  clientToken?: string;
  server: NormalisedVpnServerRequest;
}

export interface ListVpnServersQuery {
  projectId: string;
  gatewayId?: string;
  limit: number;
  marker?: string;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
    case 'array':
      return `an ${expected}`;
    case 'int':
      return 'an integer';
    default:
      return `a ${expected}`;
  }
}

function fieldPath(path: readonly PropertyKey[], root: string): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    root,
  );
}

function describeIssue(issue: z.core.$ZodIssue, root: string): string[] {
  const at = fieldPath(issue.path, root) || 'body';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${fieldPath([...issue.path, key], root)}: unknown field`);
    case 'invalid_type':
      return [issue.input === undefined || issue.input === null ? `${at}: is required` : `${at}: must be ${describeExpected(issue.expected)}`];
    case 'invalid_value':
      return [`${at}: must be ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((value) => JSON.stringify(value)).join(', ')}`];
    case 'too_small':
      return [issue.origin === 'array' ? `${at}: must have at least ${issue.minimum} entries` : `${at}: must not be empty`];
    case 'too_big':
      return [issue.origin === 'array' ? `${at}: must have at most ${issue.maximum} entries` : `${at}: is too long`];
    default:
      return [`${at}: ${issue.message}`];
  }
}

/** Parses `input` or throws VPN.0001 naming every offending field; `root` prefixes the paths. */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, input: unknown, root = ''): z.infer<T> {
  // reportInput lets the message tell a missing field from a wrongly typed one; the input never enters it
  const result = z.safeParse(schema, input, { reportInput: true });
  if (result.success) return result.data;
  throw invalidRequest(result.error.issues.flatMap((issue) => describeIssue(issue, root)));
}

const networkOf = (cidr: string): string => parseCidr(cidr)?.cidr ?? cidr;

export function normaliseVpnServerRequest(server: VpnServerRequest): NormalisedVpnServerRequest {
  const ssl = server.ssl_options;
  return {
    tunnel_protocol: server.tunnel_protocol ?? 'SSL',
    client_cidr: networkOf(server.client_cidr),
    local_subnets: server.local_subnets.map(networkOf),
    client_auth_type: server.client_auth_type ?? 'LOCAL_PASSWORD',
    server_certificate: { id: server.server_certificate.id },
    client_ca_certificates: (server.client_ca_certificates ?? []).map((ca: ClientCaRequest) =>
      ca.name ? { name: ca.name, content: ca.content } : { content: ca.content },
    ),
    ssl_options: {
      protocol: ssl.protocol ?? 'TCP',
      port: ssl.port ?? 443,
      encryption_algorithm: ssl.encryption_algorithm ?? 'AES-128-GCM',
      is_compressed: ssl.is_compressed ?? false,
    },
  };
}

/** Identifies a create for X-Client-Token: same gateway and same normalised body, same fingerprint. */
export function requestFingerprint(gatewayId: string, server: NormalisedVpnServerRequest): string {
  const canonical = JSON.stringify({
    gatewayId,
    ...server,
    client_ca_certificates: server.client_ca_certificates.map((ca) => ({ name: ca.name ?? '', content: ca.content.trim() })),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** A create as any adapter receives it (HTTP path, header and body; an event's fields), validated. */
export function parseCreateVpnServer(input: {
  projectId: unknown;
  gatewayId: unknown;
  clientToken?: unknown;
  /** how the adapter names the token in messages: X-Client-Token over HTTP, client_token in events */
  clientTokenField: string;
  body: unknown;
}): CreateVpnServerCommand {
  const target = parseOrThrow(targetSchema, { project_id: input.projectId, p2c_vgw_id: input.gatewayId });
  const clientToken = input.clientToken === undefined ? undefined : parseOrThrow(uuidSchema, input.clientToken, input.clientTokenField);
  const body = parseOrThrow(createVpnServerBodySchema, input.body);
  return {
    projectId: target.project_id,
    gatewayId: target.p2c_vgw_id.toLowerCase(),
    ...(clientToken !== undefined ? { clientToken: clientToken.toLowerCase() } : {}),
    server: normaliseVpnServerRequest(body.vpn_server),
  };
}

const targetSchema = z.strictObject({ project_id: projectIdSchema, p2c_vgw_id: uuidSchema });

export function parseListVpnServers(input: {
  projectId: unknown;
  gatewayId?: unknown;
  limit?: unknown;
  marker?: unknown;
}): ListVpnServersQuery {
  const target = parseOrThrow(z.partial(targetSchema, { p2c_vgw_id: true }), {
    project_id: input.projectId,
    ...(input.gatewayId !== undefined ? { p2c_vgw_id: input.gatewayId } : {}),
  });
  const page = parseOrThrow(listQuerySchema, {
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    ...(input.marker !== undefined ? { marker: input.marker } : {}),
  });
  return {
    projectId: target.project_id,
    ...(target.p2c_vgw_id !== undefined ? { gatewayId: target.p2c_vgw_id.toLowerCase() } : {}),
    limit: page.limit !== undefined ? Number(page.limit) : DEFAULT_PAGE_LIMIT,
    ...(page.marker !== undefined ? { marker: page.marker } : {}),
  };
}
