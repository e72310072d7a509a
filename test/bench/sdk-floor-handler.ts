import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The floor of the cold-init bench: what any function that reads DynamoDB must load (the client and the
 * document client, created at import) and a one-line handler. A function's import is measured against it.
 */
const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (): Promise<unknown> => dynamo.send(new GetCommand({ TableName: 'floor', Key: { pk: 'x', sk: 'y' } }));
