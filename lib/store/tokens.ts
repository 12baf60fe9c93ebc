/** X-Client-Token reservations (lib/core/client-token.ts): one item per token of a project. */
import type { ClientTokenStore, TokenReservation } from '../core/client-token';
import { throttled } from '../core/errors';
import { keys } from './keys';
import type { TableClient } from './table-client';
import { EXPIRY_ATTRIBUTE } from './table';

/** rounds of put-then-read when reservations of one token come and expire under us */
const RESERVE_ATTEMPTS = 3;

export function tokenRepository(table: TableClient): ClientTokenStore {
  return {
    async reserveToken(reservation: TokenReservation, nowSeconds: number): Promise<TokenReservation> {
      const key = keys.token(reservation.project_id, reservation.token);
      // an expired reservation is free to take: its expiry is the code's, not the TTL sweeper's
      for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt += 1) {
        const written = await table.putIf(key, reservation, `attribute_not_exists(pk) OR ${EXPIRY_ATTRIBUTE} <= :now`, { ':now': nowSeconds });
        if (written) return reservation;
        const existing = await table.get<TokenReservation>(key);
        if (existing) return existing;
      }
      throw throttled();
    },

    readToken: (projectId, token) => table.get<TokenReservation>(keys.token(projectId, token)),

    async completeToken(reservation) {
      const key = keys.token(reservation.project_id, reservation.token);
      await table.putIf(key, { ...reservation, completed: true }, 'fingerprint = :fingerprint', { ':fingerprint': reservation.fingerprint });
    },

    async releaseToken(reservation) {
      await table.deleteIf(keys.token(reservation.project_id, reservation.token), 'fingerprint = :fingerprint', { ':fingerprint': reservation.fingerprint });
    },
  };
}
