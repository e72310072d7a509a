import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { seededCampaigns } from '../../infra/lib/seeded-campaigns';
import { answerCloudFormation, answerReserveMs } from '../../layers/adapters/custom-resource';
import { logger } from '../../layers/adapters/logger';
import { mainTable } from '../../layers/adapters/tables';

const responseUrl = 'https://cloudformation-custom-resource-response-euwest3.s3.eu-west-3.amazonaws.com/arn%3Aaws?X-Amz-Signature=abc';
const event = (requestType: 'Create' | 'Update' | 'Delete', url = responseUrl): CloudFormationCustomResourceEvent =>
  ({
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-3:123456789012:function:campaigns',
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-3:123456789012:stack/MesPilotes-NAQ-Api/1',
    RequestId: 'request-1',
    LogicalResourceId: 'MilestoneScheduleSync',
    ResourceType: 'Custom::MilestoneScheduleSync',
    ResourceProperties: { ServiceToken: 'x' },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'MilestoneScheduleSync', OldResourceProperties: { ServiceToken: 'x' } }),
  }) as CloudFormationCustomResourceEvent;
const context = { logStreamName: '2026/12/01/[$LATEST]abc', getRemainingTimeInMillis: () => 15_000 } as Context;

let answers: { url: string; body: Record<string, unknown>; headers: Record<string, string> }[];
beforeEach(() => {
  answers = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (url, init) => {
    answers.push({ url: String(url), body: JSON.parse(String(init?.body)), headers: init?.headers as Record<string, string> });
    return new Response('', { status: 200 });
  });
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('answering CloudFormation for a custom resource', () => {
  it('runs the work on Create and Update and answers SUCCESS with its data, keeping one physical id', async () => {
    for (const type of ['Create', 'Update'] as const) {
      const work = jest.fn(async () => ({ campaigns: '1' }));
      await answerCloudFormation(event(type), context, work);
      expect(work).toHaveBeenCalledTimes(1);
    }
    expect(answers.map((a) => a.body)).toEqual([
      { Status: 'SUCCESS', Data: { campaigns: '1' }, PhysicalResourceId: 'MilestoneScheduleSync', StackId: expect.any(String), RequestId: 'request-1', LogicalResourceId: 'MilestoneScheduleSync' },
      { Status: 'SUCCESS', Data: { campaigns: '1' }, PhysicalResourceId: 'MilestoneScheduleSync', StackId: expect.any(String), RequestId: 'request-1', LogicalResourceId: 'MilestoneScheduleSync' },
    ]);
    expect(answers[0]!.url).toBe(responseUrl);
    expect(answers[0]!.headers).toEqual({ 'content-type': '' });
  });

  it('answers FAILED when the work fails, so the deployment stops instead of waiting an hour', async () => {
    await answerCloudFormation(event('Update'), context, async () => {
      throw new Error('AccessDeniedException: scheduler:CreateSchedule');
    });
    expect(answers[0]!.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/AccessDeniedException.*\[\$LATEST\]abc/) });
  });

  it('answers FAILED before the function times out when the work takes too long', async () => {
    const started = Date.now();
    await answerCloudFormation(event('Create'), { ...context, getRemainingTimeInMillis: () => answerReserveMs + 50 }, () => new Promise(() => undefined));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answers[0]!.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^Not done within 50 ms/) });
  });

  it('does nothing on Delete but answer: the schedules go with their group', async () => {
    const work = jest.fn(async () => ({}));
    await answerCloudFormation(event('Delete'), context, work);
    expect(work).not.toHaveBeenCalled();
    expect(answers[0]!.body).toMatchObject({ Status: 'SUCCESS' });
  });

  it('never sends its answer anywhere but to AWS', async () => {
    const work = jest.fn(async () => ({}));
    await expect(answerCloudFormation(event('Create', 'https://evil.example/collect'), context, work)).rejects.toThrow(/not CloudFormation/);
    await expect(answerCloudFormation(event('Create', 'http://bucket.s3.amazonaws.com/x'), context, work)).rejects.toThrow(/not CloudFormation/);
    expect(work).not.toHaveBeenCalled();
    expect(answers).toEqual([]);
  });
});

describe('the campaigns function, owner of the one-time milestone schedules', () => {
  const env = { [mainTable.envVar]: 'table', MAIL_FROM: 'x@y.example', SCHEDULE_GROUP_NAME: 'group', MILESTONE_FUNCTION_ARN: 'function', SCHEDULER_ROLE_ARN: 'role', SCHEDULER_DLQ_ARN: 'queue', AWS_REGION: 'eu-west-3' };

  it('syncs every campaign of the table, seeded ones included, when the deployment\'s custom resource asks', async () => {
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    const synced: string[] = [];
    const second = { ...seededCampaigns[0]!, id: 'mes-2031' };
    let handler: typeof import('../../functions/campaigns/handler').handler | undefined;
    try {
      jest.isolateModules(() => {
        jest.doMock('../../layers/adapters/campaign-repository', () => ({
          campaignRepository: {
            async *all() {
              yield seededCampaigns[0]!;
              yield second;
            },
          },
        }));
        jest.doMock('../../layers/adapters/scheduler', () => ({
          milestoneScheduler: { sync: async (campaign: { id: string }) => (synced.push(campaign.id), 2) },
        }));
        // The HTTP side is not under test here (and its French zod locale is ESM only).
        jest.doMock('../../layers/http/handler', () => ({ httpHandler: () => async () => ({ statusCode: 418 }) }));
        jest.doMock('../../layers/http/idempotency', () => ({ idempotent: () => undefined }));
        jest.doMock('../../layers/http/request', () => ({}));
        handler = (require('../../functions/campaigns/handler') as typeof import('../../functions/campaigns/handler')).handler;
      });
      await handler!(event('Create'), context);
      expect(await handler!({ routeKey: 'GET /v1/campaigns' } as never, context)).toEqual({ statusCode: 418 });
    } finally {
      for (const name of ['adapters/campaign-repository', 'adapters/scheduler', 'http/handler', 'http/idempotency', 'http/request']) jest.dontMock(`../../layers/${name}`);
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(synced).toEqual(['mes-esms-2023', 'mes-2031']);
    expect(answers[0]!.body).toMatchObject({ Status: 'SUCCESS', Data: { campaigns: '2', schedules: '4' } });
  });
});
