/** The pieces the VPN server operations' schemas share (zod/mini keeps the bundles small). */
import * as z from 'zod/mini';
import { absentIfNull, ipv4Schema } from '../../core/fields';
import { certificateIdSchema, projectIdSchema, uuidSchema } from '../../core/ids';
import { MAX_DNS_SERVERS } from '../../core/limits';
import { CLIENT_CA_NAME_OR_EMPTY_PATTERN, CLIENT_CA_NAME_PATTERN, NAME_RULE } from '../../core/patterns';
import { findDnsServerProblems } from '../cidr';

/** 0..2 distinct IPv4 addresses outside the reserved blocks (create and update). */
export const dnsServersSchema = z.array(ipv4Schema).check(
  z.maxLength(MAX_DNS_SERVERS),
  z.superRefine((addresses, ctx) => {
    if (!addresses.every((address) => typeof address === 'string')) return;
    for (const { index, problem } of findDnsServerProblems(addresses)) ctx.addIssue({ code: 'custom', path: [index], message: problem });
  }),
);

/** The HMAC digest of the data plane: read-only ssl_options.authentication_algorithm, the profile's `auth`. */
export const AUTHENTICATION_ALGORITHM = 'SHA256';

export const tunnelProtocolSchema = z.enum(['SSL']);
export const clientAuthTypeSchema = z.enum(['CERT', 'LOCAL_PASSWORD']);
export const sslProtocolSchema = z.enum(['TCP']);
export const sslPortSchema = z.literal([443, 1194]);
export const encryptionAlgorithmSchema = z.enum(['AES-128-GCM', 'AES-256-GCM']);

export const serverCertificateRefSchema = z.strictObject({ id: certificateIdSchema });

/** A client CA as create, import and check take it; an empty or absent name is generated. */
export const clientCaCertificateSchema = z.strictObject({
  name: absentIfNull(z.string().check(z.regex(CLIENT_CA_NAME_OR_EMPTY_PATTERN, NAME_RULE))),
  content: z.string().check(z.minLength(1)),
});

export const clientCaNameSchema = z.string().check(z.regex(CLIENT_CA_NAME_PATTERN, NAME_RULE));

/** The ids an operation's path (or an event's fields) carries. */
export const gatewayTargetSchema = z.strictObject({ project_id: projectIdSchema, p2c_vgw_id: uuidSchema });
export const clientCaTargetSchema = z.strictObject({
  project_id: projectIdSchema,
  vpn_server_id: uuidSchema,
  client_ca_certificate_id: uuidSchema,
});

/** A success body: its members, then the request_id every answer carries. */
