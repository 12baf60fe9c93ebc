/**
 * Counts DynamoDB round trips and consumed capacity with an SDK middleware on the client. The
 * DynamoDBDocumentClient the store builds shares its client's middleware stack, so every call of the
 * store passes through here too. ReturnConsumedCapacity=TOTAL is added to each call's input
 * (dynalite computes it as DynamoDB does: 4 KB per read unit, 1 KB per write unit, per item).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface MeteredCall {
  /** DynamoDB operation, e.g. BatchGetItem */
  operation: string;
  /** HTTP requests the SDK made for this call (1 + its retries) */
  attempts: number;
  /** items asked for (BatchGetItem keys), 1 for single-item calls, undefined for queries */
  keys?: number;
  capacityUnits: number;
  write: boolean;
  /** error name when the call failed (e.g. ConditionalCheckFailedException) */
  failed?: string;
}

/** Document-client command names -> the DynamoDB operation they call. */
const OPERATION_BY_COMMAND: Readonly<Record<string, string>> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  BatchGetCommand: 'BatchGetItem',
  QueryCommand: 'Query',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  TransactGetCommand: 'TransactGetItems',
  TransactWriteCommand: 'TransactWriteItems',
};
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

type Capacity = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

function capacityOf(consumed: Capacity): number {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

function keysOf(operation: string, input: Record<string, unknown>): number | undefined {
  if (operation === 'BatchGetItem') {
    const items = (input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>;
    return Object.values(items).reduce((sum, table) => sum + (table.Keys?.length ?? 0), 0);
  }
  if (operation === 'Query' || operation === 'Scan') return undefined;
  return 1;
}

export class DynamoMeter {
  private calls: MeteredCall[] = [];

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? 'unknown';
        const operation = OPERATION_BY_COMMAND[command] ?? command.replace(/Command$/, '');
        const input = { ...(args.input as Record<string, unknown>), ReturnConsumedCapacity: 'TOTAL' };
        const call: MeteredCall = {
          operation,
          attempts: 1,
          keys: keysOf(operation, input),
          capacityUnits: 0,
          write: WRITES.has(operation),
        };
        this.calls.push(call);
        try {
          const result = await next({ ...args, input });
          const output = result.output as { $metadata?: { attempts?: number }; ConsumedCapacity?: Capacity };
          call.attempts = output.$metadata?.attempts ?? 1;
          call.capacityUnits = capacityOf(output.ConsumedCapacity);
          return result;
        } catch (error) {
          const failure = error as { name?: string; $metadata?: { attempts?: number } };
          call.attempts = failure.$metadata?.attempts ?? 1;
          call.failed = failure.name ?? 'Error';
          // a failed conditional write still costs its write unit on DynamoDB
          if (call.write) call.capacityUnits = 1;
          throw error;
        }
      },
      { step: 'initialize', name: 'benchDynamoMeter', priority: 'high' },
    );
  }

  /** The calls since the last take(), and forgets them. */
  take(): MeteredCall[] {
    const calls = this.calls;
    this.calls = [];
    return calls;
  }
}

export interface CallSummary {
  roundTrips: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  /** e.g. "BatchGetItem(4 keys) 2 RCU -> PutItem 1 WCU" */
  detail: string;
}

export function summarise(calls: readonly MeteredCall[]): CallSummary {
  const roundTrips = calls.reduce((sum, call) => sum + call.attempts, 0);
  const writes = calls.filter((call) => call.write).length;
  const readUnits = calls.filter((call) => !call.write).reduce((sum, call) => sum + call.capacityUnits, 0);
  const writeUnits = calls.filter((call) => call.write).reduce((sum, call) => sum + call.capacityUnits, 0);
  const detail = calls
    .map((call) => {
      const keys = call.operation === 'BatchGetItem' ? `(${call.keys} keys)` : '';
      const units = `${call.capacityUnits} ${call.write ? 'WCU' : 'RCU'}`;
      const retries = call.attempts > 1 ? ` x${call.attempts} attempts` : '';
      const failed = call.failed ? ` [${call.failed}]` : '';
      return `${call.operation}${keys} ${units}${retries}${failed}`;
    })
    .join(' -> ');
  return { roundTrips, writes, readUnits, writeUnits, detail };
}
