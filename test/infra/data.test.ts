import { Match } from 'aws-cdk-lib/assertions';
import { tables } from '../../layers/adapters/tables';
import { logicalIdOf, synthesise } from './app-fixture';

const { data, templates } = synthesise({ ars: 'NAQ' });
const template = templates.data;

describe.each(tables.map((definition) => [definition.id, definition] as const))('the %s table', (_id, definition) => {
  const bound = data.tables.find((t) => t.definition === definition);
  const tableId = logicalIdOf(bound!.table);
  const properties = () => template.toJSON().Resources[tableId].Properties;

  it('has the keys and global indexes of its definition', () => {
    expect(properties().KeySchema).toEqual([
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(properties().GlobalSecondaryIndexes).toEqual(
      definition.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const keys = [definition.partitionKey, definition.sortKey, ...definition.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(properties().AttributeDefinitions).toEqual(
      expect.arrayContaining(keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }))),
    );
  });

  it('is on demand, recoverable to the second and protected from deletion', () => {
    expect(properties()).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(template.toJSON().Resources[tableId]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('is encrypted with the customer-managed key of the data stack', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(properties().SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
  });

  it('expires items by its TTL attribute when it has one', () => {
    if (definition.timeToLiveAttribute) {
      expect(properties().TimeToLiveSpecification).toEqual({ AttributeName: definition.timeToLiveAttribute, Enabled: true });
    } else {
      expect(properties().TimeToLiveSpecification).toBeUndefined();
    }
  });
});

it('keeps one rotating table key that outlives the stack', () => {
  template.resourceCountIs('AWS::KMS::Key', 1);
  template.hasResource('AWS::KMS::Key', {
    Properties: { EnableKeyRotation: true },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
  template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/mes-pilotes-naq-tables' });
});

it('builds exactly the tables of the definitions', () => {
  template.resourceCountIs('AWS::DynamoDB::Table', tables.length);
  template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  expect(Object.keys(template.findResources('AWS::DynamoDB::Table', { Properties: { TableName: Match.anyValue() } }))).toEqual([]);
});
