import { createRouter, pathParameters, type MatchedRoute } from '../../lib/http/routes';
import { OPERATIONS } from '../../lib/operations/catalogue';
import { ServiceError } from '../../lib/core/errors';
import { gatewayServersPath, projectServersPath } from '../support/paths';

const matchRoute = createRouter(OPERATIONS);
const matched = (method: string, path: string) => {
  const route = matchRoute(method, path);
  return route && { name: route.operation.name, body: route.operation.body, segments: route.segments };
};

const PROJECT = '0123456789abcdef0123456789abcdef';
const GATEWAY = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const gatewayPath = (project = PROJECT, gateway = GATEWAY) => gatewayServersPath(project, gateway);
const projectPath = (project = PROJECT) => projectServersPath(project);

function pathError(route: MatchedRoute): ServiceError {
  let caught: unknown;
  try {
    pathParameters(route);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ServiceError);
  const error = caught as ServiceError;
  expect(error.status).toBe(400);
  expect(error.code).toBe('VPN.0001');
  expect(error.message).toMatch(/^invalid request: /);
  return error;
}

describe('matchRoute: the three routes', () => {
  test('POST on the gateway path is CreateVpnServer, with a body', () => {
    expect(matched('POST', gatewayPath())).toEqual({
      name: 'CreateVpnServer',
      body: 'required',
      segments: { project_id: PROJECT, p2c_vgw_id: GATEWAY },
    });
  });

  test('GET on the gateway path is ListVpnServersByVgw, without a body', () => {
    expect(matched('GET', gatewayPath())).toEqual({
      name: 'ListVpnServersByVgw',
      body: 'none',
      segments: { project_id: PROJECT, p2c_vgw_id: GATEWAY },
    });
  });

  test('GET on the project path is ListVpnServersByProject, without a gateway', () => {
    expect(matched('GET', projectPath())).toEqual({
      name: 'ListVpnServersByProject',
      body: 'none',
      segments: { project_id: PROJECT },
    });
  });

  test('GET on the project\'s gateways is ListP2cVgws, on one gateway ShowP2cVgw; no other method is defined there', () => {
    expect(matched('GET', `/v5/${PROJECT}/p2c-vpn-gateways`)).toEqual({ name: 'ListP2cVgws', body: 'none', segments: { project_id: PROJECT } });
    expect(matched('GET', `/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}`)).toEqual({
      name: 'ShowP2cVgw',
      body: 'none',
      segments: { project_id: PROJECT, p2c_vgw_id: GATEWAY },
    });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expect(matchRoute(method, `/v5/${PROJECT}/p2c-vpn-gateways`)).toBeUndefined();
      expect(matchRoute(method, `/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}`)).toBeUndefined();
    }
  });

  test('segments are matched as sent; their format is checked later, by pathParameters', () => {
    expect(matchRoute('POST', gatewayPath('p', 'g'))?.segments).toEqual({ project_id: 'p', p2c_vgw_id: 'g' });
    expect(matchRoute('GET', projectPath('NOT-A-PROJECT'))?.segments).toEqual({ project_id: 'NOT-A-PROJECT' });
  });
});

