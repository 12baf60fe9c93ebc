/** The ids of the API as zod schemas (from lib/core/patterns.ts), and the ids the service makes. */
import { randomBytes } from 'node:crypto';
import { v5 as nameBasedUuid, v7 as timeOrderedUuid } from 'uuid';
import * as z from 'zod/mini';
import {
  ACCESS_KEY_PATTERN,
  ACCESS_KEY_RULE,
  CERTIFICATE_ID_PATTERN,
  LOWERCASE_UUID_PATTERN,
  NAME_RULE,
  PROJECT_ID_PATTERN,
  PROJECT_ID_RULE,
  REQUEST_ID_PATTERN,
  UUID_PATTERN,
  UUID_RULE,
} from './patterns';

export const projectIdSchema = z.string().check(z.regex(PROJECT_ID_PATTERN, PROJECT_ID_RULE));
export const uuidSchema = z.string().check(z.regex(UUID_PATTERN, UUID_RULE));
export const lowercaseUuidSchema = z.string().check(z.regex(LOWERCASE_UUID_PATTERN, 'must be a lowercase UUID'));
export const accessKeySchema = z.string().check(z.regex(ACCESS_KEY_PATTERN, ACCESS_KEY_RULE));
export const certificateIdSchema = z.string().check(z.regex(CERTIFICATE_ID_PATTERN, NAME_RULE));
export const requestIdSchema = z.string().check(z.regex(REQUEST_ID_PATTERN));

/** UUIDs from callers in any case name the same thing. */
export const lowercaseId = (id: string): string => id.toLowerCase();

/** 32 lowercase hex characters, new for each call (the `request_id` and `X-Request-Id` of every answer). */
export const newRequestId = (): string => randomBytes(16).toString('hex');

/** A new UUID whose order is its creation time (UUIDv7 at `at`'s millisecond): a list in id order is a
 * list oldest first, ties by id, as section 11.5 orders users, groups and policies. */
export const timeOrderedId = (at: Date): string => timeOrderedUuid({ msecs: at.getTime() });

/** The same UUID every time for the same name within `namespace` (a UUID): UUIDv5. */
export const derivedId = (name: string, namespace: string): string => nameBasedUuid(name, namespace);
