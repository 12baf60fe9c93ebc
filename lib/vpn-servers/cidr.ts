/** IPv4 CIDR parsing and the CIDR rules of CONTRACT.md section 3. Pure: no I/O. */
import { Netmask } from 'netmask';
import { ADDRESSES_PER_CONNECTION } from './limits';
import { memoise } from './memo';

export const CIDR_FORMAT_RULE = 'must be an IPv4 CIDR a.b.c.d/n in dotted decimal (no leading zeros, prefix 0..32)';

export interface Ipv4Block {
  /** Normalised network, e.g. "172.16.0.0/24". */
  cidr: string;
  /** Network address as an unsigned 32-bit number. */
  first: number;
  /** Last (broadcast) address as an unsigned 32-bit number. */
  last: number;
  /** Address count, 2^(32-prefix). */
  size: number;
  prefix: number;
}

/** CIDR_FORMAT_RULE as a pattern (the OpenAPI document states it too): octets 0..255 and a prefix 0..32,
 * plain decimal without leading zeros. netmask alone reads "010" as octal, "0x10" as hex, "10.1" as a
 * short form and accepts dotted masks, so only text of this shape reaches it. */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_DECIMAL = `${OCTET}(?:\\.${OCTET}){3}`;
export const CIDR_PATTERN = `^${DOTTED_DECIMAL}/(?:3[0-2]|[12]?[0-9])$`;
/** An IPv4 address in the same strict dotted decimal (DNS servers, a gateway's EIP). */
export const IPV4_PATTERN = `^${DOTTED_DECIMAL}$`;
export const IPV4_FORMAT_RULE = 'must be an IPv4 address a.b.c.d in dotted decimal (no leading zeros)';
const STRICT_CIDR = new RegExp(CIDR_PATTERN);

/** Strict: a.b.c.d/n, octets 0..255 and prefix 0..32 in plain decimal with no leading zeros ("0" itself fine),
 * no whitespace, no dotted masks, no IPv6. Host bits allowed; result is the network. undefined when not valid. */
export function parseCidr(text: string): Ipv4Block | undefined {
  if (!STRICT_CIDR.test(text)) return undefined;
  let net: Netmask;
  try {
    net = new Netmask(text);
  } catch {
    return undefined;
  }
  return { cidr: net.toString(), first: net.netLong, last: net.netLong + net.size - 1, size: net.size, prefix: net.bitmask };
}

/** A CIDR a schema accepted, as its network ("172.16.0.1/24" -> "172.16.0.0/24"). */
export const networkOf = (cidr: string): string => parseCidr(cidr)?.cidr ?? cidr;

/** A CIDR a schema already accepted, as a block. */
export const block = (cidr: string): Ipv4Block => parseCidr(cidr) as Ipv4Block;

/** A VPC's route table is read on every create in it, and parsing a destination costs about a
 * microsecond: a warm function parses each destination once. */
const parseRouteDestination = memoise(parseCidr, 20_000);

export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}

function reserved(text: string): Ipv4Block {
  const block = parseCidr(text);
  if (!block) throw new Error(`bad reserved block ${text}`);
  return block;
}

/** Reserved for both client_cidr and local subnets. */
const RESERVED_FOR_ALL = ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'].map(reserved);
const RESERVED_FOR_CLIENT = [...RESERVED_FOR_ALL, reserved('169.254.0.0/16')];

/** DNS servers (CONTRACT.md section 10.1): distinct, and in none of the blocks reserved for client_cidr.
 * Addresses that do not match IPV4_PATTERN are left to the schema. */
export function findDnsServerProblems(addresses: readonly string[]): { index: number; problem: string }[] {
  const problems: { index: number; problem: string }[] = [];
  addresses.forEach((address, index) => {
    const host = parseCidr(`${address}/32`);
    if (!host) return;
    for (const block of RESERVED_FOR_CLIENT) {
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

  for (const block of RESERVED_FOR_CLIENT) {
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
    for (const block of RESERVED_FOR_ALL) {
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