describe('matchRoute: no such API', () => {
  test.each(['DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'])('%s on the gateway path is undefined', (method) => {
    expect(matchRoute(method, gatewayPath())).toBeUndefined();
  });

  test.each(['POST', 'DELETE', 'PUT', 'PATCH', 'HEAD'])('%s on the GET-only project path is undefined', (method) => {
    expect(matchRoute(method, projectPath())).toBeUndefined();
  });

  test('methods are case-sensitive as API Gateway sends them', () => {
    expect(matchRoute('post', gatewayPath())).toBeUndefined();
    expect(matchRoute('get', projectPath())).toBeUndefined();
  });

  test.each([
    ['a trailing slash on the gateway path', `${gatewayPath()}/`],
    ['a trailing slash on the project path', `${projectPath()}/`],
    ['an extra segment after vpn-servers', `${gatewayPath()}/abc`],
    ['an extra segment in the middle', `/v5/${PROJECT}/x/p2c-vpn-gateways/${GATEWAY}/vpn-servers`],
    ['a stage prefix', `/dev${gatewayPath()}`],
    ['a gateway with a trailing slash', `/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}/`],
    ['another version', `/v3/${PROJECT}/vpn-servers`],
    ['a double slash', `/v5/${PROJECT}//vpn-servers`],
    ['an empty project segment', '/v5//vpn-servers'],
    ['an empty gateway segment', `/v5/${PROJECT}/p2c-vpn-gateways//vpn-servers`],
    ['the root', '/'],
    ['no leading slash', gatewayPath().slice(1)],
    ['a different case', gatewayPath().replace('vpn-servers', 'VPN-Servers')],
  ])('%s is undefined', (_label, path) => {
    expect(matchRoute('GET', path)).toBeUndefined();
    expect(matchRoute('POST', path)).toBeUndefined();
  });

  test.each([
    ['a lone %', `/v5/${PROJECT}%/vpn-servers`],
    ['%zz', `/v5/%zz${PROJECT}/vpn-servers`],
    ['a truncated escape', `/v5/${PROJECT}/p2c-vpn-gateways/${GATEWAY}%4/vpn-servers`],
    ['an invalid UTF-8 sequence', `/v5/${PROJECT}/p2c-vpn-gateways/%C3%28/vpn-servers`],
  ])('malformed percent-encoding (%s) is undefined', (_label, path) => {
    expect(matchRoute('GET', path)).toBeUndefined();
    expect(matchRoute('POST', path)).toBeUndefined();
  });
});

describe('matchRoute: percent-encoded segments', () => {
  test('segments are percent-decoded', () => {
    const encodedProject = PROJECT.replace('a', '%61');
    const encodedGateway = GATEWAY.replace(/-/g, '%2D');
    expect(matchRoute('POST', gatewayPath(encodedProject, encodedGateway))?.segments).toEqual({
      project_id: PROJECT,
      p2c_vgw_id: GATEWAY,
    });
    expect(matchRoute('GET', projectPath(encodedProject))?.segments).toEqual({ project_id: PROJECT });
  });

  test('an encoded slash stays inside its segment and fails the format check', () => {
    const route = matchRoute('GET', projectPath('abc%2Fdef'));
    expect(route?.segments.project_id).toBe('abc/def');
    expect(pathError(route as MatchedRoute).message).toContain('project_id: ');
  });
});

describe('pathParameters', () => {
  test('valid segments pass, the gateway id lowercased', () => {
    expect(pathParameters(matchRoute('POST', gatewayPath(PROJECT, GATEWAY.toUpperCase())) as MatchedRoute)).toEqual({
      project_id: PROJECT,
      p2c_vgw_id: GATEWAY,
    });
    expect(pathParameters(matchRoute('GET', projectPath()) as MatchedRoute)).toEqual({ project_id: PROJECT });
  });

  test.each([
    ['upper-case hex', PROJECT.toUpperCase()],
    ['31 characters', PROJECT.slice(1)],
    ['non-hex', `${PROJECT.slice(1)}z`],
    ['a UUID', GATEWAY],
  ])('a project_id that is %s is 400 naming project_id', (_label, project) => {
    const message = pathError(matchRoute('GET', projectPath(project)) as MatchedRoute).message;
    expect(message).toContain('project_id: ');
    expect(message).not.toContain('p2c_vgw_id');
  });

  test.each([
    ['not a UUID', 'gw-1'],
    ['a UUID without dashes', GATEWAY.replace(/-/g, '')],
    ['a UUID with a trailing character', `${GATEWAY}0`],
    ['a project id', PROJECT],
  ])('a p2c_vgw_id that is %s is 400 naming p2c_vgw_id', (_label, gateway) => {
    const message = pathError(matchRoute('POST', gatewayPath(PROJECT, gateway)) as MatchedRoute).message;
    expect(message).toContain('p2c_vgw_id: ');
    expect(message).not.toContain('project_id');
  });

  test('both bad: both named in one message', () => {
    const message = pathError(matchRoute('GET', gatewayPath('p', 'g')) as MatchedRoute).message;
    expect(message).toContain('project_id: ');
    expect(message).toContain('p2c_vgw_id: ');
  });

  test('a percent-encoded space around an id is not trimmed away', () => {
    const message = pathError(matchRoute('POST', gatewayPath(PROJECT, `${GATEWAY}%20`)) as MatchedRoute).message;
    expect(message).toContain('p2c_vgw_id: ');
  });
});
