/** The API's routes, read off the operation catalogue: a method and a path template each. Anything else
 * is 404 APIGW.0101, as API Gateway itself would answer. */
import { parseIds, type AnyOperation } from '../operations/operation';

export interface MatchedRoute {
  operation: AnyOperation;
  /** path segments as sent (percent-decoded), validated by pathParameters() */
  segments: Record<string, string>;
}

export type Router = (method: string, path: string) => MatchedRoute | undefined;

const PARAMETER = /^\{([a-z0-9_]+)\}$/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

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

/** Where two templates differ first, a literal segment wins over an id: `/p2c-vpn-gateways/vpn-servers`
 * is never read as a gateway named "vpn-servers", whatever the catalogue's order. */
function bySpecificity(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const literalLeft = !PARAMETER.test(left[index]!);
    const literalRight = !PARAMETER.test(right[index]!);
    if (literalLeft !== literalRight) return literalLeft ? -1 : 1;
  }
  return 0;
}

export function createRouter(operations: readonly AnyOperation[]): Router {
  const matchers = [...operations]
    .sort((a, b) => bySpecificity(a.path, b.path))
    .map((operation) => ({ operation, match: compile(operation.path) }));
  return (method, path) => {
    const segments = path.split('/');
    for (const { operation, match } of matchers) {
      if (operation.method !== method) continue;
      const captured = match(segments);
      if (captured) return { operation, segments: captured };
    }
    return undefined;
  };
}

/** 400 VPN.0001 naming the bad segment; UUIDs are compared in lower case. */
export const pathParameters = (route: MatchedRoute): Record<string, string> => parseIds(route.operation, route.segments);
