/** The field schemas the users, groups and policies bodies share; each states its rule from rules.ts. */
import * as z from 'zod/mini';
import { always } from '../../core/fields';
import { MAX_USERS_PER_BATCH } from '../../core/limits';
import { IPV4_PATTERN, UUID_PATTERN, UUID_RULE } from '../../core/patterns';
import { STATIC_IP_DISABLED } from '../../core/static-ip';
import { USER_NAME_PATTERN, USER_NAME_RULE, descriptionProblem, groupNameProblem, policyNameProblem } from '../rules';

type Context = { addIssue: (issue: z.core.$ZodRawIssue) => void };
const problemCheck = (problemOf: (value: string) => string | undefined) =>
  z.superRefine((value: string, ctx: Context) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: undefined });
  });

export const userNameSchema = z.string().check(z.regex(USER_NAME_PATTERN, USER_NAME_RULE));
/** the password's own rule needs the user's name: the schemas that hold both check it */
export const passwordSchema = z.string();
export const descriptionSchema = z.string().check(problemCheck(descriptionProblem));
export const groupNameSchema = z.string().check(problemCheck(groupNameProblem));
export const policyNameSchema = z.string().check(problemCheck(policyNameProblem));
export const groupIdSchema = z.string().check(z.regex(UUID_PATTERN, UUID_RULE));
const STATIC_IP_RULE = `must be "${STATIC_IP_DISABLED}" or an IPv4 address a.b.c.d in dotted decimal (no leading zeros)`;
export const staticIpSchema = z.string().check(z.refine((ip) => ip === STATIC_IP_DISABLED || IPV4_PATTERN.test(ip), STATIC_IP_RULE));

/** `{"users": [1..100 of {"id"}]}`: batch delete, add-users, remove-users. */
export const userIdsBodySchema = z.strictObject({
  users: z.array(z.strictObject({ id: groupIdSchema })).check(z.minLength(1), z.maxLength(MAX_USERS_PER_BATCH)),
});

/** Names the fields a body may not carry: `cannot be updated` rather than "unknown field". */
export const refusing = (fields: readonly string[], why: string) =>
  z.superRefine((value: unknown, ctx: Context) => {
    if (typeof value !== 'object' || value === null) return;
    for (const field of fields) {
      const given = (value as Record<string, unknown>)[field];
      if (given !== undefined && given !== null) ctx.addIssue({ code: 'custom', path: [field], message: why, input: undefined });
    }
  }, always);
