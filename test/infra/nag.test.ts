import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Function as LambdaFunction, InlineCode, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildWithoutBundling, synthesise } from './app-fixture';

// Under jest the synth throws on any unacknowledged cdk-nag error, with the report in the message.
const built = synthesise({ ars: 'NAQ' });
const stacks = [built.data, built.auth, built.notifications, built.api, built.schedules, built.monitoring, built.web];
const packs = [
  ['AwsSolutions', () => new AwsSolutionsChecks(undefined, { verbose: true })],
  ['HIPAA.Security', () => new HIPAASecurityChecks(undefined, { verbose: true })],
] as const;

/** Every acknowledgement in the app, as `<rule id>` → reasons. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason: String(reason) })),
  );
}

describe.each(packs)('cdk-nag %s', (prefix, pack) => {
  it('finds no unacknowledged error or warning', () => {
    const report = pack().validateScope(built.app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no error or warning annotation on any stack', () => {
    for (const stack of stacks) {
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findError('*', Match.stringLikeRegexp(`${prefix.replace('.', '\\.')}-.*`))).toEqual([]);
      expect(annotations.findWarning('*', Match.stringLikeRegexp(`${prefix.replace('.', '\\.')}-.*`))).toEqual([]);
    }
  });
});

describe('cdk-nag on every synth', () => {
  type ValidationReport = { pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string }> }> };
  /** The report the synth writes whenever a validation plugin is registered: a missing one fails the test. */
  function reportIn(directory: string): ValidationReport {
    const reportFile = path.join(directory, 'validation-report.json');
    expect({ reportFile, exists: fs.existsSync(reportFile) }).toEqual({ reportFile, exists: true });
    return JSON.parse(fs.readFileSync(reportFile, 'utf-8')) as ValidationReport;
  }

  it('leaves no violation of either pack in the report of the synth', () => {
    // The same app with one unprotected queue: its report names the pack and the rule, so an empty report below
    // is the packs' verdict, not packs that did not run.
    const { data } = buildWithoutBundling({ ars: 'NAQ' });
    new Queue(data, 'PlainQueue', { encryption: QueueEncryption.SQS_MANAGED });
    const probe = data.node.root as App;
    expect(() => probe.synth()).toThrow(/AwsSolutions-SQS4/);
    const probed = reportIn(probe.outdir).pluginReports.map((plugin) => ({ plugin: plugin.pluginName, conclusion: plugin.conclusion, rules: plugin.violations.map((v) => v.ruleName) }));
    expect(probed).toContainEqual({ plugin: 'AwsSolutions', conclusion: 'failure', rules: expect.arrayContaining(['AwsSolutions-SQS4']) });

    const assembly = built.app.synth();
    expect(reportIn(assembly.directory).pluginReports).toEqual([]);
  });

  it('leaves no error annotation at all on any stack', () => {
    for (const stack of stacks) expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  it('runs AwsSolutions: an unacknowledged error fails the synth', () => {
    const { data } = buildWithoutBundling({ ars: 'NAQ' });
    new Queue(data, 'PlainQueue', { encryption: QueueEncryption.SQS_MANAGED });
    expect(() => (data.node.root as App).synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('runs HIPAA Security: an unacknowledged error fails the synth', () => {
    const { data } = buildWithoutBundling({ ars: 'NAQ' });
    new LambdaFunction(data, 'PlainFunction', { runtime: Runtime.NODEJS_24_X, handler: 'index.handler', code: new InlineCode('exports.handler = async () => {}') });
    expect(() => (data.node.root as App).synth()).toThrow(/HIPAA\.Security-LambdaDLQ/);
  });

  it('bites: an unprotected table is reported by both packs', () => {
    const app = new App();
    new Table(new Stack(app, 'Probe'), 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    expect(new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName)).toContain('AwsSolutions-DDB3');
    expect(new HIPAASecurityChecks().validateScope(app).violations.map((v) => v.ruleName)).toContain('HIPAA.Security-DynamoDBPITREnabled');
  });
});

describe('the acknowledgements', () => {
  const acks = acknowledgements(built.app);

  it('each give a reason a reviewer can check', () => {
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect({ ...ack, reason: ack.reason.length >= 40 }).toEqual({ ...ack, reason: true });
  });

  it('are only the reviewed ones: a new one must be added here on purpose', () => {
    const reviewed = [
      /^AwsSolutions-APIG4$/, // public routes of the route table
      /^AwsSolutions-COG2$/, // MFA optional for self sign-up
      /^AwsSolutions-IAM5\[Resource::\*\]$/, // X-Ray on function roles
      /^AwsSolutions-IAM5\[Action::kms:(ReEncrypt|GenerateDataKey)\*\]$/, // DynamoDB with the table key
      /^AwsSolutions-IAM5\[Resource::<MilestonesFunction[0-9A-F]{8}\.Arn>:\*\]$/, // scheduler invokes the milestone function
      // the campaigns function names schedules per campaign, inside its own group only
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule\/mes-pilotes-[a-z]+-milestones\/\*\]$/,
      /^AwsSolutions-SQS3$/, // the dead-letter queue itself
      /^HIPAA\.Security-IAMNoInlinePolicy$/, // per-role policies written by CDK grants
      /^HIPAA\.Security-LambdaInsideVPC$/, // functions reach AWS APIs only
      /^HIPAA\.Security-LambdaConcurrency$/, // bounded upstream; reservations would break small accounts
      /^HIPAA\.Security-LambdaDLQ$/, // synchronous (API) or CloudFormation-driven (seed) invocations
      /^HIPAA\.Security-DynamoDBInBackupPlan$/, // PITR is the backup
      // Web stack: CDK's BucketDeployment (its grants, its pinned runtime) and the public static site
      /^AwsSolutions-IAM5\[Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\*\]$/,
      /^AwsSolutions-IAM5\[Resource::<Site[0-9A-F]{8}\.Arn>\/\*\]$/,
      /^AwsSolutions-IAM5\[Resource::arn:aws:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-eu-west-3\/\*\]$/,
      /^AwsSolutions-L1$/, // BucketDeployment's handler
      /^AwsSolutions-S1$/, /^HIPAA\.Security-S3BucketLoggingEnabled$/, // the access-log bucket itself
      /^HIPAA\.Security-S3DefaultEncryptionKMS$/, // public site files; S3 access logs take SSE-S3 only
      /^HIPAA\.Security-S3BucketReplicationEnabled$/, // rebuilt from git; logs need no second region
      /^AwsSolutions-CFR1$/, // no geo restriction for a national public service
      /^AwsSolutions-CFR2$/, // no WAF yet (us-east-1 web ACL, fixed cost)
      /^AwsSolutions-CFR4$/, // default *.cloudfront.net certificate until a custom domain
      // Attachments (infra/lib/attachments.ts): the function signs for objects under applications/; GuardDuty's documented scan role
      /^AwsSolutions-IAM5\[Resource::<AttachmentsBucket[0-9A-F]{8}\.Arn>\/(applications\/)?\*\]$/,
      /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule\/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3\*\]$/,
    ];
    expect(acks.filter((ack) => !reviewed.some((pattern) => pattern.test(ack.id)))).toEqual([]);
  });

  it('leave the DLQ finding to the functions invoked synchronously: the milestone function has its queue', () => {
    const dlq = acks.filter((ack) => ack.id === 'HIPAA.Security-LambdaDLQ').map((ack) => ack.path);
    expect(dlq.filter((p) => p.includes('Milestones'))).toEqual([]);
    expect(dlq).toContain(built.api.functions.get('campaigns')!.node.path);
  });

  it('never silence a whole stack or the app', () => {
    const broad = new Set([built.app.node.path, ...stacks.map((stack) => stack.node.path)]);
    expect(acks.filter((ack) => broad.has(ack.path))).toEqual([]);
  });
});
