import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, CustomResource, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { authorizerAudience } from './authorizer';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { milestoneScheduleRetry, milestoneScheduleTimeZone } from '../../layers/adapters/schedule-settings';
import { functionNames, routes, type FunctionName, type Route } from '../../layers/http/routes';
import type { AuthStack } from './auth-stack';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { Attachments } from './attachments';
import { addCapabilityFunction } from './function-config';
import { repoRoot, type HouseFunction, type MilestoneScheduleTarget } from './house-function';

export interface ApiStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly tables: readonly BoundTable[];
  readonly auth: Pick<AuthStack, 'issuerUrl' | 'webClient' | 'duiClients'>;
  readonly logsKey: IKey;
  /** From the Schedules stack: where the campaigns function keeps one-time milestone schedules. */
  readonly milestoneSchedules: MilestoneScheduleTarget;
}

/** A pilot programme's traffic is small; these stop a runaway client long before the account limits. */
export const stageThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/** API access logs are security traces: the CNIL recommends keeping them six months to a year. */
const accessLogRetention = RetentionDays.ONE_YEAR;

// One JSON object per request; ids only (sub, client_id), never an email address.
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
    clientId: '$context.authorizer.claims.client_id',
  }),
);

const originOf = (url: string): string => new URL(url).origin;

/** The code that decides what a one-time schedule holds: a change to it re-syncs every schedule at the next deploy. */
export const scheduleWriterSources = ['layers/adapters/scheduler.ts', 'layers/adapters/schedule-settings.ts', 'layers/domain/milestones.ts'];

/**
 * The HTTP API: one route per entry of the route table, each integrated with the function of its
 * `fn`; every route that is not public goes through the Cognito JWT authorizer.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<FunctionName, HouseFunction>;
  readonly milestoneScheduleSync: CustomResource;
  /** The attachments bucket, its key and its GuardDuty Malware Protection plan (infra/lib/attachments.ts). */
  readonly attachments: Attachments;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { deployment, auth } = props;

    const duiClientIds = [...auth.duiClients.values()].map((client) => client.userPoolClientId);
    this.functions = new Map(functionNames.map((fn) => [fn, addCapabilityFunction(this, fn, { ...props, duiClientIds })] as const));
    this.attachments = new Attachments(this, 'Attachments', { name: `mes-pilotes-${deployment.scope.toLowerCase()}`, webOrigins: [...new Set(deployment.webCallbackUrls.map(originOf))] });
    this.attachments.grantTo(this.functions.get('attachments')!);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `mes-pilotes-${deployment.scope.toLowerCase()}`,
      description: `Mon espace santé en ESMS pilot programme API (${deployment.scope})`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...new Set(deployment.webCallbackUrls.map(originOf))],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
        exposeHeaders: ['etag', 'location'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: accessLogRetention, encryptionKey: props.logsKey });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: stageThrottle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });

    const authorizer = new HttpJwtAuthorizer('CognitoJwt', auth.issuerUrl, {
      authorizerName: 'cognito-jwt',
      // Access tokens are checked on client_id: the web client and each DUI vendor's client, no other.
      jwtAudience: authorizerAudience(auth.webClient.userPoolClientId, duiClientIds),
    });
    const integrations = new Map(
      [...this.functions].map(([fn, handler]) => [fn, new HttpLambdaIntegration(`${fn}-integration`, handler)] as const),
    );
    for (const route of routes) this.addRoute(route, integrations.get(route.fn), authorizer);

    this.milestoneScheduleSync = this.syncMilestoneSchedules(props.milestoneSchedules);

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
  }

  /**
   * The campaigns function owns every one-time milestone schedule: it writes them when a campaign is
   * created or moved, and this custom resource (backed by the same function) asks it to sync every
   * campaign's, seeded ones included, on the first deploy and whenever what a schedule holds changes
   * (target, role, queue, settings, the writing code). CloudFormation itself declares none: no drift.
   */
  private syncMilestoneSchedules(target: MilestoneScheduleTarget): CustomResource {
    const campaigns = this.functions.get('campaigns');
    if (!campaigns) throw new Error('The campaigns function writes the milestone schedules: it must be in functionNames');
    const code = createHash('sha256');
    for (const file of scheduleWriterSources) code.update(readFileSync(path.join(repoRoot, file)));
    const sync = new CustomResource(this, 'MilestoneScheduleSync', {
      serviceToken: campaigns.functionArn,
      resourceType: 'Custom::MilestoneScheduleSync',
      properties: {
        GroupName: target.groupName,
        TargetArn: target.milestoneFunction.functionArn,
        RoleArn: target.schedulerRole.roleArn,
        DeadLetterArn: target.deadLetterQueue.queueArn,
        TimeZone: milestoneScheduleTimeZone,
        Retry: JSON.stringify(milestoneScheduleRetry),
        WriterCode: code.digest('hex').slice(0, 16),
      },
    });
    // Its Scheduler permissions are on its role, beside it: the first sync needs them in place.
    sync.node.addDependency(campaigns.executionRole);
    return sync;
  }

  private addRoute(route: Route, integration: HttpLambdaIntegration | undefined, authorizer: IHttpRouteAuthorizer): void {
    if (!integration) throw new Error(`Route ${route.method} ${route.path} names function "${route.fn}", which is not in functionNames`);
    const isPublic = route.access === 'public';
    const [httpRoute] = this.api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration,
      authorizer: isPublic ? undefined : authorizer,
    });
    if (isPublic && httpRoute) {
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `Public by the route table (layers/http/routes.ts) and API.md: ${route.summary}.`,
      });
    }
  }
}
