/** Concurrent calls in one process (serverless-offline runs handlers in process) must each log through
 * their own logger: a line carries its own call's request_id, access key and Lambda request id. */
import type { SQSRecord } from 'aws-lambda';
import { createApiHandler } from '../../handlers/api';
import { createEventsHandler } from '../../handlers/events';
import type { CredentialLookup } from '../../lib/auth/credentials';
import type { InvocationResult } from '../../lib/events/invocation';
import { defineOperation, type AnyOperation } from '../../lib/operations/operation';
import type { ServicePorts } from '../../lib/operations/ports';
import { apiEvent, callApi, lambdaContext, requestIdHeader } from '../support/api-events';
import { capturingLogs } from '../support/log-lines';
import { DEMO_CREDENTIAL, OTHER_CREDENTIAL, OTHER_PROJECT, PROJECT } from '../support/requests';

/** A use case whose first call waits until the second call has reached its own use case. */
function firstWaitsForSecond(): () => Promise<void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  return async () => {
    calls += 1;
    if (calls === 1) await released;
    else release();
  };
}

const probeOperation = (run: () => Promise<void>): AnyOperation =>
  defineOperation({
    name: 'ProbeLogging',
    method: 'GET',
    path: '/v5/{project_id}/logging-probe',
    body: 'none',
    parse: ({ ids }) => ids.project_id,
    run,
    reply: () => ({ status: 200, body: {} }),
    docs: { tag: 'VpnServer', summary: 'A probe of the logger', success: { status: 200, description: 'Logged.' } },
  });

// the probe reads no port
const NO_PORTS = {} as ServicePorts;

const lookup: CredentialLookup = async (accessKey) =>
  [
    { ...DEMO_CREDENTIAL, projectIds: [PROJECT] },
    { ...OTHER_CREDENTIAL, projectIds: [OTHER_PROJECT] },
  ].find((credential) => credential.accessKey === accessKey);

test('two concurrent API calls each log only their own request_id, access key and Lambda request id', async () => {
  const handler = createApiHandler(NO_PORTS, lookup, [probeOperation(firstWaitsForSecond())]);
  const calls = [
    { credential: DEMO_CREDENTIAL, project: PROJECT, awsRequestId: 'lambda-request-first' },
    { credential: OTHER_CREDENTIAL, project: OTHER_PROJECT, awsRequestId: 'lambda-request-second' },
  ];

  const { result: responses, logs } = await capturingLogs(() =>
    Promise.all(
      calls.map(({ credential, project, awsRequestId }) =>
        callApi(handler, apiEvent({ method: 'GET', path: `/v5/${project}/logging-probe`, credential }), lambdaContext({ awsRequestId })),
      ),
    ),
  );

  expect(responses.map((response) => response.status)).toEqual([200, 200]);
  const [first, second] = responses.map((response) => requestIdHeader(response));
  expect(first).not.toBe(second);
  expect(logs).toHaveLength(2);
  expect(logs).toEqual(
    expect.arrayContaining(
      calls.map(({ credential, awsRequestId }, index) =>
        expect.objectContaining({
          message: 'request completed',
          request_id: index === 0 ? first : second,
          access_key: credential.accessKey,
          function_request_id: awsRequestId,
        }),
      ),
    ),
  );
});

test('two concurrent direct invokes each log only their own request_id and Lambda request id', async () => {
  const handler = createEventsHandler(NO_PORTS, [probeOperation(firstWaitsForSecond())]);
  const context = (awsRequestId: string) => lambdaContext({ functionName: 'p2c-vpn-dev-events', awsRequestId });
  const awsRequestIds = ['lambda-request-first', 'lambda-request-second'];

  const { result, logs } = await capturingLogs(() =>
    Promise.all(awsRequestIds.map((id) => handler({ action: 'ProbeLogging', project_id: PROJECT }, context(id)))),
  );

  const results = result as InvocationResult[];
  expect(results.map((invocation) => invocation.status_code)).toEqual([200, 200]);
  expect(results[0]!.body.request_id).not.toBe(results[1]!.body.request_id);
  expect(logs).toHaveLength(2);
  expect(logs).toEqual(
    expect.arrayContaining(
      awsRequestIds.map((awsRequestId, index) =>
        expect.objectContaining({
          message: 'invocation completed',
          request_id: results[index]!.body.request_id,
          function_request_id: awsRequestId,
        }),
      ),
    ),
  );
});

test('POWERTOOLS_LOGGER_LOG_EVENT does not print the event: its password never reaches a log line', async () => {
  const previous = process.env.POWERTOOLS_LOGGER_LOG_EVENT;
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  try {
    await jest.isolateModulesAsync(async () => {
      const events = await import('../../handlers/events');
      const handler = events.createEventsHandler(NO_PORTS, [probeOperation(async () => undefined)]);
      const { logs } = await capturingLogs(() => handler({ action: 'ProbeLogging', project_id: PROJECT, new_password: 'Sup3r-Secret-Pass' }, lambdaContext({})));
      expect(logs.map((line) => line.message)).toEqual(['invocation completed']);
      expect(JSON.stringify(logs)).not.toContain('Sup3r-Secret-Pass');
    });
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_LOGGER_LOG_EVENT;
    else process.env.POWERTOOLS_LOGGER_LOG_EVENT = previous;
  }
});

test("each invocation has its own logger, yet only the process's first invocation is a cold start", async () => {
  const previous = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  try {
    await jest.isolateModulesAsync(async () => {
      const events = await import('../../handlers/events');
      const handler = events.createEventsHandler(NO_PORTS, [probeOperation(async () => undefined)]);
      const { logs } = await capturingLogs(async () => {
        for (const awsRequestId of ['lambda-request-first', 'lambda-request-second']) {
          await handler({ action: 'ProbeLogging', project_id: PROJECT }, lambdaContext({ awsRequestId }));
        }
      });
      expect(logs.map((line) => [line.function_request_id, line.cold_start])).toEqual([
        ['lambda-request-first', true],
        ['lambda-request-second', false],
      ]);
    });
  } finally {
    if (previous === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = previous;
  }
});

test('two concurrent SQS batches: each record is logged with the Lambda request id of its own batch, which answers for it', async () => {
  const handler = createEventsHandler(NO_PORTS, [probeOperation(firstWaitsForSecond())]);
  const record = (messageId: string): SQSRecord =>
    ({ messageId, body: JSON.stringify({ action: 'ProbeLogging', project_id: PROJECT }), eventSource: 'aws:sqs' }) as SQSRecord;
  const batches = [
    { messageId: 'message-first', awsRequestId: 'lambda-request-first' },
    { messageId: 'message-second', awsRequestId: 'lambda-request-second' },
  ];

  const { result, logs } = await capturingLogs(() =>
    Promise.all(batches.map(({ messageId, awsRequestId }) => handler({ Records: [record(messageId)] }, lambdaContext({ awsRequestId })))),
  );

  expect(result).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  expect(logs.map((line) => [line.message, line.message_id, line.function_request_id]).sort()).toEqual(
    batches.map(({ messageId, awsRequestId }) => ['record processed', messageId, awsRequestId]),
  );
});
