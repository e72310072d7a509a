import { Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Construct } from 'constructs';
import type { Campaign } from '../../layers/domain/campaign';
import { functionLogRetention } from './house-function';
import { repositoryItemOf } from './seeded-campaigns';

export interface CampaignSeedProps {
  readonly campaigns: readonly Campaign[];
  readonly table: ITable;
  readonly logsKey: IKey;
}

/** The same options as the repository's DynamoDBDocumentClient (layers/adapters/dynamo.ts). */
const marshallOptions = { removeUndefinedValues: true, convertClassInstanceToMap: false };

/** The id CDK gives the one provider function every AwsCustomResource of a stack shares. */
const providerFunctionId = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/**
 * Writes each seeded campaign into the main table at deploy time, exactly as the campaign repository
 * would create it, and only if it is not there yet: a campaign the national team has since changed is
 * never overwritten, and a redeploy or a restored table gets it back when it is missing.
 */
export class CampaignSeed extends Construct {
  readonly seeds: readonly AwsCustomResource[];

  constructor(scope: Construct, id: string, props: CampaignSeedProps) {
    super(scope, id);
    const { table } = props;
    const partitionKeys = props.campaigns.map((campaign) => String(repositoryItemOf(campaign).pk));

    const logGroup = new LogGroup(this, 'Logs', { retention: functionLogRetention, encryptionKey: props.logsKey });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Writes the seeded campaigns into the main table, once',
    });
    logGroup.grantWrite(role);
    role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': partitionKeys } },
      }),
    );
    // What DynamoDB asks of a caller writing to a table under a customer-managed key; no wildcard.
    if (table.encryptionKey) table.encryptionKey.grant(role, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey');
    Validations.of(role).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason: 'The policy CDK writes from our grants belongs to the seed role alone and dies with it; a managed policy would narrow nothing.',
    });

    this.seeds = props.campaigns.map((campaign) => {
      const putIfAbsent: AwsSdkCall = {
        service: 'DynamoDB',
        action: 'PutItem',
        parameters: {
          TableName: table.tableName,
          Item: marshall(repositoryItemOf(campaign), marshallOptions),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
        // Already there (seeded before, or created through the API): leave it as it is.
        ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
        physicalResourceId: PhysicalResourceId.of(`campaign-seed-${campaign.id}`),
      };
      const seed = new AwsCustomResource(this, campaign.id, {
        resourceType: 'Custom::CampaignSeed',
        onCreate: putIfAbsent,
        onUpdate: putIfAbsent,
        role,
        logGroup,
        installLatestAwsSdk: false,
      });
      seed.node.addDependency(role);
      return seed;
    });
    this.acknowledgeProviderFindings();
  }

  private acknowledgeProviderFindings(): void {
    const provider = Stack.of(this).node.tryFindChild(providerFunctionId);
    if (!provider) return;
    Validations.of(provider).acknowledge({
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason: 'The CDK provider of AwsCustomResource calls one DynamoDB API during deployments; it reaches no private resource.',
    });
    Validations.of(provider).acknowledge({
      id: 'HIPAA.Security-LambdaConcurrency',
      reason: 'CloudFormation invokes the AwsCustomResource provider once per seeded campaign and deployment; there is no load to bound.',
    });
    Validations.of(provider).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason: 'The provider answers CloudFormation itself, which rolls the deployment back on a failure or a timeout; a parked event would replay nothing.',
    });
  }
}
