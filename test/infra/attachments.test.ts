import { Match } from 'aws-cdk-lib/assertions';
import { SCAN_STATUS_TAG } from '../../layers/domain/attachment';
import { logicalIdOf, synthesise } from './app-fixture';

const { api, templates } = synthesise({ ars: 'NAQ' });
const template = templates.api;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const bucketId = logicalIdOf(api.attachments.bucket);
const bucket = resources[bucketId]!.Properties;
const keyRef = { 'Fn::GetAtt': [logicalIdOf(api.attachments.key), 'Arn'] };
const statementsOf = (policy: Record<string, any>): any[] => policy.PolicyDocument.Statement;

describe('the attachments bucket', () => {
  it('is private, encrypted with its own key, TLS only, versioned, logged and kept', () => {
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyRef } },
    ]);
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'attachments/' });
    expect(resources[bucketId]).toMatchObject({ DeletionPolicy: 'Retain' });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId)!.Properties;
    expect(statementsOf(policy)).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
  });

  it('lets nobody but the scanner read an object GuardDuty has not tagged clean', () => {
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId)!.Properties;
    expect(statementsOf(policy)).toContainEqual(
      expect.objectContaining({
        Sid: 'ReadOnlyCleanObjects',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Condition: {
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: 'NO_THREATS_FOUND' },
          ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [logicalIdOf(api.attachments.scanRole), 'Arn'] } },
        },
      }),
    );
  });

  it("answers CORS to the web app only: its form POSTs and the downloads it fetches", () => {
    const [rule, ...others] = bucket.CorsConfiguration.CorsRules;
    expect(others).toEqual([]);
    expect(rule).toEqual({ AllowedMethods: ['POST', 'GET'], AllowedOrigins: expect.any(Array), AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 3000 });
    expect(rule.AllowedOrigins.length).toBeGreaterThan(0);
    for (const origin of rule.AllowedOrigins) expect(origin).toMatch(/^https?:\/\/[^/*]+$/);
  });

  it('aborts incomplete uploads, expires deleted versions after 30 days and infected files after 7', () => {
    expect(bucket.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        expect.objectContaining({ Id: 'expire-deleted', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true }),
        expect.objectContaining({ Id: 'expire-infected', TagFilters: [{ Key: SCAN_STATUS_TAG, Value: 'THREATS_FOUND' }], ExpirationInDays: 7 }),
      ]),
    );
  });
});

describe('GuardDuty Malware Protection for S3', () => {
  it('protects the attachments prefix of the bucket and tags each scanned object', () => {
    template.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 1);
    template.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
      Role: { 'Fn::GetAtt': [logicalIdOf(api.attachments.scanRole), 'Arn'] },
      ProtectedResource: { S3Bucket: { BucketName: { Ref: bucketId }, ObjectPrefixes: ['applications/'] } },
      Actions: { Tagging: { Status: 'ENABLED' } },
    });
  });

  it('runs as a role only GuardDuty assumes, with the documented permissions on this bucket and key', () => {
    const role = resources[logicalIdOf(api.attachments.scanRole)]!.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' } },
    ]);
    const statements = role.Policies[0].PolicyDocument.Statement as { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[];
    expect(statements.map((statement) => statement.Sid).sort()).toEqual(
      [
        'AllowCheckBucketOwnership',
        'AllowDecryptForMalwareScan',
        'AllowEnableS3EventBridgeEvents',
        'AllowGuardDutyToMonitorEventBridgeManagedRule',
        'AllowMalwareScan',
        'AllowManagedRuleToSendS3EventsToGuardDuty',
        'AllowPostScanTag',
        'AllowPutValidationObject',
      ].sort(),
    );
    expect(statements.find((statement) => statement.Sid === 'AllowDecryptForMalwareScan')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: keyRef,
      Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
    });
    expect(statements.find((statement) => statement.Sid === 'AllowPostScanTag')!.Action).toContain('s3:PutObjectTagging');
  });
});

describe('the attachments function', () => {
  const fn = api.functions.get('attachments')!;
  it('knows its bucket and may put, get, delete and read the tags of attachment objects only', () => {
    const properties = resources[logicalIdOf(fn)]!.Properties;
    expect(properties.Environment.Variables.ATTACHMENTS_BUCKET).toEqual({ Ref: bucketId });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: { Ref: string }) => role.Ref === logicalIdOf(fn.executionRole)))!;
    const statements = statementsOf(policy.Properties);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/applications/*']] },
      }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: keyRef }));
    // HeadObject needs s3:GetObject, which the bucket denies until the scan: arrival is read from a listing of the key's prefix.
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] }, Condition: { StringLike: { 's3:prefix': ['applications/*'] } } }),
    );
    // No other function touches the attachments.
    for (const [name, other] of api.functions) {
      if (name === 'attachments') continue;
      expect(resources[logicalIdOf(other)]!.Properties.Environment?.Variables?.ATTACHMENTS_BUCKET).toBeUndefined();
    }
  });

  it("receives GuardDuty's scan results of its bucket, and may send email (the holders of an infected file are told)", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
        detail: { s3ObjectDetails: { bucketName: [{ Ref: bucketId }] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf(fn), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [logicalIdOf(fn), 'Arn'] } });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: { Ref: string }) => role.Ref === logicalIdOf(fn.executionRole)))!;
    expect(statementsOf(policy.Properties)).toContainEqual(expect.objectContaining({ Action: ['ses:SendEmail', 'ses:SendRawEmail'] }));
  });

  it("outputs the bucket and the plan, and the web app's CSP lets pages send files to the bucket", () => {
    template.hasOutput('AttachmentsBucketName', { Value: { Ref: bucketId } });
    template.hasOutput('MalwareProtectionPlanArn', Match.anyValue());
    const policy = Object.values(templates.web.toJSON().Resources as Record<string, any>).find((r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy' && JSON.stringify(r).includes('web app'));
    expect(JSON.stringify(policy)).toMatch(/connect-src 'self'[^;]* https:\/\/\*\.s3\.eu-west-3\.amazonaws\.com/);
  });
});
