import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { DeploymentContextError, webCallbackPath } from '../../infra/lib/deployment';
import { repoRoot } from '../../infra/lib/house-function';
import { contentSecurityPolicy } from '../../infra/lib/web-headers';
import { apiPathPatterns, spaFallbackCode } from '../../infra/lib/web-stack';
import { routes } from '../../layers/http/routes';
import { cognitoLogoutUrl } from '../../web/src/api/cognito-logout';
import { buildWithoutBundling, logicalIdOf, synthesise } from './app-fixture';

const { app, auth, api, web, templates } = synthesise({ ars: 'NAQ' });
const template = templates.web;
type Resource = { Type: string; Properties: Record<string, any> };
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const siteId = logicalIdOf(web.bucket);
const distribution = resources[logicalIdOf(web.distribution)]!.Properties.DistributionConfig as Record<string, any>;
const originOf = (behavior: Record<string, any>) => (distribution.Origins as Array<Record<string, any>>).find((o) => o.Id === behavior.TargetOriginId)!;
const behaviorFor = (pattern: string) => (distribution.CacheBehaviors as Array<Record<string, any>>).find((b) => b.PathPattern === pattern)!;
const importFromAuth = (construct: Parameters<typeof logicalIdOf>[0]) => ({
  'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-Auth:ExportsOutputRef${logicalIdOf(construct)}`)),
});

