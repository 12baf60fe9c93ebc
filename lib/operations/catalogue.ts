/** Every operation of the service, once. The HTTP routes (lib/http/routes.ts), the event actions
 * (lib/events/invocation.ts), the OpenAPI document (lib/openapi/) and the CLI's commands (lib/cli/)
 * are read off this list; a new operation is a schema, a use case and an entry in one of these arrays. */
import { accessPolicyOperations } from './access-policies';
import { clientCaOperations } from './client-cas';
import type { AnyOperation } from './operation';
import { userGroupOperations } from './user-groups';
import { p2cGatewayOperations } from './p2c-gateways';
import { vpnServerOperations } from './vpn-servers';
import { vpnUserOperations } from './vpn-users';

export const OPERATIONS: readonly AnyOperation[] = [
  ...vpnServerOperations,
  ...clientCaOperations,
  ...vpnUserOperations,
  ...userGroupOperations,
  ...accessPolicyOperations,
  ...p2cGatewayOperations,
];
