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
import { logger } from './logger';

/**
 * One-time EventBridge schedules (Europe/Paris) that run the milestone function at each instant of a
 * campaign. Configured by the CDK app; absent locally, where the ticker runs the function every minute.
 */
const config = process.env.SCHEDULE_GROUP_NAME
  ? {
      group: process.env.SCHEDULE_GROUP_NAME,
      targetArn: process.env.MILESTONE_FUNCTION_ARN ?? '',
      roleArn: process.env.SCHEDULER_ROLE_ARN ?? '',
      deadLetterArn: process.env.SCHEDULER_DLQ_ARN,
    }
  : undefined;

const client = config ? new SchedulerClient({}) : undefined;


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
        ScheduleExpressionTimezone: 'Europe/Paris',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'NONE',
        Target: {
          Arn: config.targetArn,
          RoleArn: config.roleArn,
          Input: JSON.stringify({ campaignId: campaign.id, milestone: milestone.name }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          ...(config.deadLetterArn ? { DeadLetterConfig: { Arn: config.deadLetterArn } } : {}),
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
