/** Event adapter: direct Lambda invokes and SQS batches over the same use cases as the HTTP API. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { invoke, type InvocationResult } from '../lib/events/invocation';
import { logger } from '../lib/logger';
import { ports } from '../lib/runtime';

const processor = new BatchProcessor(EventType.SQS);

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent | undefined)?.Records) &&
  (event as SQSEvent).Records.every((record) => record?.eventSource === 'aws:sqs');

async function processRecord(record: SQSRecord): Promise<void> {
  let payload: unknown;
  try {
    payload = JSON.parse(record.body);
  } catch {
    payload = undefined;
  }
  let result: InvocationResult;
  try {
    result = await invoke(payload, ports, { fallbackClientToken: record.messageId });
  } catch (error) {
    logger.warn('record failed, retried', { message_id: record.messageId, error: error as Error });
    throw error;
  }
  const outcome = { message_id: record.messageId, status_code: result.status_code, request_id: result.body.request_id };
  if (result.status_code >= 400) {
    logger.warn('record refused, not retried', { ...outcome, error_code: result.body.error_code });
    return;
  }
  logger.info('record processed', outcome);
}

export async function handler(event: unknown, context: Context): Promise<InvocationResult | SQSBatchResponse> {
  logger.resetKeys();
  if (isSqsEvent(event)) {
    return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
  }
  const result = await invoke(event, ports);
  logger.info('invocation completed', {
    action: (event as { action?: unknown } | null)?.action,
    status_code: result.status_code,
    request_id: result.body.request_id,
    ...(result.body.error_code ? { error_code: result.body.error_code } : {}),
  });
  return result;
}
