/** Calling the use cases directly: their ports over a store, and the ServiceError a call ends in. */
import { randomUUID } from 'node:crypto';
import { isServiceError, type ServiceError } from '../../lib/core/errors';
import type { UseCasePorts, VpnServerStore } from '../../lib/vpn-servers/ports';

export const portsFor = (store: VpnServerStore, now: () => Date = () => new Date()): UseCasePorts => ({ store, now, newId: randomUUID });

/** The ServiceError the promise rejects with; throws when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isServiceError(outcome)) throw new Error(`expected a ServiceError, got ${outcome instanceof Error ? outcome.stack : String(outcome)}`);
  return outcome;
}
