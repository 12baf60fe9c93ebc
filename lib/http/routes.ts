/** The API's route table. Anything else is 404 APIGW.0101, as API Gateway itself would answer. */
import * as z from 'zod/mini';
import { lowercaseId, projectIdSchema, uuidSchema } from '../vpn-servers/ids';
import { parseOrThrow } from '../vpn-servers/issues';

const ROUTES = [
  { name: 'createVpnServer', method: 'POST', path: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers', hasBody: true },
  { name: 'listVpnServersByGateway', method: 'GET', path: '/v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers', hasBody: false },
  { name: 'listVpnServersByProject', method: 'GET', path: '/v5/{project_id}/vpn-servers', hasBody: false },
] as const;

export type RouteName = (typeof ROUTES)[number]['name'];

export interface MatchedRoute {
  name: RouteName;
  hasBody: boolean;
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
    if (captured) return { name: route.name, hasBody: route.hasBody, segments: captured };
  }
  return undefined;
}

const pathSchema = z.strictObject({ project_id: projectIdSchema, p2c_vgw_id: z.optional(uuidSchema) });

/** 400 VPN.0001 naming the bad segment; UUIDs are compared in lower case. */
export function pathParameters(route: MatchedRoute): { projectId: string; gatewayId?: string } {
  const params = parseOrThrow(pathSchema, route.segments);
  return {
    projectId: params.project_id,
    ...(params.p2c_vgw_id !== undefined ? { gatewayId: lowercaseId(params.p2c_vgw_id) } : {}),
  };
}
