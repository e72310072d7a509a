import { CfnOutput, Duration, Stack, TimeZone, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnScheduleGroup, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { milestoneScheduleRetry, milestoneScheduleTimeZone } from '../../layers/adapters/schedule-settings';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { addCapabilityFunction } from './function-config';
import type { HouseFunction, MilestoneScheduleTarget } from './house-function';

export interface SchedulesStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly tables: readonly BoundTable[];
  readonly logsKey: IKey;
}

/** Daily at 06:00 Paris time, summer or winter: reminders go out before the working day. */
export const dailyMilestoneCron = 'cron(0 6 * * ? *)';

/** The schedule group of a deployment: its ARS code in the name, so two deployments never share one. */
export const milestoneScheduleGroupName = (deployment: Pick<Deployment, 'scope'>): string =>
  `mes-pilotes-${deployment.scope.toLowerCase()}-milestones`;

/**
 * The milestone function and what wakes it: a daily run, and one-time schedules at each campaign
 * instant. This stack declares the group they live in but none of them: the campaigns function owns
 * them all, seeded campaigns' included (see `milestoneSchedules` and ApiStack's MilestoneScheduleSync).
 */
export class SchedulesStack extends Stack {
  readonly milestones: HouseFunction;
  readonly deadLetterQueue: Queue;
  readonly scheduleGroup: CfnScheduleGroup;
  readonly schedulerRole: Role;
  /** Handed to the campaigns function (Api stack, which depends on this one: no cycle). */
  readonly milestoneSchedules: MilestoneScheduleTarget;

  constructor(scope: Construct, id: string, props: SchedulesStackProps) {
    super(scope, id, props);

    // Runs that still fail after the retries land here instead of vanishing: those Scheduler could not
    // deliver and, through the function's own DLQ, those the function failed. The body is the event.
    this.deadLetterQueue = new Queue(this, 'MilestonesDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the milestone schedules; a DLQ of a DLQ would only move the problem.',
    });

    // Scheduler invokes Lambda asynchronously: an error in the function is retried by Lambda, then parked.
    this.milestones = addCapabilityFunction(this, 'milestones', { ...props, deadLetterQueue: this.deadLetterQueue });

    this.scheduleGroup = new CfnScheduleGroup(this, 'MilestoneScheduleGroup', { name: milestoneScheduleGroupName(props.deployment) });
    this.schedulerRole = this.buildSchedulerRole();
    this.milestoneSchedules = {
      groupName: this.scheduleGroup.name!,
      milestoneFunction: this.milestones,
      schedulerRole: this.schedulerRole,
      deadLetterQueue: this.deadLetterQueue,
    };

    new Schedule(this, 'DailyMilestones', {
      scheduleName: `mes-pilotes-${props.deployment.scope.toLowerCase()}-daily-milestones`,
      description: 'Daily milestone run: reminders and deadline transitions',
      schedule: ScheduleExpression.expression(dailyMilestoneCron, TimeZone.of(milestoneScheduleTimeZone)),
      target: new LambdaInvoke(this.milestones, {
        role: this.schedulerRole,
        input: ScheduleTargetInput.fromObject({ trigger: 'daily' }),
        deadLetterQueue: this.deadLetterQueue,
        // The same settings as the one-time schedules the campaigns function writes.
        retryAttempts: milestoneScheduleRetry.maximumRetryAttempts,
        maxEventAge: Duration.seconds(milestoneScheduleRetry.maximumEventAgeInSeconds),
      }),
    });

    new CfnOutput(this, 'MilestoneScheduleGroupName', { value: this.scheduleGroup.name! });
    new CfnOutput(this, 'MilestoneFunctionName', { value: this.milestones.functionName });
    new CfnOutput(this, 'MilestoneDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
  }

  /** The one role Scheduler assumes, for the daily run and every one-time schedule alike. */
  private buildSchedulerRole(): Role {
    const role = new Role(this, 'MilestonesSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'Lets EventBridge Scheduler invoke the milestone function',
    });
    this.milestones.grantInvoke(role);
    role.addToPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    // Function.grantInvoke also covers the function's versions and aliases (`<arn>:*`).
    const functionLogicalId = this.getLogicalId(this.milestones.node.defaultChild as CfnElement);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
      reason: 'Invoke permission on the milestone function and its versions or aliases only, as CDK grants it.',
    });
    Validations.of(role).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason: 'The policy CDK writes from our grants belongs to the scheduler role alone and dies with it; a managed policy would narrow nothing.',
    });
    return role;
  }
}
