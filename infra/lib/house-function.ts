import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../layers/adapters/tables';
import type { Deployment } from './deployment';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** The newest Node.js runtime this CDK version knows (cdk-nag AwsSolutions-L1 asks for it). */
export const houseRuntime = Runtime.NODEJS_24_X;

/** Function logs hold ids and codes only (see layers/adapters/logger.ts); three months covers an incident review. */
export const functionLogRetention = RetentionDays.THREE_MONTHS;

/** Variables every function gets from the deployment; callers may not override them. */
const reservedEnvironment = ['DEPLOYMENT_ARS', 'MAIL_FROM', 'NODE_OPTIONS'] as const;

const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const tableWriteActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
// The same key actions as CDK's own Table.grantReadData / grantReadWriteData.
const keyReadActions = ['kms:Decrypt', 'kms:DescribeKey'];
const keyWriteActions = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

// esbuild's ESM output has no `require`; some CommonJS dependencies still call it.
const esmRequireBanner = "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

export interface HouseFunctionProps {
  /** The capability folder: the code is functions/<fn>/handler.ts, exporting `handler`. */
  readonly fn: string;
  readonly deployment: Pick<Deployment, 'scope' | 'senderEmail'>;
  readonly description?: string;
  readonly memorySize?: number;
  /** Default 15 s: an HTTP integration gives up after 30 s anyway. */
  readonly timeout?: Duration;
  readonly environment?: Readonly<Record<string, string>>;
}

export interface TableBinding {
  readonly table: ITable;
  readonly definition: TableDefinition;
  readonly access: 'read' | 'readWrite';
}

/**
 * Our defaults for every Lambda function: arm64, current Node.js, ESM bundle built by the local
 * esbuild, source maps, X-Ray, an explicit log group with retention and a role that starts empty
 * (no AWS managed policy): each permission is granted by name below or by the stack.
 */
export class HouseFunction extends NodejsFunction {
  /** Starts with no policy but its own log group's; every grant lands here. */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    for (const key of reservedEnvironment) {
      if (props.environment && key in props.environment) throw new Error(`${id}: environment variable ${key} is reserved`);
    }
    // Built before super() because NodejsFunction takes them as props; they sit beside the function.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: functionLogRetention });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.fn} function of ${props.deployment.scope}`,
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only X-Ray tracing uses Resource "*": xray:PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
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
      environment: {
        ...props.environment,
        DEPLOYMENT_ARS: props.deployment.scope,
        MAIL_FROM: props.deployment.senderEmail,
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
        // The runtime ships AWS SDK v3, so it stays out of the bundle for now; the cold-start bench
        // decides whether bundling our pinned version (tree-shaken) is faster.
        bundleAwsSDK: false,
      },
    });
    this.executionRole = role;
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
