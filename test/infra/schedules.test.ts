import { Match } from 'aws-cdk-lib/assertions';
import { milestoneScheduleRetry, milestoneScheduleTimeZone } from '../../layers/adapters/schedule-settings';
import { scheduleWriterSources } from '../../infra/lib/api-stack';
import { logicalIdOf, synthesise } from './app-fixture';

const { api, schedules, templates } = synthesise({ ars: 'NAQ' });
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
        // One definition for every schedule of the milestone function (layers/adapters/schedule-settings.ts).
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
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

describe('the one-time schedules of campaigns, seeded ones included', () => {
  const campaigns = api.functions.get('campaigns')!;
  const apiResources = templates.api.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>;
  const syncs = Object.entries(apiResources).filter(([, r]) => r.Type === 'Custom::MilestoneScheduleSync');
  const importOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({
    'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-Schedules:ExportsOutputFnGetAtt${logicalIdOf(construct)}Arn`)),
  });

  it('are declared by no stack: the campaigns function owns them all, so a deploy never undoes a PATCH', () => {
    for (const stack of Object.values(templates)) {
      expect(stack.findResources('AWS::Scheduler::Schedule', { Properties: { GroupName: Match.anyValue() } })).toEqual({});
    }
  });

  it('are synced by the campaigns function itself at deploy time, through a custom resource it backs', () => {
    expect(syncs).toHaveLength(1);
    const [, sync] = syncs[0]!;
    expect(sync.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [logicalIdOf(campaigns), 'Arn'] },
      GroupName: 'mes-pilotes-naq-milestones',
      TargetArn: importOf(schedules.milestones),
      RoleArn: importOf(schedules.schedulerRole),
      DeadLetterArn: importOf(schedules.deadLetterQueue),
      TimeZone: milestoneScheduleTimeZone,
      Retry: JSON.stringify(milestoneScheduleRetry),
      WriterCode: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('are synced once the campaigns function may write schedules (its role and policy first)', () => {
    const [, sync] = syncs[0]!;
    const roleId = logicalIdOf(campaigns.executionRole);
    const policyIds = Object.keys(templates.api.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
    expect(sync.DependsOn).toEqual(expect.arrayContaining([roleId, ...policyIds]));
  });

  it('are synced again when what a schedule holds changes: the writing code is part of the resource', () => {
    expect(scheduleWriterSources).toEqual(expect.arrayContaining(['layers/adapters/scheduler.ts', 'layers/adapters/schedule-settings.ts']));
  });
});
