import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
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
  readonly fnName: string;

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
    this.fnName = props.fn;
  }

  /** Least privilege on one table, and the variable through which the code learns its name. */
  bindTable({ table, definition, access }: TableBinding): void {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    this.addEnvironment(definition.envVar, table.tableName);
  }

  /** SES sends as the deployment's sender only: the condition pins the From address. */
  allowSendingEmailAs(fromAddress: string): void {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' })],
        conditions: { StringEquals: { 'ses:FromAddress': fromAddress } },
      }),
    );
  }
}
