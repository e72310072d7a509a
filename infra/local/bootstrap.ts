import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { tables, type TableDefinition } from '../../layers/adapters/tables';

export const localTableName = (definition: TableDefinition, prefix: string): string => `${prefix}-${definition.id}`;

/** The same definitions the CDK data stack uses, as CreateTable calls; tables already there are kept. */
export async function createTables(client: DynamoDBClient, prefix: string): Promise<string[]> {
  const created: string[] = [];
  for (const definition of tables) {
    const TableName = localTableName(definition, prefix);
    try {
      await client.send(new DescribeTableCommand({ TableName }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const keys = [definition.partitionKey, definition.sortKey, ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    const attributes = [...new Map(keys.map((key) => [key.name, key])).values()];
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    created.push(TableName);
  }
  return created;
}
