import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Annotations, Aws, CfnOutput, DefaultStackSynthesizer, Duration, Stack, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  CachedMethods,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct, IConstruct } from 'constructs';
import { cognitoIssuerOrigin, type AuthStack } from './auth-stack';
import type { Deployment } from './deployment';
import { functionLogRetention, repoRoot } from './house-function';
import { apiContentSecurityPolicy, contentSecurityPolicy, otherSecurityHeaders, referrerPolicy, strictTransportSecuritySeconds } from './web-headers';

export interface WebStackProps extends StackProps {
  readonly deployment: Deployment;
  readonly auth: Pick<AuthStack, 'issuerUrl' | 'webClient' | 'managedLoginUrl'>;
  /** The HTTP API the distribution serves under /v1/* and /docs, on the web app's own origin. */
  readonly httpApi: HttpApi;
  /** Encrypts the log group of the function that copies the files to the bucket. */
  readonly logsKey: IKey;
  /** Where the pages send files (the attachments bucket's presigned POSTs): allowed by their Content-Security-Policy. */
  readonly uploadOrigins?: readonly string[];
}

/** What `vite build` writes (web/vite.config.ts); Vite puts the content-hashed files under assets/. */
export const webDist = path.join(repoRoot, 'web', 'dist');
const hashedAssets = 'assets/*';

/** The paths the HTTP API answers (layers/http/routes.ts): everything else is the web app. */
export const apiPathPatterns = ['/v1/*', '/docs*'] as const;

/** CloudFront access logs hold viewers' IP addresses: a year, as the API's access logs (CNIL). */
const accessLogExpiry = Duration.days(365);

/**
 * The SPA fallback: a path whose last segment has no extension is a route of the app, so it gets
 * index.html; files keep their path and a missing one stays a 404. Done on the request, not with
 * 403/404 custom error responses, because those apply to the whole distribution and would turn the
 * API's own 403 and 404 (problem+json) into the HTML page.
 */
export const spaFallbackCode = `function handler(event) {
  var request = event.request;
  if (!/\\.[^/]*$/.test(request.uri)) request.uri = '/index.html';
  return request;
}`;

/**
 * The web app in AWS: its built files in a private bucket, served by CloudFront through origin
 * access control, with /v1/* and /docs routed to the HTTP API on the same origin (no CORS; the CSP's
 * 'self' covers the API), the security headers, and config.json written at deploy.
 */
