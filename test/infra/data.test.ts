import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Match } from 'aws-cdk-lib/assertions';
import { tables } from '../../layers/adapters/tables';
import { campaignSchema } from '../../layers/domain/campaign';
import { logicalIdOf, synthesise } from './app-fixture';

const { data, templates } = synthesise({ ars: 'NAQ' });
const template = templates.data;
const tablesKeyId = () => Object.keys(template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('DynamoDB tables') } }))[0]!;

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
    const keyId = tablesKeyId();
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

it('keeps one rotating table key that outlives the stack (and one for the logs)', () => {
  template.resourceCountIs('AWS::KMS::Key', 2);
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

describe('the logs key', () => {
  it('rotates, outlives the stack, and lets CloudWatch Logs use it for this account\'s log groups only', () => {
    const keyId = logicalIdOf(data.logsKey);
    const key = template.toJSON().Resources[keyId];
    expect(key).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'logs.eu-west-3.amazonaws.com' },
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-3:', { Ref: 'AWS::AccountId' }, ':log-group:*']],
            },
          },
        },
      }),
    );
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/mes-pilotes-naq-logs' });
  });
});

describe('the default campaign seed', () => {
  const mainTableId = logicalIdOf(data.tables.find((t) => t.definition.id === 'Main')!.table);
  const seeds = Object.values(template.findResources('Custom::CampaignSeed'));

  /** The SDK call of the custom resource, with the table name token written `<table>`. */
  const sdkCall = (property: { 'Fn::Join': [string, Array<string | { Ref: string }>] }) => {
    const parts = property['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : part.Ref === mainTableId ? '<table>' : '<other>'));
    return JSON.parse(parts.join('')) as { service: string; action: string; parameters: Record<string, any>; ignoreErrorCodesMatching?: string };
  };

  it('puts mes-esms-2023 into the main table, as the repository writes it, only when it is not there', () => {
    expect(seeds).toHaveLength(1);
    const call = sdkCall(seeds[0]!.Properties.Create);
    expect(call).toMatchObject({
      service: 'DynamoDB',
      action: 'PutItem',
      parameters: { TableName: '<table>', ConditionExpression: 'attribute_not_exists(pk)' },
      ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
    });
    const item = unmarshall(call.parameters.Item);
    expect(item).toMatchObject({
      pk: 'CAMPAIGN#mes-esms-2023',
      sk: 'CAMPAIGN',
      gsi1pk: 'CAMPAIGNS',
      id: 'mes-esms-2023',
      intakeOpensAt: '2023-09-01T00:00:00+02:00',
      intakeClosesAt: '2023-11-01T00:00:00+01:00',
      selectionEndsAt: '2023-12-16T00:00:00+01:00',
      conventionsDueAt: '2024-02-15T00:00:00+01:00',
      experimentationStart: '2024-02-15',
      experimentationEnd: '2024-10-15',
      reportingGraceDays: 15,
      version: 1,
      createdAt: '2023-09-01T00:00:00+02:00',
    });
    expect(campaignSchema.parse(item)).toMatchObject({ id: 'mes-esms-2023' });
  });

  it('does the same on an update, so a campaign changed since (PATCH) is never overwritten', () => {
    expect(seeds[0]!.Properties.Update).toEqual(seeds[0]!.Properties.Create);
    expect(seeds[0]!.Properties.Delete).toBeUndefined();
  });

  it('is the same at every synth: no wall clock in the item', () => {
    const again = synthesise({ ars: 'NAQ' }).templates.data;
    expect(Object.values(again.findResources('Custom::CampaignSeed'))[0]!.Properties.Create).toEqual(seeds[0]!.Properties.Create);
  });

  it('runs with a role that may only put the seeded items into the main table', () => {
    const roleId = logicalIdOf(data.seed.node.findChild('Role'));
    const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    expect(statements.filter((s) => !String(s.Action).startsWith('logs:'))).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: { 'Fn::GetAtt': [mainTableId, 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['CAMPAIGN#mes-esms-2023'] } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [tablesKeyId(), 'Arn'] },
      },
    ]);
  });
});
