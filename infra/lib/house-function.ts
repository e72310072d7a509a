import * as path from 'node:path';
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../layers/adapters/tables';
import type { Deployment } from './deployment';
import { powertoolsEnvironment } from './metrics';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** The newest Node.js runtime this CDK version knows (cdk-nag AwsSolutions-L1 asks for it). */
export const houseRuntime = Runtime.NODEJS_24_X;

/** Function logs hold ids and codes only (see layers/adapters/logger.ts); three months covers an incident review. */
export const functionLogRetention = RetentionDays.THREE_MONTHS;

/** Variables every function gets from the deployment; callers may not override them. */
const reservedEnvironment = ['DEPLOYMENT_ARS', 'MAIL_FROM', 'ARS_MAILBOX', 'NODE_OPTIONS', ...Object.keys(powertoolsEnvironment)] as const;

const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
// The same key actions as CDK's own Table.grantReadData / grantReadWriteData.
const keyReadActions = ['kms:Decrypt', 'kms:DescribeKey'];
const keyWriteActions = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

// esbuild's ESM output has no `require`; some CommonJS dependencies still call it, and so do the lazy modules' loads.
export const esmRequireBanner = "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

/**
 * A lazy module is left out of index.mjs and bundled on its own into node_modules/<name>/ beside it, where the
 * function's `await import('<name>')` finds it: the cold start never parses it (exceljs is +1 MB of JavaScript,
 * about +40 ms of import CPU measured for the exports function), only the request that needs it loads it.
 */
export function lazyModuleCommands(name: string, outputDir: string, target: string): string[] {
  const esbuild = path.join(repoRoot, 'node_modules', '.bin', 'esbuild');
  const dir = path.join(outputDir, 'node_modules', name);
  const entry = path.join(repoRoot, 'node_modules', name);
  return [
    `"${esbuild}" "${entry}" --bundle --platform=node --target=${target} --format=cjs --minify --log-level=warning --outfile="${path.join(dir, 'index.js')}"`,
    `printf '%s\n' '{"name":"${name}","main":"index.js"}' > "${path.join(dir, 'package.json')}"`,
  ];
}

/** A folder of the repository copied beside index.mjs under its own name (the PDF fonts, read from LAMBDA_TASK_ROOT). */
export const bundledFolderCommands = (folder: string, outputDir: string): string[] => [`cp -R "${path.join(repoRoot, folder)}" "${path.join(outputDir, path.basename(folder))}"`];

export interface HouseFunctionProps {
  /** The capability folder: the code is functions/<fn>/handler.ts, exporting `handler`. */
  readonly fn: string;
  readonly deployment: Pick<Deployment, 'scope' | 'senderEmail' | 'arsMailbox'>;
  readonly description?: string;
  readonly memorySize?: number;
  /** Default 15 s: an HTTP integration gives up after 30 s anyway. */
  readonly timeout?: Duration;
  readonly environment?: Readonly<Record<string, string>>;
  /** Encrypts the function's log group (CloudWatch Logs encrypts with it; the function needs no grant). */
  readonly logsKey: IKey;
  /** For functions invoked asynchronously: where an event lands once Lambda's own retries are spent. */
  readonly deadLetterQueue?: IQueue;
  /** Packages the code loads only by `await import()` on a rare path (see lazyModuleCommands). */
  readonly lazyModules?: readonly string[];
  /** Folders of the repository copied beside index.mjs under their own name (the PDF fonts: layers/documents/fonts). */
  readonly bundledFolders?: readonly string[];
}

/** What the campaigns capability needs to keep one-time milestone schedules in step with a campaign. */
export interface MilestoneScheduleTarget {
  /** The schedule group holding the one-time schedules of this deployment (only those). */
  readonly groupName: string;
  readonly milestoneFunction: IFunction;
  /** The role EventBridge Scheduler assumes to invoke the milestone function and write to the DLQ. */
  readonly schedulerRole: IRole;
  readonly deadLetterQueue: IQueue;
}

/** The Scheduler calls of layers/adapters/scheduler.ts, plus GetSchedule to read one back; nothing else. */
export const milestoneSchedulingActions = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'] as const;

export interface TableBinding {
  readonly table: ITable;
  readonly definition: TableDefinition;
  readonly access: 'read' | 'readWrite';
}

/** How cdk-nag prints the ARN of every schedule in a group (its finding id for the wildcard). */
const schedulesOfGroupForNag = (groupName: string): string =>
  `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/*`;

/**
 * Our defaults for every Lambda function: arm64, current Node.js, ESM bundle built by the local
 * esbuild, source maps, X-Ray, the Powertools settings, an explicit log group with retention encrypted
 * with the logs key, and a role that starts empty (no AWS managed policy): each permission is granted
 * by name below or by the stack.
 */
