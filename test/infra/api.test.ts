import { Match } from 'aws-cdk-lib/assertions';
import { routeKey, routes } from '../../layers/http/routes';
import { stageThrottle } from '../../infra/lib/api-stack';
import { logicalIdOf, synthesise } from './app-fixture';

const { api, auth, templates } = synthesise({ ars: 'NAQ' });
const template = templates.api;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
const routeResources = new Map<string, Record<string, any>>(ofType('AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties.RouteKey as string, { id, ...r.Properties }]));
const importOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({
  'Fn::ImportValue': Match.stringLikeRegexp(`^MesPilotes-NAQ-Auth:ExportsOutputRef${logicalIdOf(construct)}`),
});

describe('the JWT authorizer', () => {
  it('trusts the tokens of the user pool, for the web client and each DUI vendor\'s client, no other', () => {
    expect([...auth.duiClients.keys()]).toEqual(['dui-local-a', 'dui-local-b']);
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-3.amazonaws.com/', importOf(auth.userPool)]] },
        Audience: [importOf(auth.webClient), ...[...auth.duiClients.values()].map(importOf)],
      },
    });
  });
});

describe('the usage function, which registers reporting clients', () => {
  it('knows the DUI vendors\' client ids, the very ones of the audience (layers/adapters/config.ts)', () => {
    const usage = resources[logicalIdOf(api.functions.get('usage')!)]!.Properties;
    const [, authorizer] = ofType('AWS::ApiGatewayV2::Authorizer')[0]!;
    const [, ...vendorAudience] = authorizer.Properties.JwtConfiguration.Audience as unknown[];
    expect(vendorAudience).toHaveLength(auth.duiClients.size);
    expect(usage.Environment.Variables.DUI_CLIENT_IDS).toEqual({ 'Fn::Join': [',', vendorAudience] });
  });

  it('is the only function that gets them', () => {
    const others = [...api.functions].filter(([fn]) => fn !== 'usage');
    for (const [, handler] of others) expect(resources[logicalIdOf(handler)]!.Properties.Environment.Variables.DUI_CLIENT_IDS).toBeUndefined();
  });
});

describe('the routes', () => {
  it('are exactly those of the route table', () => {
    expect([...routeResources.keys()].sort()).toEqual(routes.map(routeKey).sort());
  });

  const nonPublic = routes.filter((route) => route.access !== 'public');
  const publicRoutes = routes.filter((route) => route.access === 'public');

  it.each(nonPublic.map((route) => [routeKey(route)]))('%s goes through the JWT authorizer', (key) => {
    expect(routeResources.get(key)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it.each(publicRoutes.map((route) => [routeKey(route)]))('%s is public: no authorizer', (key) => {
    const route = routeResources.get(key);
    expect(route).toMatchObject({ AuthorizationType: 'NONE' });
    expect(route).not.toHaveProperty('AuthorizerId');
  });

  it.each(routes.map((route) => [routeKey(route), route.fn]))('%s is served by the %s function', (key, fn) => {
    const integrationId = routeResources.get(key)!.Target['Fn::Join'][1][1].Ref as string;
    const handler = api.functions.get(fn)!;
    expect(resources[integrationId]!.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(handler), 'Arn'] },
    });
  });

  it('let API Gateway invoke each function for its own routes only', () => {
    for (const route of routes) {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [logicalIdOf(api.functions.get(route.fn)!), 'Arn'] },
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalIdOf(api.api) }, `/*/*${route.path}`])] },
      });
    }
    const apiGateway = Object.values(template.findResources('AWS::Lambda::Permission')).filter((permission) => permission.Properties.Principal === 'apigateway.amazonaws.com');
    expect(apiGateway).toHaveLength(routes.length);
    // The one other: EventBridge delivers GuardDuty's scan results to the attachments function (test/infra/attachments.test.ts).
    template.resourceCountIs('AWS::Lambda::Permission', routes.length + 1);
  });
});

describe('the default stage', () => {
  const [stageId, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;

  it('is the only stage, deployed automatically and throttled', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    expect(stageId).toBeDefined();
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: stageThrottle.burstLimit, ThrottlingRateLimit: stageThrottle.rateLimit },
    });
  });

  it('writes JSON access logs to a log group with a retention', () => {
    const destination = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources[destination]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(Object.values(format).join(' ')).not.toMatch(/email/);
  });
});

it('answers CORS preflights for the web origin only', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
    ProtocolType: 'HTTP',
    CorsConfiguration: Match.objectLike({ AllowOrigins: ['http://localhost:3000'], AllowCredentials: Match.absent() }),
  });
});

it('outputs the API URL', () => {
  template.hasOutput('ApiUrl', { Value: Match.anyValue() });
});
