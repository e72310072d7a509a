import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { Campaign } from '../domain/campaign';
import { atExpression, scheduledMilestones, scheduleName } from '../domain/milestones';
import { requiredEnv } from './config';
import { logger } from './logger';
import { tracer } from './observability';
import { localTickerScheduleGroup, milestoneScheduleRetry, milestoneScheduleTimeZone } from './schedule-settings';

/**
 * One-time EventBridge schedules that run the milestone function at each campaign instant: this adapter
 * alone writes them (CloudFormation declares none), from the env the CDK app sets. A missing group fails
 * the cold start rather than silently scheduling nothing; the local stack names `localTickerScheduleGroup`,
 * where its ticker runs the milestone function every minute instead.
 */
const group = requiredEnv('SCHEDULE_GROUP_NAME');
const config =
  group === localTickerScheduleGroup
    ? undefined
    : {
        group,
        targetArn: requiredEnv('MILESTONE_FUNCTION_ARN'),
        roleArn: requiredEnv('SCHEDULER_ROLE_ARN'),
        deadLetterArn: requiredEnv('SCHEDULER_DLQ_ARN'),
      };

// Traced like the DynamoDB client (a no-op where tracing is off).
const client = config ? tracer.captureAWSv3Client(new SchedulerClient({})) : undefined;

export interface MilestoneScheduler {
  /** Creates or moves the schedule of every milestone still ahead; deletes those now in the past. */
  sync(campaign: Campaign, now: Date): Promise<number>;
}

export const milestoneScheduler: MilestoneScheduler = {
  async sync(campaign, now) {
    if (!config || !client) return 0;
    let written = 0;
    for (const milestone of scheduledMilestones(campaign)) {
      const Name = scheduleName(campaign.id, milestone.name);
      if (milestone.at.getTime() <= now.getTime()) {
        await client.send(new DeleteScheduleCommand({ Name, GroupName: config.group })).catch((error: unknown) => {
          if (!(error instanceof ResourceNotFoundException)) throw error;
        });
        continue;
      }
      const input: CreateScheduleCommandInput = {
        Name,
        GroupName: config.group,
        ScheduleExpression: atExpression(milestone.at),
        ScheduleExpressionTimezone: milestoneScheduleTimeZone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'NONE',
        Target: {
          Arn: config.targetArn,
          RoleArn: config.roleArn,
          Input: JSON.stringify({ campaignId: campaign.id, milestone: milestone.name }),
          RetryPolicy: { MaximumRetryAttempts: milestoneScheduleRetry.maximumRetryAttempts, MaximumEventAgeInSeconds: milestoneScheduleRetry.maximumEventAgeInSeconds },
          DeadLetterConfig: { Arn: config.deadLetterArn },
        },
      };
      try {
        await client.send(new CreateScheduleCommand(input));
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
        await client.send(new UpdateScheduleCommand(input));
      }
      written += 1;
    }
    logger.info('milestone schedules synced', { campaignId: campaign.id, written });
    return written;
  },
};
