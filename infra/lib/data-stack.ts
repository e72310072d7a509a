import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type Attribute, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tables, type KeyDefinition, type TableDefinition } from '../../layers/adapters/tables';
import type { Deployment } from './deployment';

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
 * The DynamoDB tables of layers/adapters/tables.ts, encrypted with our own key.
 *
 * `Table` rather than `TableV2`: TableV2's gain is global replicas, and health-related data of this
 * programme stays in one French region; `Table` keeps the plain AWS::DynamoDB::Table the local
 * stack mirrors with CreateTable, and moving between the two later is a resource replacement either way.
 */
export class DataStack extends Stack {
  readonly tables: readonly BoundTable[];

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const key = new Key(this, 'TablesKey', {
      alias: `alias/mes-pilotes-${props.deployment.scope.toLowerCase()}-tables`,
      description: `Encrypts the DynamoDB tables of mes-pilotes ${props.deployment.scope}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.tables = tables.map((definition) => ({ definition, table: this.buildTable(definition, key) }));
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
