/**
 * The textbook peer of `POST /v5/{project_id}/p2c-vpn-gateways/{p2c_vgw_id}/vpn-servers`: the same
 * create written the way the ecosystem's documentation shows it. A middy handler with
 * @middy/http-json-body-parser, a classic zod schema, Powertools idempotency's makeHandlerIdempotent
 * with its DynamoDB persistence layer keyed on the X-Client-Token header, lib-dynamodb GetCommand /
 * PutCommand one item at a time, netmask for the overlaps and X509Certificate for the certificates.
 *
 * npm run bench bundles this file with the settings of esbuild.config.js and runs it against the same
 * dynalite as ours. It is not deployed: serverless.yml and lib/ never import it.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  PeerError,
  checkClientCas,
  checkServerCertificate,
  cidrProblems,
  clientTokenSchema,
  createBodySchema,
  describeIssues,
  invalid,
  networkOf,
  pathSchema,
} from './rules';
import { signatureAuth } from './signature';

const TABLE_NAME = process.env.TABLE_NAME ?? 'p2c-vpn-dev';
const IDEMPOTENCY_TABLE_NAME = process.env.IDEMPOTENCY_TABLE_NAME ?? 'p2c-vpn-idempotency';

export const dynamoClient = new DynamoDBClient(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {});
const documents = DynamoDBDocumentClient.from(dynamoClient);

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: IDEMPOTENCY_TABLE_NAME, awsSdkV3Client: dynamoClient });
const idempotencyConfig = new IdempotencyConfig({
  eventKeyJmesPath: 'headers."x-client-token"',
  // same token, another gateway or body: IdempotencyValidationError (409 below)
  payloadValidationJmesPath: '[rawPath, body]',
  throwOnNoIdempotencyKey: false,
  expiresAfterSeconds: 24 * 60 * 60,
});

type Event = Omit<APIGatewayProxyEventV2, 'body'> & { body: unknown };
type Result = APIGatewayProxyStructuredResultV2;

const newRequestId = (): string => randomUUID().replace(/-/g, '');

function json(status: number, body: object, requestId = newRequestId()): Result {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ ...body, request_id: requestId }),
  };
}

const errorBody = (error: PeerError): Result => json(error.status, { error_code: error.code, error_msg: error.message });

const utc = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

async function createVpnServer(event: Event): Promise<Result> {
  const path = pathSchema.safeParse(event.pathParameters);
  if (!path.success) throw invalid(describeIssues(path.error));
  const { project_id: projectId, p2c_vgw_id: gatewayId } = path.data;
  const token = clientTokenSchema.safeParse(event.headers['x-client-token']);
  if (!token.success) throw invalid(['X-Client-Token: must be a 36-character UUID']);
  const parsed = createBodySchema.safeParse(event.body);
  if (!parsed.success) throw invalid(describeIssues(parsed.error));
  const request = parsed.data.vpn_server;
  const now = new Date();

  const { Item: gateway } = await documents.send(
    new GetCommand({ TableName: TABLE_NAME, Key: { pk: `PROJECT#${projectId}`, sk: `GATEWAY#${gatewayId}` } }),
  );
  if (!gateway) throw new PeerError(404, 'VPN.0004', `p2c vpn gateway ${gatewayId} not found`);
  if (gateway.status !== 'ACTIVE') throw new PeerError(409, 'VPN.0016', `p2c vpn gateway ${gatewayId} is not ACTIVE`);

  const { Item: certificate } = await documents.send(
    new GetCommand({ TableName: TABLE_NAME, Key: { pk: `PROJECT#${projectId}`, sk: `CERT#${request.server_certificate.id}` } }),
  );
  if (!certificate) throw new PeerError(404, 'VPN.0004', `certificate ${request.server_certificate.id} not found`);
  const serverCertificate = checkServerCertificate(String(certificate.content), now);

  const { Item: routeTable } = await documents.send(
    new GetCommand({ TableName: TABLE_NAME, Key: { pk: `PROJECT#${projectId}`, sk: `ROUTES#${gateway.vpc_id}` } }),
  );
  const routes = (routeTable?.routes ?? []) as { destination: string }[];

  const clientCas = checkClientCas(request, now);
  const problems = [...cidrProblems(request, routes, Number(gateway.max_connection_number)), ...clientCas.problems];
  if (problems.length > 0) throw invalid(problems);

  const id = randomUUID();
  const timestamp = utc(now);
  const { fingerprint: _serverFingerprint, ...serverFacts } = serverCertificate;
  try {
    await documents.send(
      new PutCommand({
        TableName: TABLE_NAME,
        Item: {
          pk: `PROJECT#${projectId}`,
          sk: `SERVER#${gatewayId}`,
          id,
          project_id: projectId,
          p2c_vgw_id: gatewayId,
          tunnel_protocol: request.tunnel_protocol,
          client_cidr: networkOf(request.client_cidr),
          local_subnets: request.local_subnets.map(networkOf),
          client_auth_type: request.client_auth_type,
          server_certificate: { id: certificate.id, name: certificate.name, ...serverFacts },
          client_ca_certificates: clientCas.cas.map((ca) => ({ id: randomUUID(), ...ca, created_at: timestamp, updated_at: timestamp })),
          ssl_options: request.ssl_options,
          status: 'ACTIVE',
          created_at: timestamp,
          updated_at: timestamp,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new PeerError(409, 'VPN.0031', `p2c vpn gateway ${gatewayId} already has a vpn server`);
    }
    throw error;
  }
  return json(201, { vpn_server: { id } });
}

/** Client errors become the contract's body; everything else is a 500. */
async function lambdaHandler(event: Event): Promise<Result> {
  try {
    return await createVpnServer(event);
  } catch (error) {
    if (error instanceof PeerError) return errorBody(error);
    throw error;
  }
}

/** Errors raised by the middlewares (auth, body parser, idempotency) as the contract's body. */
const errorResponses = (): MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    const error = request.error as (Error & { statusCode?: number }) | null;
    if (error instanceof PeerError) return errorBody(error);
    if (error?.name === 'IdempotencyValidationError' || error?.name === 'IdempotencyAlreadyInProgressError') {
      return errorBody(new PeerError(409, 'VPN.0031', 'the client token was used for another request'));
    }
    if (error?.statusCode === 415) return errorBody(new PeerError(415, 'VPN.0001', 'the body must be JSON'));
    if (error?.statusCode === 422) return errorBody(new PeerError(400, 'VPN.0001', 'invalid request: malformed JSON'));
    return errorBody(new PeerError(500, 'VPN.0002', 'server error'));
  },
});

export const handler = middy<Event, Result>()
  .use(errorResponses())
  .use(signatureAuth(documents, TABLE_NAME) as unknown as MiddlewareObj<Event, Result>)
  .use(httpJsonBodyParser() as MiddlewareObj<Event, Result>)
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotencyConfig }) as MiddlewareObj<Event, Result>)
  .handler(lambdaHandler);
