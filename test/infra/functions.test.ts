import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { mainTable, tables } from '../../layers/adapters/tables';
import { functionNames } from '../../layers/http/routes';
import { functionConfig, type AnyFunctionName } from '../../infra/lib/function-config';
import type { HouseFunction } from '../../infra/lib/house-function';
import { milestoneSchedulingActions } from '../../infra/lib/house-function';
import { logicalIdOf, synthesise } from './app-fixture';

const built = synthesise({ ars: 'NAQ', senderEmail: 'ne-pas-repondre@naq.example' });
const { api, data, schedules, templates } = built;

interface Deployed {
  readonly fn: AnyFunctionName;
  readonly handler: HouseFunction;
  readonly template: Template;
}
const deployed: Deployed[] = [
  ...functionNames.map((fn) => ({ fn, handler: api.functions.get(fn)!, template: templates.api })),
  { fn: 'milestones', handler: schedules.milestones, template: templates.schedules },
];
const cases = deployed.map((d) => [d.fn, d] as const);

const resource = (d: Deployed, id: string) => d.template.toJSON().Resources[id] as { Type: string; Properties: Record<string, any> };
const functionProperties = (d: Deployed) => resource(d, logicalIdOf(d.handler)).Properties;
const statementsOf = (d: Deployed): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> => {
  const roleId = logicalIdOf(d.handler.executionRole);
  const policies = Object.values(d.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
};
const actionsOf = (d: Deployed): string[] => statementsOf(d).flatMap((s) => [s.Action].flat());

it('deploys one function per function of the route table, plus the milestone function', () => {
  templates.api.resourceCountIs('AWS::Lambda::Function', functionNames.length);
  templates.schedules.resourceCountIs('AWS::Lambda::Function', 1);
});

describe.each(cases)('the %s function', (fn, d) => {
  it('runs the house runtime on arm64 with X-Ray', () => {
    expect(functionProperties(d)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      Timeout: functionConfig(fn).timeout.toSeconds(),
    });
  });

  it('gets the deployment variables and the name of each table', () => {
    const variables = functionProperties(d).Environment.Variables as Record<string, unknown>;
    expect(variables).toMatchObject({
      DEPLOYMENT_ARS: 'NAQ',
      MAIL_FROM: 'ne-pas-repondre@naq.example',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'mes-pilotes',
      POWERTOOLS_METRICS_NAMESPACE: 'MesPilotes',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    for (const definition of tables) {
      const tableName = { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-Data:ExportsOutputRef${definition.id}Table`)) };
      expect(variables[definition.envVar]).toEqual(functionConfig(fn).tableAccess === 'none' ? undefined : tableName);
    }
  });

  it('logs to its own log group, kept three months, encrypted with the logs key', () => {
    const logGroupId = functionProperties(d).LoggingConfig.LogGroup.Ref as string;
    expect(resource(d, logGroupId)).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        RetentionInDays: 90,
        KmsKeyId: { 'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-Data:ExportsOutputFnGetAtt${logicalIdOf(data.logsKey)}Arn`)) },
      },
    });
  });

  it('has a role with no AWS managed policy', () => {
    const role = resource(d, logicalIdOf(d.handler.executionRole));
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('may use the main table and its own indexes, never Scan, nothing else in DynamoDB', () => {
    const dynamo = statementsOf(d).filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    if (functionConfig(fn).tableAccess === 'none') {
      expect(dynamo).toEqual([]);
      return;
    }
    expect(dynamo).toHaveLength(1);
    const tableArn = { 'Fn::ImportValue': expect.stringMatching(/^MesPilotes-NAQ-Data:ExportsOutputFnGetAttMainTable.*Arn/) };
    expect(dynamo[0]!.Resource).toEqual([
      tableArn,
      ...mainTable.globalIndexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.indexName}`]] })),
    ]);
    const actions = [dynamo[0]!.Action].flat();
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    if (functionConfig(fn).tableAccess === 'readWrite') expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    else expect(actions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
  });

  it('may use the table key (when it uses the tables) and no other', () => {
    const kms = statementsOf(d).filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    const tableKey = { 'Fn::ImportValue': expect.stringMatching(/^MesPilotes-NAQ-Data:ExportsOutputFnGetAttTablesKey.*Arn/) };
    // The attachments function also uses the attachments bucket's key (infra/lib/attachments.ts, test/infra/attachments.test.ts).
    const attachmentsKey = { 'Fn::GetAtt': [expect.stringMatching(/^AttachmentsKey/), 'Arn'] };
    expect(kms.map((s) => s.Resource)).toEqual([...(functionConfig(fn).tableAccess === 'none' ? [] : [tableKey]), ...(fn === 'attachments' ? [attachmentsKey] : [])]);
  });

  it(functionConfig(fn).sendsEmail ? 'may send email, only as the sender' : 'may not send email', () => {
    const ses = statementsOf(d).filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:')));
    if (!functionConfig(fn).sendsEmail) {
      expect(ses).toEqual([]);
      return;
    }
    expect(ses).toHaveLength(1);
    expect(ses[0]).toMatchObject({
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Condition: { StringEquals: { 'ses:FromAddress': 'ne-pas-repondre@naq.example' } },
    });
    expect(JSON.stringify(ses[0]!.Resource)).not.toMatch(/identity\/\*/);
  });

  it('uses Resource "*" for X-Ray only, which has no resource-level permissions', () => {
    const everywhere = statementsOf(d).filter((s) => s.Resource === '*');
    expect(everywhere.flatMap((s) => [s.Action].flat()).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  // Beyond these, only the campaigns function schedules milestones and the milestone function parks failed runs.
  const extra: Record<string, string[]> = {
    campaigns: [...milestoneSchedulingActions, 'iam:PassRole'],
    milestones: ['sqs:SendMessage'],
    attachments: ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectTagging', 's3:ListBucket', 's3:PutObject'],
  };
  it('has no permission outside logs, X-Ray, DynamoDB, KMS and SES but its own few', () => {
    const others = actionsOf(d).filter((a) => !/^(logs|xray|dynamodb|kms|ses):/.test(a));
    expect(others.sort()).toEqual([...(extra[fn] ?? [])].sort());
  });
});

describe('the campaigns function, which keeps one-time milestone schedules', () => {
  const campaigns = deployed.find((d) => d.fn === 'campaigns')!;
  const importOf = (construct: Parameters<typeof logicalIdOf>[0], attribute: string) => ({
    'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-Schedules:ExportsOutputFnGetAtt${logicalIdOf(construct)}${attribute}`)),
  });

  it('gets the scheduler adapter its configuration (layers/adapters/scheduler.ts)', () => {
    expect(functionProperties(campaigns).Environment.Variables).toMatchObject({
      SCHEDULE_GROUP_NAME: 'mes-pilotes-naq-milestones',
      MILESTONE_FUNCTION_ARN: importOf(schedules.milestones, 'Arn'),
      SCHEDULER_ROLE_ARN: importOf(schedules.schedulerRole, 'Arn'),
      SCHEDULER_DLQ_ARN: importOf(schedules.deadLetterQueue, 'Arn'),
    });
  });

  it('may create, update, delete and read schedules of its own group only', () => {
    const scheduling = statementsOf(campaigns).filter((s) => [s.Action].flat().some((a) => a.startsWith('scheduler:')));
    expect(scheduling).toHaveLength(1);
    expect([scheduling[0]!.Action].flat().sort()).toEqual(
      ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'],
    );
    expect(scheduling[0]!.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':schedule/mes-pilotes-naq-milestones/*']],
    });
    expect(scheduling[0]!.Condition).toBeUndefined();
  });

  it('may pass the scheduler role, to EventBridge Scheduler only, and no other role', () => {
    const passRole = statementsOf(campaigns).filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: importOf(schedules.schedulerRole, 'Arn'),
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('is the only function that may touch schedules or pass a role', () => {
    for (const d of deployed.filter((other) => other.fn !== 'campaigns')) {
      expect(actionsOf(d).filter((a) => a.startsWith('scheduler:') || a.startsWith('iam:'))).toEqual([]);
    }
  });
});

