/** The CIDR rules of a VPN server (CONTRACT.md sections 3 and 10.1). Pure: no I/O. */
import { blocksOverlap, parseCidr, type Ipv4Block } from '../core/ipv4';
import { ADDRESSES_PER_CONNECTION } from '../core/limits';
import { memoise } from '../core/memo';

/** A VPC's route table is read on every create in it, and parsing a destination costs about a
 * microsecond: a warm function parses each destination once. */
const parseRouteDestination = memoise(parseCidr, 20_000);

function reserved(text: string): Ipv4Block {
  const block = parseCidr(text);
  if (!block) throw new Error(`bad reserved block ${text}`);
  return block;
}

/** Reserved for both client_cidr and local subnets. */
export const RESERVED_FOR_ALL = ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'] as const;
/** Reserved for client_cidr and DNS servers. */
export const RESERVED_FOR_CLIENT = [...RESERVED_FOR_ALL, '169.254.0.0/16'] as const;
const RESERVED_FOR_ALL_BLOCKS = RESERVED_FOR_ALL.map(reserved);
const RESERVED_FOR_CLIENT_BLOCKS = RESERVED_FOR_CLIENT.map(reserved);

/** DNS servers (CONTRACT.md section 10.1): distinct, and in none of the blocks reserved for client_cidr.
 * Addresses that do not match IPV4_PATTERN are left to the schema. */
export function findDnsServerProblems(addresses: readonly string[]): { index: number; problem: string }[] {
  const problems: { index: number; problem: string }[] = [];
  addresses.forEach((address, index) => {
    const host = parseCidr(`${address}/32`);
    if (!host) return;
    for (const block of RESERVED_FOR_CLIENT_BLOCKS) {
      if (blocksOverlap(host, block)) problems.push({ index, problem: `${address} is in reserved block ${block.cidr}` });
    }
    const first = addresses.indexOf(address);
    if (first !== index) problems.push({ index, problem: `${address} duplicates entry [${first}]` });
  });
  return problems;
}

export interface CidrPlanInput {
  /** Already parsed from vpn_server.client_cidr. */
  clientCidr: Ipv4Block;
  /** Already parsed, index i = vpn_server.local_subnets[i]. */
  localSubnets: readonly Ipv4Block[];
  /** Destinations of the gateway VPC's default route table; any that do not parse strictly are skipped. */
  routeDestinations: readonly string[];
  /** The gateway's max_connection_number. */
  maxConnectionNumber: number;
}

/** Every rule violation as a message, [] when the plan is fine. */
export function findCidrProblems(input: CidrPlanInput): string[] {
  const { clientCidr: client, localSubnets, routeDestinations, maxConnectionNumber } = input;
  const clientLabel = `vpn_server.client_cidr ${client.cidr}`;
  const problems: string[] = [];

  for (const block of RESERVED_FOR_CLIENT_BLOCKS) {
    if (blocksOverlap(client, block)) problems.push(`${clientLabel} overlaps reserved block ${block.cidr}`);
  }

  const needed = ADDRESSES_PER_CONNECTION * maxConnectionNumber;
  if (!(client.size > needed)) {
    problems.push(
      `${clientLabel} has ${client.size} addresses; it needs more than ${needed} (${ADDRESSES_PER_CONNECTION} x max_connection_number ${maxConnectionNumber})`,
    );
  }

  const firstIndexByCidr = new Map<string, number>();
  localSubnets.forEach((subnet, i) => {
    const subnetPath = `vpn_server.local_subnets[${i}]`;
    for (const block of RESERVED_FOR_ALL_BLOCKS) {
      if (blocksOverlap(subnet, block)) problems.push(`${subnetPath} ${subnet.cidr} overlaps reserved block ${block.cidr}`);
    }
    const firstIndex = firstIndexByCidr.get(subnet.cidr);
    if (firstIndex === undefined) firstIndexByCidr.set(subnet.cidr, i);
    else problems.push(`${subnetPath} ${subnet.cidr} duplicates vpn_server.local_subnets[${firstIndex}]`);
    if (blocksOverlap(client, subnet)) problems.push(`${clientLabel} overlaps ${subnetPath} ${subnet.cidr}`);
  });

  for (const destination of routeDestinations) {
    const route = parseRouteDestination(destination);
    // A /0 destination is the default route: it covers everything and says nothing about address use.
    if (route && route.prefix > 0 && blocksOverlap(client, route)) {
      problems.push(`${clientLabel} overlaps route table destination ${route.cidr}`);
    }
  }

  return problems;
}
