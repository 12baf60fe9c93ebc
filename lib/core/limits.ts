/** The service's limits (CONTRACT.md sections 1, 3, 4, 5, 10 and 11), each stated once. */

/** the largest request body, after any base64 decoding (256 KiB) */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_LOCAL_SUBNETS = 20;
export const MAX_CLIENT_CAS = 10;
/** a client CA's PEM content */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;
/** a list's largest `limit`, and its `limit` when none is given */
export const MAX_PAGE_LIMIT = 200;
/** how long an X-Client-Token holds its request */
export const CLIENT_TOKEN_RETENTION_SECONDS = 24 * 60 * 60;
/** a client_cidr needs more than this many addresses per connection of the gateway */
export const ADDRESSES_PER_CONNECTION = 4;
export const MAX_DNS_SERVERS = 2;
/** completed X-Client-Token imports a server remembers (its item must stay far below DynamoDB's 400 KB):
 * a replay is answered without a write for the token of any of its last this many imports */
export const MAX_COMPLETED_IMPORTS = 100;
/** how often a change of one item re-reads and re-applies itself after losing a race: each round one
 * writer wins, so this many changes racing on one item all land */
export const MAX_CHANGE_ATTEMPTS = 16;
/** the largest pause before a re-read, in ms (full jitter: a random part of it) */
export const MAX_CHANGE_BACKOFF_MS = 100;

/** users of one server, also under concurrent creates (section 11.2) */
export const MAX_USERS_PER_SERVER = 500;
/** custom user groups of one server; the default group is not counted (section 11.3) */
export const MAX_CUSTOM_GROUPS_PER_SERVER = 50;
export const MAX_ACCESS_POLICIES_PER_SERVER = 50;
/** entries of a batch create or delete, and of add-users and remove-users */
export const MAX_USERS_PER_BATCH = 100;
/** destinations of one access policy */
export const MAX_POLICY_CIDRS = 10;
