/** A P2C VPN gateway as its neighbouring service gives it (CONTRACT.md sections 8 and 11.1): the seed
 * loader validates it with this schema, the VPN server rules read it, and the gateway reads answer it.
 * Only `project_id, id, name, vpc_id, status, max_connection_number` are required, so older seed files
 * stay valid; the gateway reads answer section 11.1's default for each optional field that is absent.
 * `current_connection_number` is never given: the data plane counts connections. */
import * as z from 'zod/mini';
import { ipv4Schema } from './fields';
import { lowercaseUuidSchema, projectIdSchema, uuidSchema } from './ids';
import { lazy } from './memo';

/** The times a seed may give: UTC, to the second or with up to 3 decimals (2024-06-17T06:53:46.302Z);
 * the load time the gateway reads default to is of this form too. */
export const gatewayTimeSchema = lazy(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/, 'must be a UTC time yyyy-MM-ddTHH:mm:ss[.SSS]Z')));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** Huawei's ResponseEipInfo: the public address (the `remote` of the client profile) and its billing.
 * Built on first use, as the gateway schema: the functions never validate a gateway, only answer it. */
export const eipSchema = lazy(() => z.strictObject({
  id: z.optional(uuidSchema),
  ip_version: z.optional(z.union([z.literal(4), z.literal(6)])),
  ip_address: ipv4Schema,
  /** order information; Huawei leaves it empty for pay-per-use */
  ip_billing_info: z.optional(z.string().check(z.maxLength(1024))),
  /** 5_bgp, 5_sbgp, ... */
  type: z.optional(text(64)),
  charge_mode: z.optional(z.enum(['bandwidth', 'traffic'])),
  bandwidth_id: z.optional(uuidSchema),
  /** Mbit/s */
  bandwidth_size: z.optional(z.int().check(z.minimum(1), z.maximum(100_000))),
  bandwidth_name: z.optional(text(64)),
  bandwidth_billing_info: z.optional(z.string().check(z.maxLength(1024))),
  /** WHOLE: shared bandwidth, PER: dedicated */
  share_type: z.optional(z.enum(['WHOLE', 'PER'])),
}));

export const gatewaySchema = lazy(() => z.strictObject({
  project_id: projectIdSchema,
  id: lowercaseUuidSchema,
  name: text(64),
  vpc_id: lowercaseUuidSchema,
  status: z.string().check(z.regex(/^[A-Z_]{1,32}$/, 'must be an upper-case status such as ACTIVE')),
  max_connection_number: z.int().check(z.minimum(1), z.maximum(100_000)),
  eip: z.optional(eipSchema()),
  /** Professional1, Professional2 */
  flavor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, underscores or hyphens'))),
  /** the id of the VPC subnet the gateway uses */
  connect_subnet: z.optional(lowercaseUuidSchema),
  availability_zone_ids: z.optional(
    z.array(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'must be an availability zone such as cn-north-4a'))).check(z.maxLength(16)),
  ),
  /** "0" is the default enterprise project */
  enterprise_project_id: z.optional(z.string().check(z.regex(/^(?:0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, 'must be "0" or a lowercase UUID'))),
  tags: z.optional(z.array(z.strictObject({ key: text(128), value: z.string().check(z.maxLength(255)) })).check(z.maxLength(20))),
  created_at: z.optional(gatewayTimeSchema()),
  updated_at: z.optional(gatewayTimeSchema()),
}));

/** A gateway as the seed gives it. */
export type Gateway = z.infer<ReturnType<typeof gatewaySchema>>;

/** A gateway as the table holds it: the seed's fields and when the seed first loaded it (UTC with
 * milliseconds, as section 11.1's other objects show times); re-seeding keeps that time. */
export interface StoredGateway extends Gateway {
  loaded_at: string;
}
