/** What the catalogue's use cases run on: the union of the features' ports, which lib/runtime.ts builds. */
import type { P2cGatewayPorts } from '../p2c-gateways/ports';
import type { UseCasePorts } from '../vpn-servers/ports';

export type ServicePorts = UseCasePorts & P2cGatewayPorts;