/** The directives of a Content-Security-Policy, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...values]) => [name!, values]));
}

describe('the site bucket', () => {
  const bucket = resources[siteId]!.Properties;

  it('is private: every public access blocked, objects owned by the bucket (no ACL)', () => {
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
  });

  it('is encrypted, versioned and logs its accesses', () => {
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration.DestinationBucketName.Ref).toMatch(/^AccessLogs/);
  });

  it('lets only this distribution read it, and nobody over plain HTTP', () => {
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === siteId)!;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':distribution/', { Ref: logicalIdOf(web.distribution) }])] } } },
    });
  });
});

describe('the distribution', () => {
  it('reads the bucket through origin access control (signed requests), not a public endpoint', () => {
    const origin = originOf(distribution.DefaultCacheBehavior);
    expect(origin.DomainName).toEqual({ 'Fn::GetAtt': [siteId, 'RegionalDomainName'] });
    expect(origin.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
  });

  it('serves the web app by default, over HTTPS, with the SPA fallback on viewer requests', () => {
    const behavior = distribution.DefaultCacheBehavior;
    expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true, CachePolicyId: CachePolicy.CACHING_OPTIMIZED.cachePolicyId });
    const [functionId, fn] = ofType('AWS::CloudFront::Function')[0]!;
    expect(behavior.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } }]);
    expect(fn.Properties).toMatchObject({ FunctionCode: spaFallbackCode, FunctionConfig: { Runtime: 'cloudfront-js-2.0' }, AutoPublish: true });
  });

  it('has no custom error responses, which would turn the API\'s 403 and 404 into the HTML page', () => {
    expect(distribution.CustomErrorResponses).toBeUndefined();
  });

  it.each([['/v1/*'], ['/docs*']])('routes %s to the HTTP API, uncached, with every viewer header but Host', (pattern) => {
    const behavior = behaviorFor(pattern);
    expect(behavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    });
    expect(behavior.AllowedMethods).toHaveLength(7);
    expect(behavior.FunctionAssociations).toBeUndefined();
    const origin = originOf(behavior);
    expect(origin.DomainName).toEqual({
      'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-Api:ExportsOutputRef${logicalIdOf(api.api)}`)) }, '.execute-api.eu-west-3.', { Ref: 'AWS::URLSuffix' }]],
    });
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('routes to the API every path of the route table, and nothing else', () => {
    expect((distribution.CacheBehaviors as Array<{ PathPattern: string }>).map((b) => b.PathPattern).sort()).toEqual(['/docs*', '/v1/*']);
    // CloudFront patterns: * matches anything, slashes included.
    const patterns = apiPathPatterns.map((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    for (const route of routes) expect({ path: route.path, routed: patterns.some((p) => p.test(route.path)) }).toEqual({ path: route.path, routed: true });
  });

  it('logs its requests to the access-log bucket, which keeps them a year', () => {
    expect(distribution.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^AccessLogs/), 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
    const [, logs] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('AccessLogs'))!;
    expect(logs.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
    });
    expect(logs.Properties.AccessControl).toBeUndefined();
  });

  it('says where to open the app', () => {
    template.hasOutput('WebUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(web.distribution), 'DomainName'] }]] } });
  });
});

describe('the SPA fallback function', () => {
  // The CloudFront Function, run as CloudFront would: it gets the viewer request, returns the one to send on.
  const handler = new Function(`${spaFallbackCode}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
  const uriFor = (uri: string) => handler({ request: { uri } }).uri;

  it.each([['/'], ['/connexion/retour'], ['/dossiers/123/convention'], ['/campagnes/mes-esms-2023']])('serves index.html for the route %s', (uri) => {
    expect(uriFor(uri)).toBe('/index.html');
  });

  it.each([['/config.json'], ['/assets/index-4f3a2b.js'], ['/dsfr/dsfr.min.css'], ['/dsfr/fonts/Marianne-Regular.woff2'], ['/favicon.ico']])('leaves the file %s alone', (uri) => {
    expect(uriFor(uri)).toBe(uri);
  });
});

describe('the security headers', () => {
  const policies = new Map(ofType('AWS::CloudFront::ResponseHeadersPolicy').map(([id, r]) => [id, r.Properties.ResponseHeadersPolicyConfig as Record<string, any>]));
  const webPolicy = policies.get(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref)!;
  const apiPolicy = policies.get(behaviorFor('/v1/*').ResponseHeadersPolicyId.Ref)!;
  const csp = directives(webPolicy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);

  it('give the web app a CSP that runs scripts from its own origin only', () => {
    expect(webPolicy.SecurityHeadersConfig.ContentSecurityPolicy.Override).toBe(true);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    for (const directive of ['default-src', 'script-src']) {
      expect(csp.get(directive)).not.toContain("'unsafe-inline'");
      expect(csp.get(directive)).not.toContain("'unsafe-eval'");
    }
  });

  it('forbid framing and foreign bases, and let forms and requests reach Cognito only', () => {
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    // …and the attachments' presigned POSTs to their bucket (infra/lib/attachments.ts).
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://cognito-idp.eu-west-3.amazonaws.com', auth.managedLoginUrl, 'https://*.s3.eu-west-3.amazonaws.com']);
    expect(csp.get('form-action')).toEqual(["'self'", auth.managedLoginUrl]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
  });

  it('are the local stack\'s too, less the Cognito hosts (the local provider is on the same origin)', () => {
    const local = directives(contentSecurityPolicy());
    expect(local.get('connect-src')).toEqual(["'self'"]);
    expect(local.get('form-action')).toEqual(["'self'"]);
    expect([...local.keys()]).toEqual([...csp.keys()]);
  });

  it.each([['web app'], ['API']])('on the %s: HSTS two years with subdomains and preload, nosniff, DENY, same-origin referrer', (which) => {
    const headers = (which === 'API' ? apiPolicy : webPolicy).SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'same-origin', Override: true },
    });
  });

  it('leave the API docs page its own CSP (it allows its one inline script by hash), and JSON none at all', () => {
    expect(apiPolicy.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({ ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", Override: false });
    expect(behaviorFor('/docs*').ResponseHeadersPolicyId).toEqual(behaviorFor('/v1/*').ResponseHeadersPolicyId);
  });
});

describe('the deployed files', () => {
  const deployments = ofType('Custom::CDKBucketDeployment').map(([, r]) => r.Properties);
  const pages = deployments.find((d) => d.Prune === true)!;
  const assets = deployments.find((d) => d.Prune === false)!;
  const assembly = app.synth();

  it('go to the site bucket: hashed assets cached for a year and kept, the rest revalidated, pruned and invalidated', () => {
    expect(deployments).toHaveLength(2);
    for (const d of deployments) expect(d.DestinationBucketName).toEqual({ Ref: siteId });
    expect(assets).toMatchObject({ Exclude: ['*'], Include: ['assets/*'], SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(pages).toMatchObject({
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: { Ref: logicalIdOf(web.distribution) },
      DistributionPaths: ['/*'],
    });
  });

  it('include config.json naming the user pool as authority and the web client, resolved at deploy', () => {
    const configZip = (pages.SourceObjectKeys as string[])[1]!;
    const staged = path.join(assembly.directory, `asset.${configZip.replace(/\.zip$/, '')}`, 'config.json');
    const markers = (pages.SourceMarkers as Array<Record<string, unknown>>)[1]!;
    // Each deploy-time value is a marker in the staged file, replaced at deploy by the value of its token.
    const config = JSON.parse(
      fs.readFileSync(staged, 'utf-8').replace(/<<marker:0xbaba:\d+>>/g, (marker) => `<${(markers[marker] as { 'Fn::ImportValue': string })['Fn::ImportValue']}>`),
    ) as Record<string, unknown>;
    expect(config).toEqual({
      oidc: {
        authority: expect.stringMatching(new RegExp(`^https://cognito-idp\\.eu-west-3\\.amazonaws\\.com/<MesPilotes-NAQ-Auth:ExportsOutputRef${logicalIdOf(auth.userPool)}`)),
        clientId: expect.stringMatching(new RegExp(`^<MesPilotes-NAQ-Auth:ExportsOutputRef${logicalIdOf(auth.webClient)}`)),
        scope: 'openid email profile',
        logoutUrl: 'https://mes-pilotes-naq.auth.eu-west-3.amazoncognito.com/logout',
      },
      environment: 'aws',
    });
  });
});

describe('the web client and the API', () => {
  it('the client named in config.json is in the JWT authorizer\'s audience', () => {
    const authorizers = Object.values(templates.api.findResources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]!.Properties.JwtConfiguration.Audience).toContainEqual(importFromAuth(auth.webClient));
  });
});

describe('with the webDomain setting', () => {
  const distributionDomain = 'd1234abcdefgh.cloudfront.net';

  it('sends the sign-in back to the web app on that domain', () => {
    const { auth: authStack } = buildWithoutBundling({ ars: 'NAQ', webDomain: distributionDomain });
    const client = Template.fromStack(authStack).toJSON().Resources[logicalIdOf(authStack.webClient)].Properties;
    expect(client.CallbackURLs).toEqual([`https://${distributionDomain}/connexion/retour`]);
    expect(client.LogoutURLs).toEqual([`https://${distributionDomain}/`]);
  });

  it("signs out at Cognito's logout endpoint, back to a sign-out URL of the web client (web/src/api/auth.ts)", () => {
    const { auth: authStack } = buildWithoutBundling({ ars: 'NAQ', webDomain: distributionDomain });
    const client = Template.fromStack(authStack).toJSON().Resources[logicalIdOf(authStack.webClient)].Properties;
    const url = new URL(cognitoLogoutUrl(`${authStack.managedLoginUrl}/logout`, 'web-client-id', `https://${distributionDomain}`));
    expect(`${url.origin}${url.pathname}`).toBe('https://mes-pilotes-naq.auth.eu-west-3.amazoncognito.com/logout');
    expect(url.searchParams.get('client_id')).toBe('web-client-id');
    expect(client.LogoutURLs).toContain(url.searchParams.get('logout_uri'));
  });

  it('uses the return path the web app signs in with (web/src/api/auth.ts)', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'web', 'src', 'api', 'auth.ts'), 'utf-8');
    expect(source).toContain(`export const CALLBACK_PATH = '${webCallbackPath}';`);
  });

  it('serves a custom domain with its certificate and TLS 1.2 at least', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000001';
    const { web: webStack } = buildWithoutBundling({ ars: 'NAQ', webDomain: 'candidature-naq.example.fr', webCertificateArn: certificate });
    const config = Template.fromStack(webStack).toJSON().Resources[logicalIdOf(webStack.distribution)].Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['candidature-naq.example.fr']);
    expect(config.ViewerCertificate).toEqual({ AcmCertificateArn: certificate, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(webStack.url).toBe('https://candidature-naq.example.fr');
  });

  it('refuses what cannot work', () => {
    expect(() => buildWithoutBundling({ ars: 'NAQ', webDomain: 'https://d1234.cloudfront.net/' })).toThrow(DeploymentContextError);
    expect(() => buildWithoutBundling({ ars: 'NAQ', webDomain: 'candidature.example.fr' })).toThrow(/custom domain: pass -c webCertificateArn/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', webDomain: distributionDomain, webCertificateArn: 'arn:aws:acm:eu-west-3:123456789012:certificate/x' })).toThrow(/us-east-1/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' })).toThrow(/needs "webDomain"/);
  });
});
