/**
 * The bench's baseline function: a Lambda handler that imports only DynamoDBClient and one command
 * and sends it. npm run bench bundles it with the settings of esbuild.config.js and compares the
 * api bundle (size, cold require) against it.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME ?? 'p2c-vpn-dev';

export async function handler(event: { pk?: string; sk?: string }): Promise<{ found: boolean }> {
  const output = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: event.pk ?? 'PROJECT#0' }, sk: { S: event.sk ?? 'GATEWAY#0' } },
      ConsistentRead: true,
    }),
  );
  return { found: output.Item !== undefined };
}
