import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { SCAN_STATUS_TAG } from '../../layers/domain/attachment';
import type { HouseFunction } from './house-function';

export interface AttachmentsProps {
  /** Prefix of the bucket's and key's names (`mes-pilotes-naq`). */
  readonly name: string;
  /** The web app's origins: their form POSTs (the uploads) get CORS answers. */
  readonly webOrigins: readonly string[];
}

/** The prefix of every attachment object (layers/adapters/attachment-store.ts objectKeyFor). */
export const ATTACHMENTS_PREFIX = 'applications/';

/**
 * Attachments of applications: a private bucket encrypted with its own key, each new object scanned by
 * GuardDuty Malware Protection for S3, which tags it `GuardDutyMalwareScanStatus`. The bucket policy lets
 * nobody but the scanner read an object unless it is tagged `NO_THREATS_FOUND` (tag-based access control), so
 * a presigned GET of an unscanned or infected file fails even if the API were wrong.
 */
export class Attachments extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly plan: CfnMalwareProtectionPlan;
  readonly scanRole: Role;

  constructor(scope: Construct, id: string, props: AttachmentsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // S3 delivers server access logs under a bucket policy (logging.s3.amazonaws.com), not the legacy ACL.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.key = new Key(this, 'Key', {
      alias: `alias/${props.name}-attachments`,
      description: `Encrypts the attachments of ${props.name}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // Security traces: kept a year (CNIL), as the API's access logs.
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [rule, reason] of [
      ['AwsSolutions-S1', 'This is the access-log bucket of the attachments: logging its own accesses into itself would log every log delivery, without end.'],
      ['HIPAA.Security-S3BucketLoggingEnabled', 'This is the access-log bucket of the attachments: logging its own accesses into itself would log every log delivery, without end.'],
      ['HIPAA.Security-S3DefaultEncryptionKMS', 'S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (Amazon S3 documentation); SSE-S3 encrypts them at rest.'],
      ['HIPAA.Security-S3BucketReplicationEnabled', 'Access logs stay in the French region with the data they describe; versioning and Retain keep them.'],
    ] as const) {
      Validations.of(accessLogs).acknowledge({ id: rule, reason });
    }

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      // A deleted attachment is gone from the application at once; its bytes stay 30 days as a noncurrent
      // version (an undo for a mistaken deletion), then go.
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'attachments/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          // POST: the uploads' forms; GET: the download the page fetches after the API's 303.
          allowedMethods: [HttpMethods.POST, HttpMethods.GET],
          allowedOrigins: [...props.webOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-deleted', noncurrentVersionExpiration: Duration.days(30), expiredObjectDeleteMarker: true },
        // An infected file is never served; kept a week for the security team, then deleted.
        { id: 'expire-infected', tagFilters: { [SCAN_STATUS_TAG]: 'THREATS_FOUND' }, expiration: Duration.days(7) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketReplicationEnabled',
      reason: 'Health-related documents stay in the one French region of the deployment (HDS); versioning and Retain guard against loss.',
    });

    // GuardDuty Malware Protection for S3's role: the permissions of "Create or update IAM role policy" in the GuardDuty user guide.
    const managedRule = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`;
    this.scanRole = new Role(this, 'ScanRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: `GuardDuty Malware Protection for S3: scans and tags the attachments of ${props.name}`,
      inlinePolicies: {
        scan: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'AllowManagedRuleToSendS3EventsToGuardDuty',
              actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
              resources: [managedRule],
              conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
            }),
            new PolicyStatement({ sid: 'AllowGuardDutyToMonitorEventBridgeManagedRule', actions: ['events:DescribeRule', 'events:ListTargetsByRule'], resources: [managedRule] }),
            new PolicyStatement({
              sid: 'AllowPostScanTag',
              actions: ['s3:PutObjectTagging', 's3:GetObjectTagging', 's3:PutObjectVersionTagging', 's3:GetObjectVersionTagging'],
              resources: [this.bucket.arnForObjects('*')],
            }),
            new PolicyStatement({ sid: 'AllowEnableS3EventBridgeEvents', actions: ['s3:PutBucketNotification', 's3:GetBucketNotification'], resources: [this.bucket.bucketArn] }),
            new PolicyStatement({ sid: 'AllowPutValidationObject', actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('malware-protection-resource-validation-object')] }),
            new PolicyStatement({ sid: 'AllowCheckBucketOwnership', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
            new PolicyStatement({ sid: 'AllowMalwareScan', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [this.bucket.arnForObjects('*')] }),
            new PolicyStatement({
              sid: 'AllowDecryptForMalwareScan',
              actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
              resources: [this.key.keyArn],
              conditions: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
            }),
          ],
        }),
      },
    });
    Validations.of(this.scanRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]',
      reason: 'The policy GuardDuty documents for Malware Protection for S3: the EventBridge rule it manages has a generated suffix, and the condition events:ManagedBy keeps the write actions to it.',
    });
    Validations.of(this.scanRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.bucketLogicalId()}.Arn>/*]`,
      reason: 'The policy GuardDuty documents for Malware Protection for S3: it reads and tags every new object of this one bucket.',
    });
    Validations.of(this.scanRole).acknowledge({
      id: 'HIPAA.Security-IAMNoInlinePolicy',
      reason: 'The policy belongs to this one service role (its bucket, its key) and dies with it; a managed policy would be a reusable object that narrows nothing.',
    });

    // Nobody but the scanner reads an object GuardDuty has not found clean.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ReadOnlyCleanObjects',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: 'NO_THREATS_FOUND' },
          ArnNotEquals: { 'aws:PrincipalArn': this.scanRole.roleArn },
        },
      }),
    );

    this.plan = new CfnMalwareProtectionPlan(this, 'MalwareProtectionPlan', {
      role: this.scanRole.roleArn,
      protectedResource: { s3Bucket: { bucketName: this.bucket.bucketName, objectPrefixes: [ATTACHMENTS_PREFIX] } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    // The plan checks its role's permissions when it is created.
    this.plan.node.addDependency(this.scanRole);

    new CfnOutput(stack, 'AttachmentsBucketName', { value: this.bucket.bucketName, description: 'Attachments of applications (scanned by GuardDuty)' });
    new CfnOutput(stack, 'MalwareProtectionPlanArn', { value: this.plan.attrArn, description: 'GuardDuty Malware Protection for S3 plan of the attachments bucket' });
  }

  /** What the attachments function needs: put (presigned POST), read (presigned GET), delete, and read the scan tag. */
  grantTo(handler: HouseFunction): void {
    handler.addEnvironment('ATTACHMENTS_BUCKET', this.bucket.bucketName);
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:GetObjectTagging'],
        resources: [this.bucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)],
      }),
    );
    // Whether an upload arrived, and when: a listing of its key (HeadObject needs s3:GetObject, denied until the file is found clean).
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ATTACHMENTS_PREFIX}*`] } },
      }),
    );
    // SSE-KMS: a data key to store an upload, decryption to serve a download; nothing else of the key.
    this.key.grant(handler, 'kms:GenerateDataKey', 'kms:Decrypt');
    // GuardDuty's result for each object of this bucket: the function keeps it and tells the holders of an infected file.
    // No DLQ: the API reads the scan tag itself on every list, and an email not sent stays in the outbox for its sweep.
    new Rule(this, 'ScanResults', {
      description: 'GuardDuty Malware Protection scan results of the attachments bucket, to the attachments function',
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Malware Protection Object Scan Result'],
        detail: { s3ObjectDetails: { bucketName: [this.bucket.bucketName] } },
      },
      targets: [new LambdaFunction(handler, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });
    Validations.of(handler.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.bucketLogicalId()}.Arn>/${ATTACHMENTS_PREFIX}*]`,
      reason: 'The attachments function signs uploads and downloads of any attachment of any application: the objects under applications/ of its one bucket.',
    });
  }

  private bucketLogicalId(): string {
    return Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
  }

  /**
   * Where the web app's uploads go (its Content-Security-Policy allows it): the presigned POST's URL is
   * `https://<bucket>.s3.<region>.amazonaws.com/`. A host wildcard of the region's S3 rather than the bucket's
   * name, which is a token the Web stack's headers (a plain string) cannot hold; the POST is bound by its policy anyway.
   */
  get uploadOrigin(): string {
    return `https://*.s3.${Stack.of(this).region}.amazonaws.com`;
  }
}
