/** A DynamoDBClient on the local engine with a fault-injecting middleware: it counts every command and
 * fails the Nth one, either before it is sent (the call never happened) or after it succeeded (the
 * write happened, then the function crashed before it could answer). */
import { type DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../../../lib/store/client';

export type FaultMode = 'before' | 'after';

export class InjectedFault extends Error {
  override name = 'InjectedFault';
}

export interface FaultState {
  /** command names in the order they were sent, e.g. BatchGetItemCommand */
  commands: string[];
  /** 1-based index of the command to fail; undefined: no fault */
  failAt?: number;
  mode: FaultMode;
  injected: number;
  /** attempts that reached the wire layer (inside the SDK's retry loop) */
  attempts: number;
  /** when set, every attempt inside the retry loop fails with this (e.g. throttling) */
  failEveryAttempt?: () => Error;
}

export function faultyClient(endpoint: string, options: { maxAttempts?: number } = {}): { client: DynamoDBClient; state: FaultState } {
  const client = createDynamoDbClient({ endpoint, maxAttempts: options.maxAttempts ?? 3, requestTimeoutMs: 5_000 });
  const state: FaultState = { commands: [], mode: 'before', injected: 0, attempts: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const index = state.commands.push(String(context.commandName));
      const inject = state.failAt === index;
      if (inject && state.mode === 'before') {
        state.injected += 1;
        throw new InjectedFault(`injected before command ${index} (${context.commandName})`);
      }
      const output = await next(args);
      if (inject && state.mode === 'after') {
        state.injected += 1;
        throw new InjectedFault(`injected after command ${index} (${context.commandName}) succeeded`);
      }
      return output;
    },
    { step: 'initialize', name: 'faultInjection', priority: 'high' },
  );
  client.middlewareStack.add(
    (next) => async (args) => {
      state.attempts += 1;
      if (state.failEveryAttempt) {
        state.injected += 1;
        throw state.failEveryAttempt();
      }
      return next(args);
    },
    // low priority in the retry middleware's own step: inside the retry loop, so every attempt passes here
    { step: 'finalizeRequest', priority: 'low', name: 'attemptFaults' },
  );
  return { client, state };
}

export const throttlingError = (): Error =>
  new ProvisionedThroughputExceededException({
    message: 'The level of configured provisioned throughput for the table was exceeded.',
    $metadata: { httpStatusCode: 400 },
  });
