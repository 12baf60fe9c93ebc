/** Event adapter: direct Lambda invokes and SQS batches over the same use cases as the HTTP API. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { invoke, type InvocationResult } from '../lib/events/invocation';
import { invocationLogger, loggerOf } from '../lib/logger';
import { createRuntime, runtimeSettingsFromEnv } from '../lib/runtime';
import type { AnyOperation } from '../lib/operations/operation';
import type { ServicePorts } from '../lib/operations/ports';

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent | undefined)?.Records) &&
  (event as SQSEvent).Records.every((record) => record?.eventSource === 'aws:sqs');

/** The event function over the given ports and catalogue (tests pass their own). */
export function createEventsHandler(useCasePorts: ServicePorts, operations?: readonly AnyOperation[]) {
  const recordProcessor = (logger: Logger) =>
    async function processRecord(record: SQSRecord): Promise<void> {
      let payload: unknown;
      try {
        payload = JSON.parse(record.body);
      } catch {
        payload = undefined;
      }
      let result: InvocationResult;
      try {
        result = await invoke(payload, useCasePorts, { fallbackClientToken: record.messageId, ...(operations ? { operations } : {}) });
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
    };

  async function handle(event: unknown, context: Context): Promise<InvocationResult | SQSBatchResponse> {
    const logger = loggerOf(context);
    if (isSqsEvent(event)) {
      // a processor per batch: it holds the batch's records and outcomes while it runs
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, recordProcessor(logger), processor, { context, throwOnFullBatchFailure: false });
    }
    const result = await invoke(event, useCasePorts, operations ? { operations } : {});
    logger.info('invocation completed', {
      action: (event as { action?: unknown } | null)?.action,
      status_code: result.status_code,
      request_id: result.body.request_id,
      ...(result.body.error_code ? { error_code: result.body.error_code } : {}),
    });
    return result;
  }

  return middy<unknown, InvocationResult | SQSBatchResponse>(handle).use(invocationLogger());
}

export const handler = createEventsHandler(createRuntime(runtimeSettingsFromEnv()).ports);
