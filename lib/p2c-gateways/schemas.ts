/** ListP2cVgws and ShowP2cVgw (CONTRACT.md section 11): their targets, the paging, and the answered
 * gateway (section 11.1, Huawei's ShowResponseP2cVgw) as zod schemas, built on first use for the
 * OpenAPI document (the functions never validate their own answers). */
import * as z from 'zod/mini';
import { replySchema } from '../core/fields';
import { eipSchema, gatewaySchema, gatewayTimeSchema } from '../core/gateway';
import { lowercaseId, projectIdSchema, uuidSchema } from '../core/ids';
import { parseOrThrow } from '../core/issues';
import { lazy } from '../core/memo';
import { pageInfoSchema, parsePage, type PageRequest } from '../core/paging';

export interface ListP2cVgwsQuery extends PageRequest {
  projectId: string;
}

export interface ShowP2cVgwQuery {
  projectId: string;
  gatewayId: string;
}

const showTargetSchema = z.strictObject({ project_id: projectIdSchema, p2c_vgw_id: uuidSchema });

export function parseListP2cVgws(input: { projectId: unknown; limit?: unknown; marker?: unknown }): ListP2cVgwsQuery {
  return { projectId: parseOrThrow(projectIdSchema, input.projectId, 'project_id'), ...parsePage(input) };
}

export function parseShowP2cVgw(input: { projectId: unknown; gatewayId: unknown }): ShowP2cVgwQuery {
  const target = parseOrThrow(showTargetSchema, { project_id: input.projectId, p2c_vgw_id: input.gatewayId });
  return { projectId: target.project_id, gatewayId: lowercaseId(target.p2c_vgw_id) };
}

/** A gateway as answered: every field of section 11.1 present (defaults applied), but `eip`, absent when
 * the gateway has none. */
export const apiGatewaySchema = lazy(() => {
  const seeded = gatewaySchema().shape;
  return z.strictObject({
    id: seeded.id,
    name: seeded.name,
    vpc_id: seeded.vpc_id,
    /** the VPC subnet's id; "" when the seed gave none */
    connect_subnet: z.union([seeded.connect_subnet.def.innerType, z.literal('')]),
    status: seeded.status,
    flavor: seeded.flavor.def.innerType,
    availability_zone_ids: seeded.availability_zone_ids.def.innerType,
    eip: z.optional(eipSchema()),
    max_connection_number: seeded.max_connection_number,
    current_connection_number: z.int().check(z.minimum(0)),
    enterprise_project_id: seeded.enterprise_project_id.def.innerType,
    tags: seeded.tags.def.innerType,
    created_at: gatewayTimeSchema(),
    updated_at: gatewayTimeSchema(),
  });
});
export type ApiGateway = z.infer<ReturnType<typeof apiGatewaySchema>>;

export const listP2cVgwsResponseSchema = replySchema(() => ({
  p2c_vpn_gateways: z.array(apiGatewaySchema()),
  total_count: z.int().check(z.minimum(0)),
  page_info: pageInfoSchema(),
}));

export const showP2cVgwResponseSchema = replySchema(() => ({ p2c_vpn_gateway: apiGatewaySchema() }));
