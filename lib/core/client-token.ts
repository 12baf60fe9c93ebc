/** The X-Client-Token flow every token-taking create follows (CONTRACT.md section 5): a token, scoped
 * to the project, is reserved for one request (its fingerprint) and the ids that request's first call
 * chose, before anything is written under those ids. A replay of the same request finds the
 * reservation and answers its ids; a retry after a crash writes under the same ids and so completes the
 * first call; another request with the token is 409 VPN.0031. Expiry is the code's, not the TTL
 * sweeper's. */
import { createHash } from 'node:crypto';
import { clientTokenReused } from './errors';
import { CLIENT_TOKEN_RETENTION_SECONDS } from './limits';
import { epochSeconds } from './time';

/** An X-Client-Token of the project, held for one request. */
export interface TokenReservation {
  project_id: string;
  token: string;
  fingerprint: string;
  /** the server the request created (a create) or changes (the other creates) */
  server_id: string;
  /** a server create's gateway */
  p2c_vgw_id?: string;
  /** an import's pre-assigned client CA id */
  client_ca_id?: string;
  /** the pre-assigned ids of a user, batch of users, user group or access policy create, in request order */
  member_ids?: string[];
  /** the create this token holds has committed (users, groups, policies): a replay answers its ids even
   * after they were deleted, and never creates them again */
  completed?: true;
  /** epoch seconds; enforced by the code, the table's TTL only sweeps */
  expires_at: number;
}

export interface ClientTokenStore {
  /** Writes the reservation unless a live one holds the token; returns the reservation in force. */
  reserveToken(reservation: TokenReservation, nowSeconds: number): Promise<TokenReservation>;
  readToken(projectId: string, token: string): Promise<TokenReservation | undefined>;
  /** Marks the reservation completed, if it still holds the token. */
  completeToken(reservation: TokenReservation): Promise<void>;
  /** Frees the token if this reservation still holds it: a create that wrote nothing does not consume it. */
  releaseToken(reservation: TokenReservation): Promise<void>;
}

/** Identifies a request for its token: the operation and its canonical (normalised) input. */
export const requestFingerprint = (operation: string, canonical: object): string =>
  createHash('sha256').update(JSON.stringify({ operation, ...canonical })).digest('hex');

/** The reservation still in force for this request, or undefined when the token is free (none, or
 * expired); 409 VPN.0031 when it holds another request. */
export function reservationFor(reservation: TokenReservation | undefined, fingerprint: string, now: Date): TokenReservation | undefined {
  if (!reservation || reservation.expires_at <= epochSeconds(now)) return undefined;
  if (reservation.fingerprint !== fingerprint) throw clientTokenReused();
  return reservation;
}

/** Reserves the token for this request and the ids it chose; the reservation in force, whose ids the
 * call must use (another call with the same token and request may have reserved first). */
export async function reserveClientToken(
  store: ClientTokenStore,
  request: Omit<TokenReservation, 'expires_at'>,
  now: Date,
): Promise<TokenReservation> {
  const reservation = { ...request, expires_at: epochSeconds(now) + CLIENT_TOKEN_RETENTION_SECONDS };
  const inForce = await store.reserveToken(reservation, epochSeconds(now));
  if (inForce.fingerprint !== request.fingerprint) throw clientTokenReused();
  return inForce;
}
