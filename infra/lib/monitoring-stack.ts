import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { mainTable } from '../../layers/adapters/tables';
import { Alarms } from './alarms';
import { OperationsDashboard } from './dashboard';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { constructIdOf } from './function-config';

export interface MonitoringStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly stage: IHttpStage;
  /** Every function of the deployment by capability name, the milestone function included. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly tables: readonly BoundTable[];
  readonly milestoneDeadLetters: IQueue;
}

/**
 * Alarms and the dashboard of one deployment, in one place for whoever is on call. Alarms go to the
 * topic given at deploy (`-c alarmTopicArn=`, typically the team's existing one); without it, to a
 * topic created here, KMS-encrypted, that the team subscribes to (README, Runbook).
 */
export class MonitoringStack extends Stack {
  readonly alarmTopic: ITopic;
  readonly alarms: Alarms;
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { deployment } = props;
    const prefix = `mes-pilotes-${deployment.scope.toLowerCase()}`;

    this.alarmTopic = deployment.alarmTopicArn
      ? Topic.fromTopicArn(this, 'AlarmTopic', deployment.alarmTopicArn)
      : this.buildAlarmTopic(prefix, deployment);

    this.alarms = new Alarms(this, 'Alarms', { topic: this.alarmTopic, namePrefix: prefix });
    this.alarms.forHttpStage(props.stage);
    for (const [name, fn] of props.functions) this.alarms.forFunction(constructIdOf(name), fn);
    this.alarms.forDeadLetterQueue('MilestonesDeadLetters', props.milestoneDeadLetters);
    this.alarms.forEmailSendFailures();
    for (const { table, definition } of props.tables) this.alarms.forTable(`${definition.id}Table`, table, definition);

    const main = props.tables.find((bound) => bound.definition === mainTable)!;
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      dashboardName: prefix,
      stage: props.stage,
      functions: props.functions,
      table: main.table,
      milestoneDeadLetters: props.milestoneDeadLetters,
      alarms: this.alarms.alarms,
    });

    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'Subscribe on-call people or tools here' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${prefix}`,
    });
  }

  /**
   * CloudWatch cannot publish to a topic under the AWS-managed SNS key (its policy cannot name
   * CloudWatch), hence a key of our own that lets CloudWatch alarms of this account use it.
   */
  private buildAlarmTopic(prefix: string, deployment: Deployment): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      alias: `alias/${prefix}-alarms`,
      description: `Encrypts the alarm topic of mes-pilotes ${deployment.scope}`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      topicName: `${prefix}-alarms`,
      displayName: `mes-pilotes ${deployment.scope} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${this.region}:${Aws.ACCOUNT_ID}:alarm:${prefix}-*` },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    return topic;
  }
}
