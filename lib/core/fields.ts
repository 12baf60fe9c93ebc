/** The schema pieces every feature's request bodies share (zod/mini keeps the bundles small). */
import * as z from 'zod/mini';
import { lowercaseId, projectIdSchema, requestIdSchema, uuidSchema } from './ids';
import { lazy } from './memo';
import { parseOrThrow } from './issues';
import { CIDR_FORMAT_RULE, CIDR_PATTERN, IPV4_FORMAT_RULE, IPV4_PATTERN } from './patterns';

/** An optional field sent as null counts as absent. */
export const absentIfNull = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/** Object-level rules run even when a field already failed, so one response names every problem. */
export const always = { when: () => true };

export const cidrSchema = z.string().check(z.regex(CIDR_PATTERN, CIDR_FORMAT_RULE));
export const ipv4Schema = z.string().check(z.regex(IPV4_PATTERN, IPV4_FORMAT_RULE));

/** An optional client token as an adapter received it; `field` names it in messages (X-Client-Token, client_token). */
export function parseClientToken(token: unknown, field: string): string | undefined {
  return token === undefined ? undefined : lowercaseId(parseOrThrow(uuidSchema, token, field));
}

/** The ids a path (or an event's fields) carries, for the operations on a project or on one server. */
export const projectTargetSchema = z.strictObject({ project_id: projectIdSchema });
export const serverTargetSchema = z.strictObject({ project_id: projectIdSchema, vpn_server_id: uuidSchema });

/** A success body: its members, then the request_id every answer carries. */
export const replySchema = <Shape extends z.core.$ZodShape>(members: () => Shape) =>
  lazy(() => z.strictObject({ ...members(), request_id: requestIdSchema }));
