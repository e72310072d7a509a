import { Aws, CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type Attribute, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { mainTable, tables, type KeyDefinition, type TableDefinition } from '../../layers/adapters/tables';
import { CampaignSeed } from './campaign-seed';
import type { Deployment } from './deployment';
import { seededCampaigns } from './seeded-campaigns';

export interface DataStackProps extends StackProps {
  readonly deployment: Deployment;
}

export interface BoundTable {
  readonly table: ITable;
  readonly definition: TableDefinition;
}

const attribute = (key: KeyDefinition): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The DynamoDB tables of layers/adapters/tables.ts, encrypted with our own key, the seeded campaigns,
 * and the key every log group of the deployment is encrypted with.
 *
 * `Table` rather than `TableV2`: TableV2's gain is global replicas, and health-related data of this
 * programme stays in one French region; `Table` keeps the plain AWS::DynamoDB::Table the local
 * stack mirrors with CreateTable, and moving between the two later is a resource replacement either way.
 */
export class DataStack extends Stack {
  readonly tables: readonly BoundTable[];
  /** Log groups hold ids, client IPs and Cognito subs (pseudonymous personal data): encrypted with our key. */
  readonly logsKey: Key;
  readonly seed: CampaignSeed;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const key = new Key(this, 'TablesKey', {
      alias: `alias/mes-pilotes-${props.deployment.scope.toLowerCase()}-tables`,
      description: `Encrypts the DynamoDB tables of mes-pilotes ${props.deployment.scope}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tables = tables.map((definition) => ({ definition, table: this.buildTable(definition, key) }));
    this.logsKey = this.buildLogsKey(props.deployment);
    const main = this.tables.find((bound) => bound.definition === mainTable)!;
    this.seed = new CampaignSeed(this, 'CampaignSeed', { campaigns: seededCampaigns, table: main.table, logsKey: this.logsKey });
    new CfnOutput(this, 'MainTableName', { value: main.table.tableName, description: 'For the Runbook (point-in-time restore)' });
  }

  /** CloudWatch Logs encrypts with the key itself, for log groups of this account and region only. */
  private buildLogsKey(deployment: Deployment): Key {
    const key = new Key(this, 'LogsKey', {
      alias: `alias/mes-pilotes-${deployment.scope.toLowerCase()}-logs`,
      description: `Encrypts the CloudWatch log groups of mes-pilotes ${deployment.scope}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${this.region}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }),
    );
    return key;
  }

  private buildTable(definition: TableDefinition, key: Key): Table {
    const table = new Table(this, `${definition.id}Table`, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(table).acknowledge({
      id: 'HIPAA.Security-DynamoDBInBackupPlan',
      reason:
        'Point-in-time recovery (35 days, to the second) is the backup, restored by the Runbook; deletion protection and Retain ' +
        'guard the table. Snapshots kept longer (AWS Backup) await the programme\'s retention rule.',
    });
    for (const index of definition.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      });
    }
    return table;
  }
}
