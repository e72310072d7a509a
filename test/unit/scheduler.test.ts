import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { seededCampaigns } from '../../infra/lib/seeded-campaigns';
import { localTickerScheduleGroup, milestoneScheduleRetry, milestoneScheduleTimeZone } from '../../layers/adapters/schedule-settings';
import { scheduledMilestones } from '../../layers/domain/milestones';

const awsEnv = { SCHEDULE_GROUP_NAME: 'group', MILESTONE_FUNCTION_ARN: 'function', SCHEDULER_ROLE_ARN: 'role', SCHEDULER_DLQ_ARN: 'queue' };
type SchedulerModule = typeof import('../../layers/adapters/scheduler');

/** Loads layers/adapters/scheduler.ts afresh under `env`, with the SDK's send captured. */
function loadScheduler(env: Record<string, string | undefined>): { scheduler: SchedulerModule; sent: unknown[] } {
  const names = [...new Set([...Object.keys(awsEnv), ...Object.keys(env), 'POWERTOOLS_LOG_LEVEL'])];
  const saved = Object.fromEntries(names.map((key) => [key, process.env[key]]));
  for (const key of Object.keys(awsEnv)) delete process.env[key];
  for (const [key, value] of Object.entries({ ...env, POWERTOOLS_LOG_LEVEL: 'SILENT' })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const sent: unknown[] = [];
  let scheduler: SchedulerModule | undefined;
  try {
    jest.isolateModules(() => {
      const sdk = require('@aws-sdk/client-scheduler') as typeof import('@aws-sdk/client-scheduler');
      jest.spyOn(sdk.SchedulerClient.prototype, 'send').mockImplementation(async (command: { input: unknown }) => {
        sent.push(command.input);
        return {};
      });
      scheduler = require('../../layers/adapters/scheduler');
    });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return { scheduler: scheduler!, sent };
}

afterEach(() => jest.restoreAllMocks());

const campaign = seededCampaigns[0]!;
const now = new Date('2023-12-10T09:00:00+01:00');

describe('the scheduler adapter, the one writer of one-time milestone schedules', () => {
  it('fails at cold start without a schedule group, rather than scheduling nothing in silence', () => {
    expect(() => loadScheduler({ ...awsEnv, SCHEDULE_GROUP_NAME: undefined })).toThrow('Missing required environment variable SCHEDULE_GROUP_NAME');
    expect(() => loadScheduler({ ...awsEnv, SCHEDULE_GROUP_NAME: ' ' })).toThrow(/SCHEDULE_GROUP_NAME/);
  });

  it('fails at cold start when the group is named but the target, role or queue is not', () => {
    for (const name of ['MILESTONE_FUNCTION_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULER_DLQ_ARN']) {
      expect(() => loadScheduler({ ...awsEnv, [name]: undefined })).toThrow(`Missing required environment variable ${name}`);
    }
  });

  it('writes nothing in the local stack\'s group, where the ticker runs the milestone function', async () => {
    const { scheduler, sent } = loadScheduler({ SCHEDULE_GROUP_NAME: localTickerScheduleGroup });
    expect(await scheduler.milestoneScheduler.sync(campaign, now)).toBe(0);
    expect(sent).toEqual([]);
  });

  it('creates the milestones still ahead with the one definition of the settings, and deletes those passed', async () => {
    const { scheduler, sent } = loadScheduler(awsEnv);
    const ahead = scheduledMilestones(campaign).filter((milestone) => milestone.at.getTime() > now.getTime());
    expect(await scheduler.milestoneScheduler.sync(campaign, now)).toBe(ahead.length);
    const created = sent.filter((input): input is CreateScheduleCommandInput => typeof input === 'object' && input !== null && 'ScheduleExpression' in input);
    expect(created.map((input) => input.Name)).toEqual(ahead.map((milestone) => `mes-esms-2023--${milestone.name}`));
    expect(created.find((input) => input.Name === 'mes-esms-2023--fin-selection')).toEqual({
      Name: 'mes-esms-2023--fin-selection',
      GroupName: 'group',
      ScheduleExpression: 'at(2023-12-16T00:00:00)',
      ScheduleExpressionTimezone: milestoneScheduleTimeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: 'function',
        RoleArn: 'role',
        Input: JSON.stringify({ campaignId: 'mes-esms-2023', milestone: 'fin-selection' }),
        RetryPolicy: { MaximumRetryAttempts: milestoneScheduleRetry.maximumRetryAttempts, MaximumEventAgeInSeconds: milestoneScheduleRetry.maximumEventAgeInSeconds },
        DeadLetterConfig: { Arn: 'queue' },
      },
    });
    const deleted = sent.filter((input) => !created.includes(input as CreateScheduleCommandInput));
    expect(deleted).toHaveLength(scheduledMilestones(campaign).length - ahead.length);
  });
});
