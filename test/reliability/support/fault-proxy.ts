/** An HTTP proxy in front of dynalite that the functions reach through DYNAMODB_ENDPOINT. Per request
 * (by operation and item), it passes the call on, answers the DynamoDB throttling error, answers a
 * BatchGetItem with every key unprocessed, never answers (the SDK's requestTimeout fires), or passes the
 * call on and then never answers (the write happened, its response was lost). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultAction = 'pass' | 'throttle' | 'hang' | 'unprocessed' | 'lose-response';

interface ProxiedCall {
  operation: string;
  /** the request body (DynamoDB JSON) */
  input: Record<string, any>;
  action: FaultAction;
}

export interface FaultProxy {
  endpoint: string;
  calls: ProxiedCall[];
  /** decides each call's fate; default: pass */
  rule: (operation: string, input: Record<string, any>) => FaultAction;
  close(): Promise<void>;
}

const THROTTLED = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded.',
});

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const hanging = new Set<http.ServerResponse>();
  const proxy: FaultProxy = {
    endpoint: '',
    calls: [],
    rule: () => 'pass',
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let input: Record<string, any>;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        input = {};
      }
      const action = proxy.rule(operation, input);
      proxy.calls.push({ operation, input, action });
      if (action === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      if (action === 'throttle') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' });
        response.end(THROTTLED);
        return;
      }
      if (action === 'unprocessed' && operation === 'BatchGetItem') {
        const requestItems = input.RequestItems as Record<string, unknown>;
        const responses = Object.fromEntries(Object.keys(requestItems).map((table) => [table, []]));
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-proxy' });
        response.end(JSON.stringify({ Responses: responses, UnprocessedKeys: requestItems }));
        return;
      }
      if (action === 'lose-response') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
      }
      const upstream = http.request(
        { host: targetUrl.hostname, port: targetUrl.port, method: request.method, path: request.url, headers: request.headers },
        (reply) => {
          if (action === 'lose-response') {
            reply.resume();
            return;
          }
          response.writeHead(reply.statusCode ?? 500, reply.headers);
          reply.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** The sort key a PutItem writes or a GetItem reads (SERVER#..., TOKEN#..., CREDENTIAL, ...). */
export const sortKeyOf = (input: Record<string, any>): string => String(input.Item?.sk?.S ?? input.Key?.sk?.S ?? '');
