/** The pieces the operations' schemas share (zod/mini keeps the bundles small). */
import * as z from 'zod/mini';
import { CIDR_FORMAT_RULE, CIDR_PATTERN } from '../cidr';
import { CLIENT_CA_NAME_OR_EMPTY_PATTERN, NAME_RULE, certificateIdSchema, projectIdSchema, uuidSchema } from '../ids';

/** An optional field sent as null counts as absent. */
export const absentIfNull = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/** Object-level rules run even when a field already failed, so one response names every problem. */
export const always = { when: () => true };

export const cidrSchema = z.string().check(z.regex(new RegExp(CIDR_PATTERN), CIDR_FORMAT_RULE));

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

/** The ids an operation's path (or an event's fields) carries. */
export const gatewayTargetSchema = z.strictObject({ project_id: projectIdSchema, p2c_vgw_id: uuidSchema });
