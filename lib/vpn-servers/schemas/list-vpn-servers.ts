/** ListVpnServersByVgw and ListVpnServersByProject (CONTRACT.md section 4): the target, its paging and the answer. */
import * as z from 'zod/mini';
import { lowercaseId } from '../../core/ids';
import { parseOrThrow } from '../../core/issues';
import { pageInfoSchema, parsePage, type PageRequest } from '../../core/paging';
import { gatewayTargetSchema } from './fields';
import { replySchema } from '../../core/fields';
import { apiServerSchema } from './server';

export interface ListVpnServersQuery extends PageRequest {
  projectId: string;
  gatewayId?: string;
}

export function parseListVpnServers(input: {
  projectId: unknown;
  gatewayId?: unknown;
  limit?: unknown;
  marker?: unknown;
}): ListVpnServersQuery {
  const target = parseOrThrow(z.partial(gatewayTargetSchema, { p2c_vgw_id: true }), {
    project_id: input.projectId,
    ...(input.gatewayId !== undefined ? { p2c_vgw_id: input.gatewayId } : {}),
  });
  return {
    projectId: target.project_id,
    ...(target.p2c_vgw_id !== undefined ? { gatewayId: lowercaseId(target.p2c_vgw_id) } : {}),
    ...parsePage(input),
  };
}

export const listVpnServersResponseSchema = replySchema(() => ({
  vpn_servers: z.array(apiServerSchema()),
  total_count: z.int().check(z.minimum(0)),
  page_info: pageInfoSchema(),
}));
