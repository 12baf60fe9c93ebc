/** ListVpnServersByVgw and ListVpnServersByProject (CONTRACT.md section 4): the query and its paging. */
import * as z from 'zod/mini';
import { lowercaseId } from '../ids';
import { parseOrThrow } from '../issues';
import { DEFAULT_PAGE_LIMIT } from '../limits';
import { gatewayTargetSchema } from './fields';

const PAGE_LIMIT_PATTERN = /^(?:[1-9]\d{0,1}|1\d\d|200)$/;
const MARKER_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
export const MARKER_RULE = 'must be a marker from page_info.next_marker';

export const listQuerySchema = z.strictObject({
  limit: z.optional(z.string().check(z.regex(PAGE_LIMIT_PATTERN, 'must be an integer from 1 to 200'))),
  marker: z.optional(z.string().check(z.regex(MARKER_PATTERN, MARKER_RULE))),
});

export interface ListVpnServersQuery {
  projectId: string;
  gatewayId?: string;
  limit: number;
  marker?: string;
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
  const page = parseOrThrow(listQuerySchema, {
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    ...(input.marker !== undefined ? { marker: input.marker } : {}),
  });
  return {
    projectId: target.project_id,
    ...(target.p2c_vgw_id !== undefined ? { gatewayId: lowercaseId(target.p2c_vgw_id) } : {}),
    limit: page.limit !== undefined ? Number(page.limit) : DEFAULT_PAGE_LIMIT,
    ...(page.marker !== undefined ? { marker: page.marker } : {}),
  };
}
