/** The access policies' bodies (CONTRACT.md section 11.4): dest_ip_cidrs normalised to their networks,
 * a duplicate after normalising refused. */
import * as z from 'zod/mini';
import { requestFingerprint } from '../../core/client-token';
import { absentIfNull, always, cidrSchema, parseClientToken } from '../../core/fields';
import { lowercaseId } from '../../core/ids';
import { networkOf } from '../../core/ipv4';
import { parseOrThrow } from '../../core/issues';
import { MAX_POLICY_CIDRS } from '../../core/limits';
import type { ServerTarget } from '../ports';
import { descriptionSchema, groupIdSchema, policyNameSchema } from './fields';

const destinationsSchema = z.array(cidrSchema).check(
  z.minLength(1),
  z.maxLength(MAX_POLICY_CIDRS),
  z.superRefine((cidrs, ctx) => {
    if (!Array.isArray(cidrs)) return;
    const seen = new Map<string, number>();
    cidrs.forEach((cidr, index) => {
      if (typeof cidr !== 'string') return;
      const network = networkOf(cidr);
      const first = seen.get(network);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [index], message: `is ${network}, as is dest_ip_cidrs[${first}]`, input: undefined });
      else seen.set(network, index);
    });
  }, always),
);

export const createVpnAccessPolicyBodySchema = z.strictObject({
  access_policy: z.strictObject({
    name: policyNameSchema,
    user_group_id: groupIdSchema,
    description: absentIfNull(descriptionSchema),
    dest_ip_cidrs: destinationsSchema,
  }),
});
export const updateVpnAccessPolicyBodySchema = z.strictObject({
  access_policy: z.strictObject({
    name: absentIfNull(policyNameSchema),
    user_group_id: absentIfNull(groupIdSchema),
    description: absentIfNull(descriptionSchema),
    dest_ip_cidrs: absentIfNull(destinationsSchema),
  }),
});

export interface PolicyTarget extends ServerTarget {
  policyId: string;
}

export interface PolicyFields {
  name: string;
  groupId: string;
  description: string;
  destinations: string[];
}

export interface CreateVpnAccessPolicyCommand extends ServerTarget, PolicyFields {
  clientToken?: string;
}

export type UpdateVpnAccessPolicyCommand = PolicyTarget & Partial<PolicyFields>;

type Input = { ids: Readonly<Record<string, string>>; clientToken?: unknown; clientTokenField: string; body: unknown };

export const parsePolicyTarget = ({ ids }: { ids: Readonly<Record<string, string>> }): PolicyTarget => ({
  projectId: ids.project_id!,
  serverId: ids.vpn_server_id!,
  policyId: ids.policy_id!,
});

export function parseCreateVpnAccessPolicy(input: Input): CreateVpnAccessPolicyCommand {
  const { access_policy: policy } = parseOrThrow(createVpnAccessPolicyBodySchema, input.body);
  const clientToken = parseClientToken(input.clientToken, input.clientTokenField);
  return {
    projectId: input.ids.project_id!,
    serverId: input.ids.vpn_server_id!,
    ...(clientToken !== undefined ? { clientToken } : {}),
    name: policy.name,
    groupId: lowercaseId(policy.user_group_id),
    description: policy.description ?? '',
    destinations: policy.dest_ip_cidrs.map(networkOf),
  };
}

export function parseUpdateVpnAccessPolicy(input: Input): UpdateVpnAccessPolicyCommand {
  const { access_policy: policy } = parseOrThrow(updateVpnAccessPolicyBodySchema, input.body);
  return {
    ...parsePolicyTarget(input),
    ...(policy.name != null ? { name: policy.name } : {}),
    ...(policy.user_group_id != null ? { groupId: lowercaseId(policy.user_group_id) } : {}),
    ...(policy.description != null ? { description: policy.description } : {}),
    ...(policy.dest_ip_cidrs != null ? { destinations: policy.dest_ip_cidrs.map(networkOf) } : {}),
  };
}

export const policyFingerprint = (serverId: string, fields: PolicyFields): string =>
  requestFingerprint('CreateVpnAccessPolicy', { serverId, ...fields });
