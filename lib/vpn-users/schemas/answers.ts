/** The answers' shapes (CONTRACT.md sections 11 and 11.1): the OpenAPI document's schemas and the types
 * the views build. */
import * as z from 'zod/mini';
import { replySchema } from '../../core/fields';
import { pageInfoSchema } from '../../core/paging';
import { uuidSchema } from '../../core/ids';
import { lazy } from '../../core/memo';

const timeSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'yyyy-MM-ddTHH:mm:ss.SSSZ'));
const countSchema = z.int().check(z.minimum(0));

const apiUserSchema = lazy(() =>
  z.strictObject({
    id: uuidSchema,
    name: z.string(),
    description: z.string(),
    user_group_id: uuidSchema,
    user_group_name: z.string(),
    /** "disable" or an IPv4 address */
    static_ip: z.string(),
    created_at: timeSchema,
    updated_at: timeSchema,
  }),
);

const apiGroupMemberSchema = lazy(() => z.strictObject({ id: uuidSchema, name: z.string(), description: z.string() }));

const apiUserGroupSchema = lazy(() =>
  z.strictObject({
    id: uuidSchema,
    name: z.string(),
    description: z.string(),
    type: z.enum(['Default', 'Custom']),
    user_number: countSchema,
    created_at: timeSchema,
    updated_at: timeSchema,
  }),
);

const apiAccessPolicySchema = lazy(() =>
  z.strictObject({
    id: uuidSchema,
    name: z.string(),
    type: z.literal('Custom'),
    user_group_id: uuidSchema,
    user_group_name: z.string(),
    description: z.string(),
    dest_ip_cidrs: z.array(z.string()),
    created_at: timeSchema,
    updated_at: timeSchema,
  }),
);

export type ApiUser = z.infer<ReturnType<typeof apiUserSchema>>;
export type ApiGroupMember = z.infer<ReturnType<typeof apiGroupMemberSchema>>;
export type ApiUserGroup = z.infer<ReturnType<typeof apiUserGroupSchema>>;
export type ApiAccessPolicy = z.infer<ReturnType<typeof apiAccessPolicySchema>>;

const listOf = (member: string, item: () => z.ZodMiniType) =>
  replySchema(() => ({ [member]: z.array(item()), total_count: countSchema, page_info: pageInfoSchema() }));
const createdId = (member: string) => replySchema(() => ({ [member]: z.strictObject({ id: uuidSchema }) }));

export const answers = {
  createdUser: createdId('user'),
  createdGroup: createdId('user_group'),
  createdPolicy: createdId('access_policy'),
  user: replySchema(() => ({ user: apiUserSchema() })),
  userGroup: replySchema(() => ({ user_group: apiUserGroupSchema() })),
  accessPolicy: replySchema(() => ({ access_policy: apiAccessPolicySchema() })),
  users: listOf('users', apiUserSchema),
  members: listOf('users', apiGroupMemberSchema),
  userGroups: listOf('user_groups', apiUserGroupSchema),
  accessPolicies: listOf('access_policies', apiAccessPolicySchema),
  invalidUsers: replySchema(() => ({
    invalid_users: z.array(
      z.strictObject({
        name: z.optional(z.string()),
        description: z.optional(z.string()),
        user_group_name: z.optional(z.string()),
        static_ip: z.optional(z.string()),
        cause: z.string(),
      }),
    ),
  })),
  empty: replySchema(() => ({})),
};
