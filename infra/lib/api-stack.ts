import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionNames, routes, type FunctionName, type Route } from '../../layers/http/routes';
import type { AuthStack } from './auth-stack';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { addCapabilityFunction } from './function-config';
import type { HouseFunction, MilestoneScheduleTarget } from './house-function';

export interface ApiStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly tables: readonly BoundTable[];
  readonly auth: Pick<AuthStack, 'issuerUrl' | 'webClient' | 'machineClient'>;
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

/**
 * The HTTP API: one route per entry of the route table, each integrated with the function of its
 * `fn`; every route that is not public goes through the Cognito JWT authorizer.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<FunctionName, HouseFunction>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { deployment, auth } = props;

    this.functions = new Map(functionNames.map((fn) => [fn, addCapabilityFunction(this, fn, props)] as const));

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
      jwtAudience: [auth.webClient.userPoolClientId, auth.machineClient.userPoolClientId],
    });
    const integrations = new Map(
      [...this.functions].map(([fn, handler]) => [fn, new HttpLambdaIntegration(`${fn}-integration`, handler)] as const),
    );
    for (const route of routes) this.addRoute(route, integrations.get(route.fn), authorizer);

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
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
