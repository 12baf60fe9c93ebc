/** What the catalogue's use cases run on: the union of the features' ports, which lib/runtime.ts builds. */
import type { P2cGatewayPorts } from '../p2c-gateways/ports';
import type { UseCasePorts } from '../vpn-servers/ports';
import type { UsersPorts } from '../vpn-users/ports';

export type ServicePorts = UseCasePorts & UsersPorts & P2cGatewayPorts & { store: UseCasePorts['store'] & UsersPorts['store'] & P2cGatewayPorts['store'] };
