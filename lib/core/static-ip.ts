/** A user's static IP within its server's client_cidr (CONTRACT.md section 11.2): asked by a user's
 * create and update, and by the server update that changes client_cidr. Pure. */
import type { Ipv4Block } from './ipv4';

/** the static_ip of a user that has none: an address is assigned at connect time */
export const STATIC_IP_DISABLED = 'disable';

/** Why `address` (strict dotted decimal, already checked) cannot be a static IP in `clientCidr`, or
 * undefined: it must be inside the block, the first address of a /30 (.5 of x.y.z.4/30), and not the
 * block's first usable address (the gateway's end of the tunnel). */
export function staticIpProblem(address: number, clientCidr: Ipv4Block): string | undefined {
  if (address < clientCidr.first || address > clientCidr.last) return `is not in client_cidr ${clientCidr.cidr}`;
  if (address === clientCidr.first + 1) return `is the first usable address of client_cidr ${clientCidr.cidr} (the gateway's end of the tunnel)`;
  if ((address & 3) !== 1) return 'must be the first address of a /30 block (such as .5 of x.y.z.4/30)';
  return undefined;
}