export class WebStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<webDomain or the distribution's domain>`: where people open the app. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const { deployment, auth } = props;
    // S3 delivers server access logs under a bucket policy (logging.s3.amazonaws.com), not the legacy
    // log-delivery ACL (cdk.json does not set this flag for the app; it matters here only).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const accessLogs = this.accessLogBucket();
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Versions let a bad deploy be rolled back by hand; old ones go after a month.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 's3/',
    });
    acknowledgeRebuildableContent(this.bucket, 'the build output of web/ (HTML, JavaScript, CSS, fonts) that every visitor downloads');

    const identity = { issuer: cognitoIssuerOrigin(this.region), managedLogin: auth.managedLoginUrl };
    const webHeaders = this.headersPolicy('WebHeaders', { csp: contentSecurityPolicy(identity, props.uploadOrigins), cspOverride: true });
    const apiHeaders = this.headersPolicy('ApiHeaders', { csp: apiContentSecurityPolicy, cspOverride: false });

    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: 'Serves index.html for the routes of the web app (paths without a file extension)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(spaFallbackCode),
    });

    // An HTTP API answers on <id>.execute-api.<region>.amazonaws.com and checks that Host: hence
    // every viewer header but Host, and no cache (answers depend on the caller's token).
    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(`${props.httpApi.apiId}.execute-api.${this.region}.${Aws.URL_SUFFIX}`, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };

    const certificate = deployment.webCertificateArn ? Certificate.fromCertificateArn(this, 'Certificate', deployment.webCertificateArn) : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `mes-pilotes ${deployment.scope}: web app and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: CachedMethods.CACHE_GET_HEAD_OPTIONS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: webHeaders,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns.map((pattern) => [pattern, apiBehavior])),
      ...(certificate && deployment.webDomain ? { certificate, domainNames: [deployment.webDomain] } : {}),
      // Applies with a certificate of ours; on *.cloudfront.net CloudFront keeps its own policy.
      ...(certificate ? { minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // The people are in France, overseas départements included: Europe and North America edges serve them.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cloudfront/',
    });
    this.acknowledgeDistributionFindings(certificate !== undefined);

    const domainName = deployment.webDomain ?? this.distribution.distributionDomainName;
    this.url = `https://${domainName}`;
    if (deployment.webDomain === undefined) {
      Annotations.of(this).addWarningV2(
        'mes-pilotes:webDomain',
        'No webDomain: sign-in from the web app fails until the app client knows its address. After this deploy, ' +
          'deploy again with -c webDomain=<the WebDomainName output> (see the README, first deploy).',
      );
    }

    this.deployFiles(props);

    new CfnOutput(this, 'WebUrl', { value: this.url, description: 'Open this address: the web app (and the API under /v1)' });
    new CfnOutput(this, 'WebDomainName', { value: this.distribution.distributionDomainName, description: 'The distribution\'s domain: the webDomain setting when there is no custom domain' });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'SiteBucketName', { value: this.bucket.bucketName });
  }

  /** Where S3 and CloudFront write their access logs; S3 delivers server access logs to SSE-S3 buckets only. */
  private accessLogBucket(): Bucket {
    const bucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logs are written with an ACL: the bucket must accept ACLs from its own account.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: accessLogExpiry, noncurrentVersionExpiration: Duration.days(1) }],
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the web app: logging its own accesses into itself would log every log delivery, without end.',
    });
    Validations.of(bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketLoggingEnabled',
      reason: 'This is the access-log bucket of the web app: logging its own accesses into itself would log every log delivery, without end.',
    });
    Validations.of(bucket).acknowledge({
      id: 'HIPAA.Security-S3DefaultEncryptionKMS',
      reason: 'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (Amazon S3 documentation); SSE-S3 encrypts them at rest.',
    });
    Validations.of(bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketReplicationEnabled',
      reason: 'Access logs of a static site are kept one year for incident review; a second region would double a cost for traces that need no disaster recovery.',
    });
    return bucket;
  }

  private headersPolicy(id: string, options: { readonly csp: string; readonly cspOverride: boolean }): ResponseHeadersPolicy {
    const securityHeadersBehavior: ResponseSecurityHeadersBehavior = {
      contentSecurityPolicy: { contentSecurityPolicy: options.csp, override: options.cspOverride },
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(strictTransportSecuritySeconds), includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: referrerPolicy as HeadersReferrerPolicy, override: true },
    };
    return new ResponseHeadersPolicy(this, id, {
      comment: `mes-pilotes: security headers (${id === 'WebHeaders' ? 'web app' : 'API'})`,
      securityHeadersBehavior,
      customHeadersBehavior: {
        customHeaders: Object.entries(otherSecurityHeaders).map(([header, value]) => ({ header, value, override: true })),
      },
    });
  }

  /**
   * Two copies: the hashed files under assets/ first, cached for a year and never pruned (a page opened
   * before a deploy can still load its chunks); then everything else, config.json included, revalidated
   * on every load and pruned, followed by an invalidation so CloudFront drops the old index.html.
   */
  private deployFiles(props: WebStackProps): void {
    const { files, placeholder } = webFiles();
    if (placeholder) {
      Annotations.of(this).addWarningV2(
        'mes-pilotes:webNotBuilt',
        `web/dist is missing: the Web stack deploys a placeholder page. Build the web app first (npm run web:build, or npm start once) to deploy the real one.`,
      );
    }
    const role = new Role(this, 'DeployFilesRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the web app\'s files to its bucket and invalidates the distribution',
    });
    const logGroup = new LogGroup(this, 'DeployFilesLogs', { retention: functionLogRetention, encryptionKey: props.logsKey });
    logGroup.grantWrite(role);
    const common = { destinationBucket: this.bucket, role, logGroup, memoryLimit: 512 } as const;

    const assets = new BucketDeployment(this, 'DeployAssets', {
      ...common,
      sources: [Source.asset(files)],
      exclude: ['*'],
      include: [hashedAssets],
      prune: false,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    const config = {
      oidc: {
        authority: props.auth.issuerUrl,
        clientId: props.auth.webClient.userPoolClientId,
        scope: 'openid email profile',
        // Sign-out ends the managed login session there (web/src/api/auth.ts signOut); it comes back to a logout URL of the client.
        logoutUrl: `${props.auth.managedLoginUrl}/logout`,
      },
      environment: 'aws',
    };
    const pages = new BucketDeployment(this, 'DeployPages', {
      ...common,
      sources: [Source.asset(files), Source.jsonData('config.json', config)],
      exclude: [hashedAssets],
      prune: true,
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });
    pages.node.addDependency(assets);
    this.acknowledgeDeploymentFindings(role, assets.handlerRole);
  }

  private acknowledgeDistributionFindings(customCertificate: boolean): void {
    const distribution = this.distribution;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A French public service open to anyone who applies, from anywhere (overseas départements, staff travelling): a country list is no access control; the API checks tokens.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'No WAF yet: a CloudFront web ACL must live in us-east-1 (a second stack and region) and costs a fixed monthly fee per deployment; the API stage is throttled and every write needs a Cognito token. To add when traffic or abuse calls for it.',
    });
    if (!customCertificate) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: 'On its default *.cloudfront.net certificate CloudFront fixes the viewer policy at TLSv1; TLSv1.2_2021 applies as soon as webDomain and webCertificateArn give it a certificate of ours.',
      });
    }
  }

  /** The copy function is CDK's own (Python and the AWS CLI, in a layer): we only set its role and logs. */
  private acknowledgeDeploymentFindings(role: Role, handlerRole: unknown): void {
    if (handlerRole !== role) throw new Error('BucketDeployment did not take the role given to it');
    // BucketDeployment grants read on the CDK asset bucket, read-write on the site bucket and invalidation;
    // cdk-nag names each wildcard, as below (the asset bucket is named after the account and region).
    const grants = 'BucketDeployment\'s own grants to the copy function: read the uploaded zip from the CDK asset bucket, sync (put, delete, abort multipart) the site bucket\'s objects';
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${grants}; ${action} is the family the AWS CLI sync uses.` });
    }
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
      reason: `${grants}: every object of this site bucket, since the web build names its files.`,
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${assetObjectsForNag(this)}]`,
      reason: `${grants}: the objects of the CDK bootstrap asset bucket, where the deploy uploads the zip of web/dist under a content hash.`,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudfront:CreateInvalidation and GetInvalidation, granted by BucketDeployment on "*": the invalidation after each deploy of the pages.',
    });
    Validations.of(role).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason: 'The policy CDK writes from BucketDeployment\'s grants belongs to this one role and dies with it; a managed policy would be a reusable object that narrows nothing.',
    });
    const handler = copyFunctionOf(this);
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'CDK\'s BucketDeployment handler pins its own Python runtime for the AWS CLI layer it ships; it runs only during a CloudFormation deploy.',
    });
    for (const id of ['HIPAA.Security-LambdaDLQ', 'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-LambdaInsideVPC']) {
      Validations.of(handler).acknowledge({
        id,
        reason: 'CDK\'s BucketDeployment handler runs only as a CloudFormation custom resource during a deploy (which reports its failure), copying public web files between two S3 buckets.',
      });
    }
  }
}

