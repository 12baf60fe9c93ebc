/** Every id, name and address pattern of the API, once, with the rule its messages state. Plain
 * regexes without flags and without zod: the schemas, the store, the seed, the signer, the CLI and the
 * OpenAPI document use them, and JSON Schema states them exactly. */

/** Huawei project ids: 32 lowercase hex characters. */
export const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/;
export const PROJECT_ID_RULE = 'must be 32 lowercase hexadecimal characters';
/** Any case; callers' UUIDs are compared and stored lowercase (`lowercaseId`). */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const UUID_RULE = 'must be a 36-character UUID';
/** The neighbouring services' own ids (gateways, VPCs) as the seed stores them. */
export const LOWERCASE_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Huawei issues 20 upper-case letters and digits; this wider form is accepted. Anything else is refused
 * before a lookup, so no caller-chosen text (a megabyte, say) reaches the table as a key. */
export const ACCESS_KEY_PATTERN = /^[A-Za-z0-9]{8,64}$/;
export const ACCESS_KEY_RULE = 'must be 8 to 64 letters or digits';
/** Certificate-store ids (scs1716171403922) and client CA names. */
export const CERTIFICATE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const CLIENT_CA_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A client CA name, or empty: a name is then generated. */
export const CLIENT_CA_NAME_OR_EMPTY_PATTERN = /^(?:[A-Za-z0-9_-]{1,64})?$/;
export const NAME_RULE = 'must be 1 to 64 letters, digits, underscores or hyphens';
export const REQUEST_ID_PATTERN = /^[0-9a-f]{32}$/;

/** Octets 0..255 and a prefix 0..32, plain decimal without leading zeros. netmask alone reads "010" as
 * octal, "0x10" as hex, "10.1" as a short form and accepts dotted masks, so only text of this shape
 * reaches it. */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_DECIMAL = `${OCTET}(?:\\.${OCTET}){3}`;
export const CIDR_PATTERN = new RegExp(`^${DOTTED_DECIMAL}/(?:3[0-2]|[12]?[0-9])$`);
export const CIDR_FORMAT_RULE = 'must be an IPv4 CIDR a.b.c.d/n in dotted decimal (no leading zeros, prefix 0..32)';
/** An IPv4 address in the same strict dotted decimal (DNS servers, a gateway's EIP). */
export const IPV4_PATTERN = new RegExp(`^${DOTTED_DECIMAL}$`);
export const IPV4_FORMAT_RULE = 'must be an IPv4 address a.b.c.d in dotted decimal (no leading zeros)';

/** A list's `limit` as a query string carries it: a decimal integer without a leading zero (its range is MAX_PAGE_LIMIT's). */
export const PAGE_LIMIT_PATTERN = /^[1-9][0-9]{0,2}$/;
/** What the lists put in page_info.next_marker: safe in a query string unencoded (Terraform sends it so). */
export const MARKER_PATTERN = /^[A-Za-z0-9_.~-]{1,200}$/;
export const MARKER_RULE = 'must be a marker from page_info.next_marker';
