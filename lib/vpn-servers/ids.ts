/** Every id and name pattern of the API, once: the schemas, the store, the seed, the signer and the
 * OpenAPI document import them from here. Patterns carry no regex flags, so JSON Schema states them
 * exactly. */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';

/** Huawei project ids: 32 lowercase hex characters. */
const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/;
/** Any case; callers' UUIDs are compared and stored lowercase (`lowercaseId`). */
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The neighbouring services' own ids (gateways, VPCs) as the seed stores them. */
const LOWERCASE_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Huawei issues 20 upper-case letters and digits; this wider form is accepted. Anything else is refused
 * before a lookup, so no caller-chosen text (a megabyte, say) reaches the table as a key. */
export const ACCESS_KEY_PATTERN = /^[A-Za-z0-9]{8,64}$/;
/** Certificate-store ids (scs1716171403922) and client CA names. */
const CERTIFICATE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const CLIENT_CA_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A client CA name, or empty: a name is then generated. */
export const CLIENT_CA_NAME_OR_EMPTY_PATTERN = /^(?:[A-Za-z0-9_-]{1,64})?$/;
const REQUEST_ID_PATTERN = /^[0-9a-f]{32}$/;

export const NAME_RULE = 'must be 1 to 64 letters, digits, underscores or hyphens';

export const projectIdSchema = z.string().check(z.regex(PROJECT_ID_PATTERN, 'must be 32 lowercase hexadecimal characters'));
export const uuidSchema = z.string().check(z.regex(UUID_PATTERN, 'must be a 36-character UUID'));
export const lowercaseUuidSchema = z.string().check(z.regex(LOWERCASE_UUID_PATTERN, 'must be a lowercase UUID'));
export const accessKeySchema = z.string().check(z.regex(ACCESS_KEY_PATTERN, 'must be 8 to 64 letters or digits'));
export const certificateIdSchema = z.string().check(z.regex(CERTIFICATE_ID_PATTERN, NAME_RULE));
export const requestIdSchema = z.string().check(z.regex(REQUEST_ID_PATTERN));

/** UUIDs from callers in any case name the same thing. */
export const lowercaseId = (id: string): string => id.toLowerCase();

/** 32 lowercase hex characters, new for each call (the `request_id` and `X-Request-Id` of every answer). */
export const newRequestId = (): string => randomBytes(16).toString('hex');
