import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  /** Where alarms are sent (context `alarmTopicArn`); without it they only show in the console. */
  readonly alarmTopicArn?: string;
}

/** The few alarms an on-call person acts on, kept in the stack of the resource they watch. */
export class Alarms extends Construct {
  private readonly action?: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    if (props.alarmTopicArn) this.action = new SnsAction(Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn));
  }

  forFunction(id: string, fn: IFunction): void {
    this.add(`${id}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), 1, `${id}: a function invocation failed`);
  }

  forHttpApi(api: IHttpApi): void {
    this.add('Api5xx', api.metricServerError({ period: Duration.minutes(5) }), 5, 'The HTTP API answered 5xx five times in 5 minutes');
  }

  forDeadLetterQueue(id: string, queue: IQueue): void {
    const visible = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) });
    this.add(id, visible, 1, `${id}: an invocation was given up after its retries`);
  }

  private add(id: string, metric: IMetric, threshold: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    if (this.action) alarm.addAlarmAction(this.action);
  }
}
