/** Just enough of a DER reader to find the hash of an RSASSA-PSS signature, which Node does not expose. */

interface Tlv {
  tag: number;
  /** content, [start, end) */
  start: number;
  end: number;
}

function readTlv(der: Uint8Array, offset: number, limit: number): Tlv {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError('truncated DER');
  let start = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    // 0 is BER's indefinite length, which DER forbids.
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i += 1) {
      const byte = der[start];
      if (byte === undefined) throw new RangeError('truncated DER');
      length = length * 256 + byte;
      start += 1;
    }
  }
  const end = start + length;
  if (end > limit) throw new RangeError('DER overruns its container');
  return { tag, start, end };
}

function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

function decodeOid(bytes: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

export const SHA1 = '1.3.14.3.2.26';
const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;
const PSS_HASH_ALGORITHM = 0xa0; // [0] EXPLICIT

/** The hash OID of an RSASSA-PSS certificate signature (RFC 4055: absent means SHA-1). Throws a
 * RangeError when `der` is not DER. */
export function pssHashOid(der: Uint8Array): string {
  const certificate = readTlv(der, 0, der.length);
  const [, algorithm] = childrenOf(der, certificate);
  if (algorithm?.tag !== SEQUENCE) throw new RangeError('no signatureAlgorithm');
  const [, params] = childrenOf(der, algorithm);
  if (params?.tag !== SEQUENCE) return SHA1;
  const hashField = childrenOf(der, params).find((field) => field.tag === PSS_HASH_ALGORITHM);
  if (!hashField) return SHA1;
  const [hashAlgorithm] = childrenOf(der, hashField);
  const [oid] = hashAlgorithm?.tag === SEQUENCE ? childrenOf(der, hashAlgorithm) : [];
  if (oid?.tag !== OBJECT_IDENTIFIER) throw new RangeError('no hash algorithm OID');
  return decodeOid(der.subarray(oid.start, oid.end));
}