describe('the milestone function', () => {
  const milestones = deployed.find((d) => d.fn === 'milestones')!;

  it('parks an event it failed, after Lambda\'s own retries, in the milestone dead-letter queue', () => {
    const queueArn = { 'Fn::GetAtt': [logicalIdOf(schedules.deadLetterQueue), 'Arn'] };
    expect(functionProperties(milestones).DeadLetterConfig).toEqual({ TargetArn: queueArn });
    const sqs = statementsOf(milestones).filter((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sqs).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queueArn }]);
  });
});

it('keeps the campaigns function away from SES', () => {
  const campaigns = deployed.find((d) => d.fn === 'campaigns')!;
  expect(actionsOf(campaigns).filter((a) => a.startsWith('ses:'))).toEqual([]);
});

describe('the bundles', () => {
  const assembly = built.app.synth();
  const bundles = fs
    .readdirSync(assembly.directory)
    .filter((entry) => entry.startsWith('asset.') && fs.existsSync(path.join(assembly.directory, entry, 'index.mjs')));

  it('are ESM with a require shim and a source map, one per function', () => {
    // One per capability function, plus the Auth stack's pre-token trigger (test/infra/auth.test.ts).
    expect(bundles).toHaveLength(deployed.length + 1);
    for (const bundle of bundles) {
      const code = fs.readFileSync(path.join(assembly.directory, bundle, 'index.mjs'), 'utf-8');
      expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(fs.existsSync(path.join(assembly.directory, bundle, 'index.mjs.map'))).toBe(true);
    }
  });

  it('leave the AWS SDK to the runtime', () => {
    for (const bundle of bundles) {
      const code = fs.readFileSync(path.join(assembly.directory, bundle, 'index.mjs'), 'utf-8');
      expect(code).not.toMatch(/class DynamoDBClient\b/);
    }
  });
});