/** The site bucket holds public files rebuilt from git by any deploy: no customer key, no replica. */
function acknowledgeRebuildableContent(bucket: IBucket, what: string): void {
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-S3DefaultEncryptionKMS',
    reason: `The bucket holds ${what}: no personal or health data. SSE-S3 encrypts it at rest; a customer key would protect nothing public and put KMS on every cache miss.`,
  });
  Validations.of(bucket).acknowledge({
    id: 'HIPAA.Security-S3BucketReplicationEnabled',
    reason: `The bucket holds ${what}, rebuilt from git by any deploy: a replica in another region would add nothing a redeploy does not.`,
  });
}

/** How cdk-nag prints the objects of the CDK asset bucket (DefaultStackSynthesizer's name for it). */
function assetObjectsForNag(stack: Stack): string {
  const qualifier = stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:${stack.partition}:s3:::cdk-${qualifier}-assets-${account}-${stack.region}/*`;
}

/** BucketDeployment's singleton function, at the stack's root. */
function copyFunctionOf(stack: Stack): IConstruct {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment\'s handler function was not found in the Web stack');
  return handler;
}

/**
 * The built web app, or, when web/dist does not exist (a fresh clone running the infra tests or a
 * synth), a placeholder page written to the temp directory, so a synth never needs the web build.
 * A deploy then ships the placeholder, and the synth warns.
 */
function webFiles(): { readonly files: string; readonly placeholder: boolean } {
  if (fs.existsSync(path.join(webDist, 'index.html'))) return { files: webDist, placeholder: false };
  const dir = path.join(os.tmpdir(), 'mes-pilotes-web-placeholder');
  fs.mkdirSync(dir, { recursive: true });
  const page = '<!doctype html><html lang="fr"><meta charset="utf-8"><title>mes-pilotes</title><p>Application web non construite : lancez <code>npm run web:build</code> puis déployez à nouveau.</p></html>\n';
  const file = path.join(dir, 'index.html');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf-8') !== page) fs.writeFileSync(file, page);
  return { files: dir, placeholder: true };
}
