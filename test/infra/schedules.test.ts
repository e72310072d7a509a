import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { Match } from 'aws-cdk-lib/assertions';
import type { Campaign } from '../../layers/domain/campaign';
import { scheduledMilestones } from '../../layers/domain/milestones';
import { seededCampaigns } from '../../infra/lib/seeded-campaigns';
import { logicalIdOf, synthesise } from './app-fixture';

const { schedules, templates } = synthesise({ ars: 'NAQ' });
const template = templates.schedules;
const functionArn = { 'Fn::GetAtt': [logicalIdOf(schedules.milestones), 'Arn'] };
const queueArn = { 'Fn::GetAtt': [logicalIdOf(schedules.deadLetterQueue), 'Arn'] };
const roleArn = { 'Fn::GetAtt': [logicalIdOf(schedules.schedulerRole), 'Arn'] };

describe('the schedule group of the one-time milestone schedules', () => {
  it('is one group per deployment, named with its ARS code', () => {
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'mes-pilotes-naq-milestones' });
    expect(schedules.milestoneSchedules.groupName).toBe('mes-pilotes-naq-milestones');
  });

  it('holds no schedule for the default campaign by default: its milestones are all in the past', () => {
    expect(template.findResources('AWS::Scheduler::Schedule', { Properties: { GroupName: Match.anyValue() } })).toEqual({});
  });
});

describe('the daily milestone run', () => {
  it('fires at 06:00 Paris time every day, on the milestone function, with retries and the dead-letter queue', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'mes-pilotes-naq-daily-milestones',
      GroupName: Match.absent(),
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      State: 'ENABLED',
      Target: {
        Arn: functionArn,
        RoleArn: roleArn,
        Input: JSON.stringify({ trigger: 'daily' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 7200 },
        DeadLetterConfig: { Arn: queueArn },
      },
    });
  });

  it('parks what fails for good in an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    });
  });
});

describe('the role EventBridge Scheduler assumes', () => {
  it('can be assumed by Scheduler on behalf of this account only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('may invoke the milestone function and write to the dead-letter queue, nothing else', () => {
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalIdOf(schedules.schedulerRole) }] } });
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [functionArn, { 'Fn::Join': ['', [functionArn, ':*']] }] },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn },
    ]);
  });
});

/** What layers/adapters/scheduler.ts sends to EventBridge Scheduler for a campaign at `now`, captured. */
async function adapterWrites(campaign: Campaign, now: Date): Promise<CreateScheduleCommandInput[]> {
  const env = { SCHEDULE_GROUP_NAME: 'group', MILESTONE_FUNCTION_ARN: 'function', SCHEDULER_ROLE_ARN: 'role', SCHEDULER_DLQ_ARN: 'queue', POWERTOOLS_LOG_LEVEL: 'SILENT' };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const sent: unknown[] = [];
  let scheduler: typeof import('../../layers/adapters/scheduler') | undefined;
  try {
    jest.isolateModules(() => {
      const sdk = require('@aws-sdk/client-scheduler') as typeof import('@aws-sdk/client-scheduler');
      jest.spyOn(sdk.SchedulerClient.prototype, 'send').mockImplementation(async (command: { input: unknown }) => {
        sent.push(command.input);
        return {};
      });
      scheduler = require('../../layers/adapters/scheduler');
    });
    await scheduler!.milestoneScheduler.sync(campaign, now);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return sent.filter((input): input is CreateScheduleCommandInput => typeof input === 'object' && input !== null && 'ScheduleExpression' in input);
}

describe('with -c now=, the seeded campaign\'s milestones still ahead', () => {
  const now = '2023-12-10T09:00:00+01:00';
  const withNow = synthesise({ ars: 'NAQ', now });
  const oneTime = Object.values(withNow.templates.schedules.findResources('AWS::Scheduler::Schedule', { Properties: { GroupName: Match.anyValue() } }))
    .map((resource) => resource.Properties as Record<string, any>);
  const campaign = seededCampaigns[0]!;

  it('get a one-time schedule each, and the passed ones none', () => {
    const ahead = scheduledMilestones(campaign).filter((milestone) => milestone.at.getTime() > new Date(now).getTime());
    expect(ahead.map((m) => m.name)).toEqual([
      'rappel-selection-j1', 'fin-selection', 'rappel-conventions-j14', 'rappel-conventions-j7', 'rappel-conventions-j1',
      'conventions-caduques', 'debut-experimentation', 'fin-remontees',
    ]);
    expect(oneTime.map((p) => p.Name).sort()).toEqual(ahead.map((m) => `mes-esms-2023--${m.name}`).sort());
  });

  it('fire at the Paris wall-clock instant, on the milestone function, with retries and the dead-letter queue', () => {
    const s = withNow.schedules;
    expect(oneTime.find((p) => p.Name === 'mes-esms-2023--fin-selection')).toEqual({
      Name: 'mes-esms-2023--fin-selection',
      GroupName: 'mes-pilotes-naq-milestones',
      Description: 'fin-selection of mes-esms-2023',
      ScheduleExpression: 'at(2023-12-16T00:00:00)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(s.milestones), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(s.schedulerRole), 'Arn'] },
        Input: JSON.stringify({ campaignId: 'mes-esms-2023', milestone: 'fin-selection' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(s.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('are the very schedules the campaigns function would write (so a PATCH moves them in place)', async () => {
    const written = await adapterWrites(campaign, new Date(now));
    expect(written).toHaveLength(oneTime.length);
    for (const input of written) {
      const synthesised = oneTime.find((p) => p.Name === input.Name);
      expect(synthesised).toMatchObject({
        ScheduleExpression: input.ScheduleExpression,
        ScheduleExpressionTimezone: input.ScheduleExpressionTimezone,
        FlexibleTimeWindow: { Mode: input.FlexibleTimeWindow!.Mode },
        Target: {
          Input: input.Target!.Input,
          RetryPolicy: {
            MaximumRetryAttempts: input.Target!.RetryPolicy!.MaximumRetryAttempts,
            MaximumEventAgeInSeconds: input.Target!.RetryPolicy!.MaximumEventAgeInSeconds,
          },
        },
      });
      expect(input.Target!.DeadLetterConfig).toEqual({ Arn: 'queue' });
    }
  });
});