export class HouseFunction extends NodejsFunction {
  /** Starts with no policy but its own log group's; every grant lands here. */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    for (const key of reservedEnvironment) {
      if (props.environment && key in props.environment) throw new Error(`${id}: environment variable ${key} is reserved`);
    }
    // Built before super() because NodejsFunction takes them as props; they sit beside the function.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: functionLogRetention, encryptionKey: props.logsKey });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.fn} function of ${props.deployment.scope}`,
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only X-Ray tracing uses Resource "*": xray:PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
    });
    Validations.of(role).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason: 'The policy CDK writes from our grants belongs to this one role and dies with it; a managed policy would be a reusable object that narrows nothing.',
    });

    super(scope, id, {
      description: props.description ?? `${props.fn} (${props.deployment.scope})`,
      entry: path.join(repoRoot, 'functions', props.fn, 'handler.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      runtime: houseRuntime,
      architecture: Architecture.ARM_64,
      // A first guess; the cold-start bench decides (more memory also buys CPU on Lambda).
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(15),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        ...props.environment,
        ...powertoolsEnvironment,
        DEPLOYMENT_ARS: props.deployment.scope,
        MAIL_FROM: props.deployment.senderEmail,
        ARS_MAILBOX: props.deployment.arsMailbox,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Stack traces only need the mappings, not a copy of the sources.
        sourcesContent: false,
        // Measured (npm run bench, bench/results.md): bundling our pinned, tree-shaken SDK cuts import CPU by
        // about 44% for 79% more package size, and runs in Lambda the SDK version the tests ran against.
        bundleAwsSDK: true,
        ...(props.lazyModules?.length ? { externalModules: [...props.lazyModules] } : {}),
        ...(props.lazyModules?.length || props.bundledFolders?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_input: string, output: string) => [
                  ...(props.lazyModules ?? []).flatMap((name) => lazyModuleCommands(name, output, 'node24')),
                  ...(props.bundledFolders ?? []).flatMap((folder) => bundledFolderCommands(folder, output)),
                ],
              },
            }
          : {}),
      },
    });
    this.executionRole = role;
    this.acknowledgeHipaaFindings(props);
  }

  private acknowledgeHipaaFindings(props: HouseFunctionProps): void {
    Validations.of(this).acknowledge({
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason: 'The function reaches only AWS APIs (DynamoDB, SES, Scheduler) over TLS with IAM; there is no private resource to reach, and a VPC would add NAT or endpoints to run.',
    });
    Validations.of(this).acknowledge({
      id: 'HIPAA.Security-LambdaConcurrency',
      reason: 'Load is bounded upstream (stage throttle 50 req/s; a few scheduled runs a day); reserving concurrency would carve the account pool and fail deploys in accounts with the default quota.',
    });
    if (!props.deadLetterQueue) {
      Validations.of(this).acknowledge({
        id: 'HIPAA.Security-LambdaDLQ',
        reason: 'Invoked synchronously by API Gateway: a failure is answered to the caller and logged; a Lambda DLQ only ever receives asynchronous invocations.',
      });
    }
  }

  /**
   * Least privilege on one table: its own indexes by name (no `index/*`), and no Scan at all, since
   * every question the code asks has a key or an index. The table key follows the same split.
   */
  bindTable({ table, definition, access }: TableBinding): void {
    const indexArns = definition.globalIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: access === 'read' ? [...tableReadActions] : [...tableReadActions, ...tableWriteActions],
        resources: [table.tableArn, ...indexArns],
      }),
    );
    if (table.encryptionKey) {
      table.encryptionKey.grant(this, ...(access === 'read' ? keyReadActions : [...keyReadActions, ...keyWriteActions]));
      if (access === 'readWrite') {
        const reason = 'The actions DynamoDB needs to encrypt items with the customer-managed table key, granted on that key only.';
        Validations.of(this.executionRole).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason });
        Validations.of(this.executionRole).acknowledge({ id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason });
      }
    }
    this.addEnvironment(definition.envVar, table.tableName);
  }

  /**
   * Lets the function keep one-time schedules in the deployment's schedule group (env contract of
   * layers/adapters/scheduler.ts) and hand Scheduler the one role it may pass, to Scheduler only.
   */
  allowSchedulingMilestones(target: MilestoneScheduleTarget): void {
    this.addEnvironment('SCHEDULE_GROUP_NAME', target.groupName);
    this.addEnvironment('MILESTONE_FUNCTION_ARN', target.milestoneFunction.functionArn);
    this.addEnvironment('SCHEDULER_ROLE_ARN', target.schedulerRole.roleArn);
    this.addEnvironment('SCHEDULER_DLQ_ARN', target.deadLetterQueue.queueArn);
    // Pseudo parameters rather than formatArn: the same ARN (and cdk-nag finding) with or without an account at synth.
    const schedulesOfGroup = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${target.groupName}/*`;
    this.addToRolePolicy(new PolicyStatement({ actions: [...milestoneSchedulingActions], resources: [schedulesOfGroup] }));
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [target.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(this.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${schedulesOfGroupForNag(target.groupName)}]`,
      reason: 'Schedules are named per campaign at run time (<campaign>--<milestone>); the wildcard stays inside this deployment\'s own schedule group.',
    });
  }

  /**
   * SES may send as the deployment's sender only: its address identity or its domain's, and the
   * From address pinned by condition. (An SES account still in the sandbox also checks recipients.)
   */
  allowSendingEmailAs(fromAddress: string): void {
    const stack = Stack.of(this);
    const domain = fromAddress.slice(fromAddress.indexOf('@') + 1);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [fromAddress, domain].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
        conditions: { StringEquals: { 'ses:FromAddress': fromAddress } },
      }),
    );
  }
}
