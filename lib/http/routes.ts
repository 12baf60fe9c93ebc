/** The API's route table (CONTRACT.md sections 1 and 10). Anything else is 404 APIGW.0101, as API
 * Gateway itself would answer. */
import * as z from 'zod/mini';
import { lowercaseId, projectIdSchema, uuidSchema } from '../core/ids';
import { parseOrThrow } from '../core/issues';

const SERVERS = '/v5/{project_id}/p2c-vpn-gateways/vpn-servers';
const CLIENT_CA = `${SERVERS}/{vpn_server_id}/client-ca-certificates/{client_ca_certificate_id}`;

/** `body`: required (JSON), optional (none, or JSON) or none (not read). Literal paths come first. */
const ROUTES = [
  { name: 'createVpnServer', method: 'POST', path: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers', body: 'required' },
  { name: 'listVpnServersByGateway', method: 'GET', path: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers', body: 'none' },
  { name: 'listVpnServersByProject', method: 'GET', path: '/v5/{project_id}/vpn-servers', body: 'none' },
  { name: 'checkClientCaCertificate', method: 'POST', path: `${SERVERS}/client-ca-certificates/check`, body: 'required' },
  { name: 'updateVpnServer', method: 'PUT', path: `${SERVERS}/{vpn_server_id}`, body: 'required' },
  { name: 'exportClientConfig', method: 'POST', path: `${SERVERS}/{vpn_server_id}/client-config/export`, body: 'optional' },
  { name: 'importClientCa', method: 'POST', path: `${SERVERS}/{vpn_server_id}/client-ca-certificates`, body: 'required' },
  { name: 'showClientCa', method: 'GET', path: CLIENT_CA, body: 'none' },
  { name: 'updateClientCa', method: 'PUT', path: CLIENT_CA, body: 'required' },
  { name: 'deleteClientCa', method: 'DELETE', path: CLIENT_CA, body: 'none' },
] as const;

export type BodyRule = (typeof ROUTES)[number]['body'];

export type RouteName = (typeof ROUTES)[number]['name'];

export interface MatchedRoute {
  name: RouteName;
  body: BodyRule;
  /** path segments as sent (percent-decoded), validated by pathParameters() */
  segments: Record<string, string>;
}

const PARAMETER = /^\{([a-z0-9_]+)\}$/;

/** A template as a matcher: literal segments must be equal, `{name}` segments are captured. */
function compile(path: string): (segments: readonly string[]) => Record<string, string> | undefined {
  const template = path.split('/');
  return (segments) => {
    if (segments.length !== template.length) return undefined;
    const captured: Record<string, string> = {};
    for (const [index, part] of template.entries()) {
      const segment = segments[index]!;
      const parameter = PARAMETER.exec(part)?.[1];
      if (parameter === undefined) {
        if (segment !== part) return undefined;
        continue;
      }
      const decoded = decodeSegment(segment);
      if (decoded === undefined || segment === '') return undefined;
      captured[parameter] = decoded;
    }
    return captured;
  };
}

const MATCHERS = ROUTES.map((route) => ({ ...route, match: compile(route.path) }));

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  const segments = path.split('/');
  for (const route of MATCHERS) {
    if (route.method !== method) continue;
    const captured = route.match(segments);
    if (captured) return { name: route.name, body: route.body, segments: captured };
  }
  return undefined;
}

const pathSchema = z.strictObject({
  project_id: projectIdSchema,
  p2c_vgw_id: z.optional(uuidSchema),
  vpn_server_id: z.optional(uuidSchema),
  client_ca_certificate_id: z.optional(uuidSchema),
});

export interface PathParameters {
  projectId: string;
  gatewayId?: string;
  serverId?: string;
  caId?: string;
}

/** 400 VPN.0001 naming the bad segment; UUIDs are compared in lower case. */
export function pathParameters(route: MatchedRoute): PathParameters {
  const params = parseOrThrow(pathSchema, route.segments);
  const uuid = (value: string | undefined) => (value !== undefined ? lowercaseId(value) : undefined);
  return {
    projectId: params.project_id,
    ...(params.p2c_vgw_id !== undefined ? { gatewayId: uuid(params.p2c_vgw_id) } : {}),
    ...(params.vpn_server_id !== undefined ? { serverId: uuid(params.vpn_server_id) } : {}),
    ...(params.client_ca_certificate_id !== undefined ? { caId: uuid(params.client_ca_certificate_id) } : {}),
  };
}
