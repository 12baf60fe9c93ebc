/** IPv4 addresses and CIDR blocks in the API's strict syntax (lib/core/patterns.ts), as numbers. Pure. */
import { Netmask } from 'netmask';
import { CIDR_PATTERN } from './patterns';

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

/** Strict: a.b.c.d/n, octets 0..255 and prefix 0..32 in plain decimal with no leading zeros ("0" itself fine),
 * no whitespace, no dotted masks, no IPv6. Host bits allowed; result is the network. undefined when not valid. */
export function parseCidr(text: string): Ipv4Block | undefined {
  if (!CIDR_PATTERN.test(text)) return undefined;
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

/** An address a schema already accepted (IPV4_PATTERN), as an unsigned 32-bit number. */
export const addressNumber = (address: string): number => block(`${address}/32`).first;

export function blocksOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first <= b.last && b.first <= a.last;
}
