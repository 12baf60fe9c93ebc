/** A password server's users, groups and policies made through the events function, for the tests that
 * cover every operation of the catalogue: the ids the section 11 operations' paths name. */
import type { AnyOperation } from '../../lib/operations/operation';
import { passwordAuthExample } from './requests';

type Invoke = (payload: Record<string, unknown>) => Promise<{ status_code: number; body: Record<string, any> }>;

/** The operations on a server's users, groups and policies (CONTRACT.md section 11): their samples take a
 * LOCAL_PASSWORD server. */
export const isMemberOperation = (operation: AnyOperation): boolean => /\/vpn-servers\/\{vpn_server_id\}\/(users|groups|access-policies)/.test(operation.path);

async function created(invoke: Invoke, payload: Record<string, unknown>): Promise<Record<string, any>> {
  const result = await invoke(payload);
  if (result.status_code !== 201) throw new Error(`${String(payload.action)}: ${result.status_code} ${JSON.stringify(result.body)}`);
  return result.body;
}

/** A LOCAL_PASSWORD server on `gatewayId` with one user in one custom group and one policy of that group. */
export async function memberFixture(invoke: Invoke, projectId: string, gatewayId: string, serverBody: object = passwordAuthExample()): Promise<Record<string, string>> {
  const at = { project_id: projectId };
  const server = await created(invoke, { action: 'CreateVpnServer', ...at, p2c_vgw_id: gatewayId, ...serverBody });
  const onServer = { ...at, vpn_server_id: server.vpn_server.id as string };
  const group = await created(invoke, { action: 'CreateVpnUserGroup', ...onServer, user_group: { name: 'fixture-group' } });
  const user = await created(invoke, {
    action: 'CreateVpnUser',
    ...onServer,
    user: { name: 'fixture.user', password: 'Fixture123', user_group_id: group.user_group.id },
  });
  const policy = await created(invoke, {
    action: 'CreateVpnAccessPolicy',
    ...onServer,
    access_policy: { name: 'fixture-policy', user_group_id: group.user_group.id, dest_ip_cidrs: ['10.16.0.0/24'] },
  });
  return { vpn_server_id: onServer.vpn_server_id, user_id: user.user.id, group_id: group.user_group.id, policy_id: policy.access_policy.id };
}
