import { Duration, Stack, TimeZone, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { addCapabilityFunction } from './function-config';
import type { HouseFunction } from './house-function';

export interface SchedulesStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly tables: readonly BoundTable[];
}

/** Daily at 06:00 Paris time, summer or winter: reminders go out before the working day. */
export const dailyMilestoneCron = 'cron(0 6 * * ? *)';

/**
 * The milestone function and what wakes it. The one-time schedules at each campaign instant are
 * created at run time by the campaigns capability (a later issue); this stack holds the daily run.
 */
export class SchedulesStack extends Stack {
  readonly milestones: HouseFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SchedulesStackProps) {
    super(scope, id, props);
    this.milestones = addCapabilityFunction(this, 'milestones', props);

    // Invocations that still fail after the retries land here instead of vanishing.
    this.deadLetterQueue = new Queue(this, 'MilestonesDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the milestone schedules; a DLQ of a DLQ would only move the problem.',
    });

    const schedulerRole = new Role(this, 'MilestonesSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'Lets EventBridge Scheduler invoke the milestone function',
    });
    // Function.grantInvoke also covers the function's versions and aliases (`<arn>:*`).
    const functionLogicalId = this.getLogicalId(this.milestones.node.defaultChild as CfnElement);
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason: 'Invoke permission on the milestone function and its versions or aliases only, as CDK grants it.',
    });

    new Schedule(this, 'DailyMilestones', {
      description: 'Daily milestone run: reminders and deadline transitions',
      schedule: ScheduleExpression.expression(dailyMilestoneCron, TimeZone.EUROPE_PARIS),
      target: new LambdaInvoke(this.milestones, {
        role: schedulerRole,
        input: ScheduleTargetInput.fromObject({ trigger: 'daily' }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });
  }
}
