import { CfnOutput, Duration, Stack, TimeZone, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnSchedule, CfnScheduleGroup, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { scheduleName } from '../../layers/domain/milestones';
import type { Campaign } from '../../layers/domain/campaign';
import { atExpression, scheduledMilestones } from '../../layers/domain/milestones';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { addCapabilityFunction } from './function-config';
import type { HouseFunction, MilestoneScheduleTarget } from './house-function';

export interface SchedulesStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly tables: readonly BoundTable[];
  readonly logsKey: IKey;
  /** Campaigns that exist from the first start; their milestones after `deployment.now` get a schedule here. */
  readonly seededCampaigns: readonly Campaign[];
}

/** Daily at 06:00 Paris time, summer or winter: reminders go out before the working day. */
export const dailyMilestoneCron = 'cron(0 6 * * ? *)';

/** The schedule group of a deployment: its ARS code in the name, so two deployments never share one. */
export const milestoneScheduleGroupName = (deployment: Pick<Deployment, 'scope'>): string =>
  `mes-pilotes-${deployment.scope.toLowerCase()}-milestones`;

/** The target settings of one-time schedules, as layers/adapters/scheduler.ts writes them at run time. */
export const oneTimeScheduleRetry = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 } as const;
export const scheduleTimeZone = 'Europe/Paris';

/**
 * The milestone function and what wakes it: a daily run, and one-time schedules at each campaign
 * instant. The campaigns function creates, moves and deletes those at run time in this stack's
 * schedule group (see `milestoneSchedules`); the seeded campaigns' future ones are synthesised here.
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
      schedule: ScheduleExpression.expression(dailyMilestoneCron, TimeZone.EUROPE_PARIS),
      target: new LambdaInvoke(this.milestones, {
        role: this.schedulerRole,
        input: ScheduleTargetInput.fromObject({ trigger: 'daily' }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      }),
    });

    if (props.deployment.now) {
      for (const campaign of props.seededCampaigns) this.scheduleFutureMilestones(campaign, props.deployment.now);
    }

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

  /**
   * The same one-time schedules the campaigns function would write (name, expression, target), for the
   * milestones of a seeded campaign still ahead of `now`. Run-time changes (PATCH) update them in place.
   */
  private scheduleFutureMilestones(campaign: Campaign, now: Date): void {
    for (const milestone of scheduledMilestones(campaign)) {
      if (milestone.at.getTime() <= now.getTime()) continue;
      const schedule = new CfnSchedule(this, `Seeded-${campaign.id}-${milestone.name}`, {
        name: scheduleName(campaign.id, milestone.name),
        groupName: this.scheduleGroup.name,
        description: `${milestone.name} of ${campaign.id}`,
        scheduleExpression: atExpression(milestone.at),
        scheduleExpressionTimezone: scheduleTimeZone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: this.milestones.functionArn,
          roleArn: this.schedulerRole.roleArn,
          input: JSON.stringify({ campaignId: campaign.id, milestone: milestone.name }),
          retryPolicy: oneTimeScheduleRetry,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        },
      });
      schedule.node.addDependency(this.scheduleGroup);
    }
  }
}
