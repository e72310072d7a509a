import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../layers/adapters/tables';
import { businessMetric } from './metrics';

export interface AlarmsProps {
  /** Told when an alarm fires and when it clears. */
  readonly topic: ITopic;
  /** Prefix of every alarm name, so a notification says which deployment it is about. */
  readonly namePrefix: string;
}

const period = Duration.minutes(5);

/** Percent of the stage's requests answered 5xx over five minutes that wakes someone. */
export const api5xxRateThresholdPercent = 5;

/** `Api5xxRate` → `api-5xx-rate`: alarm names are what a notification's subject shows. */
const kebab = (id: string): string => id.replace(/(?<=[a-z0-9])(?=[A-Z])|(?<=[a-z])(?=[0-9])/g, '-').toLowerCase();

/**
 * The alarms an on-call person acts on, each one to the topic. Any failure the platform cannot absorb
 * by itself is one event too many here: a pilot programme has little traffic, so thresholds are low.
 */
export class Alarms extends Construct {
  private readonly action: SnsAction;
  private readonly namePrefix: string;
  private readonly created: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    this.namePrefix = props.namePrefix;
  }

  get alarms(): readonly Alarm[] {
    return this.created;
  }

  /** 5xx as a share of the requests, so a burst of traffic does not hide errors nor a quiet hour inflate them. */
  forHttpStage(stage: IHttpStage): void {
    const rate = new MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: stage.metricServerError({ period, statistic: Stats.SUM }),
        requests: stage.metricCount({ period, statistic: Stats.SUM }),
      },
      label: 'API 5xx rate (%)',
      period,
    });
    this.add('Api5xxRate', rate, api5xxRateThresholdPercent, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      `At least ${api5xxRateThresholdPercent}% of API requests answered 5xx in 5 minutes: see the function errors and access logs`);
  }

  forFunction(id: string, fn: IFunction): void {
    this.add(`${id}Errors`, fn.metricErrors({ period, statistic: Stats.SUM }), 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
      `${id}: an invocation failed (unhandled error or timeout)`);
    this.add(`${id}Throttles`, fn.metricThrottles({ period, statistic: Stats.SUM }), 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
      `${id}: Lambda throttled an invocation (account or function concurrency reached)`);
  }

  forDeadLetterQueue(id: string, queue: IQueue): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM });
    this.add(id, visible, 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
      `${id}: a milestone run was given up after its retries; replay it (README, Runbook)`);
  }

  forEmailSendFailures(): void {
    this.add('EmailSendFailures', businessMetric('EmailSendFailures', { period }), 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
      'SES refused or failed to send an email; it stays pending in the outbox and the next milestone run retries it');
  }

  /** Read and write throttles of the table and of each of its indexes, summed. */
  forTable(id: string, table: ITable, definition: TableDefinition): void {
    for (const [kind, metricName] of [['Read', 'ReadThrottleEvents'], ['Write', 'WriteThrottleEvents']] as const) {
      const usingMetrics: Record<string, IMetric> = { table: table.metric(metricName, { period, statistic: Stats.SUM }) };
      definition.globalIndexes.forEach((index, i) => {
        usingMetrics[`index${i}`] = new Metric({
          namespace: 'AWS/DynamoDB',
          metricName,
          dimensionsMap: { TableName: table.tableName, GlobalSecondaryIndexName: index.indexName },
          period,
          statistic: Stats.SUM,
        });
      });
      const expression = Object.keys(usingMetrics).map((key) => `FILL(${key}, 0)`).join(' + ');
      const throttles = new MathExpression({ expression, usingMetrics, label: `${metricName} (table and indexes)`, period });
      this.add(`${id}${kind}Throttles`, throttles, 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
        `${id} table: DynamoDB throttled ${kind.toLowerCase()}s (table or index)`);
    }
  }

  private add(id: string, metric: IMetric, threshold: number, comparisonOperator: ComparisonOperator, description: string): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.namePrefix}-${kebab(id)}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.created.push(alarm);
  }
}
