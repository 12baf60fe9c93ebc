/** Password storage (CONTRACT.md section 11.2): a salted scrypt hash from node:crypto, never the
 * password nor an unsalted digest of it. Hashing runs on libuv's thread pool (the async API), so a
 * batch of a hundred users does not hold the event loop; comparisons are constant-time. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's Password Storage Cheat Sheet lists N=2^17,r=8,p=1 and, for the same CPU cost with less
 * memory, N=2^14,r=8,p=5 among its minimum scrypt settings: the latter takes 16 MiB per hash, so the
 * four threads of libuv's pool stay well inside a 512 MB function. */
export const SCRYPT_PARAMETERS = { N: 2 ** 14, r: 8, p: 5 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** scrypt needs 128 * N * r * p bytes; Node's default cap (32 MiB) is kept above it */
const MAX_MEMORY = 64 * 1024 * 1024;

/** The last this many passwords (the current one included) may not be chosen again. */
export const PASSWORD_HISTORY = 5;

export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

function derive(password: string, salt: Buffer, parameters: Pick<PasswordHash, 'N' | 'r' | 'p'>): Promise<Buffer> {
  const options: ScryptOptions = { N: parameters.N, r: parameters.r, p: parameters.p, maxmem: MAX_MEMORY };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_PARAMETERS);
  return { algorithm: 'scrypt', ...SCRYPT_PARAMETERS, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Whether `password` is the one `stored` was made from, compared in constant time. */
export async function passwordMatches(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether `password` is any of `history` (each compared, so the time says nothing of which). */
export async function matchesAny(password: string, history: readonly PasswordHash[]): Promise<boolean> {
  const matches = await Promise.all(history.map((stored) => passwordMatches(password, stored)));
  return matches.includes(true);
}

/** The history after a change to `next`: the newest first, at most PASSWORD_HISTORY kept. */
export const withNewPassword = (history: readonly PasswordHash[], next: PasswordHash): PasswordHash[] =>
  [next, ...history].slice(0, PASSWORD_HISTORY);
