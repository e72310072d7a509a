import * as fs from 'node:fs';
import * as path from 'node:path';
import { arsCodes } from '../../layers/domain/regions';
import { logicalIdOf, synthesise } from './app-fixture';

const { app, auth, templates } = synthesise({ ars: 'NAQ' });
const assembly = app.synth();
const template = templates.auth;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
const userPool = resources[logicalIdOf(auth.userPool)]!;
const clientProperties = (client: Parameters<typeof logicalIdOf>[0]) => resources[logicalIdOf(client)]!.Properties;

describe('the user pool', () => {
  it('lets ESMS representatives sign themselves up with their email', () => {
    expect(userPool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('asks for strong passwords, offers TOTP and enforces threat protection', () => {
    expect(userPool.Properties).toMatchObject({
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('survives a stack deletion', () => {
    expect(userPool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(userPool.DeletionPolicy).toBe('Retain');
  });
});

describe('the groups', () => {
  const groupNames = Object.values(resources)
    .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
    .map((r) => r.Properties.GroupName as string);

  it('are candidat, national and one ars-<CODE> for each of the 18 ARS', () => {
    expect(arsCodes).toHaveLength(18);
    expect(groupNames.sort()).toEqual(['candidat', 'national', ...arsCodes.map((code) => `ars-${code}`)].sort());
    expect(groupNames).toContain('ars-NAQ');
  });
});

describe('machine access for DUI software', () => {
  it('has a resource server "usage" with the scope "write"', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'usage',
      Scopes: [{ ScopeName: 'write', ScopeDescription: 'Report monthly usage figures' }],
    });
  });

  it('has a confidential client allowed usage/write by client credentials only', () => {
    const [serverId] = Object.keys(template.findResources('AWS::Cognito::UserPoolResourceServer', { Properties: { Identifier: 'usage' } }));
    // Ref of a resource server is its identifier: the scope string is "usage/write".
    expect(clientProperties(auth.machineClient)).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: serverId }, '/write']] }],
      AllowedOAuthFlowsUserPoolClient: true,
    });
  });

  it('serves the token endpoint on a Cognito domain', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'mes-pilotes-naq' });
  });
});

describe('the web client', () => {
  const web = clientProperties(auth.webClient);

  it('is public (no secret) and signs in by the managed login pages only, with the code flow', () => {
    expect(web).toMatchObject({
      ClientName: 'mes-pilotes-web',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(web.GenerateSecret).toBeFalsy();
    // Only refresh tokens besides the code flow: no SRP, password or custom auth straight from a browser.
    expect(web.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('returns to the web app\'s sign-in page, a placeholder on localhost until webDomain is known', () => {
    expect(web.CallbackURLs).toEqual(['http://localhost:3000/connexion/retour']);
    expect(web.LogoutURLs).toEqual(['http://localhost:3000/']);
  });
});

describe('the managed login', () => {
  it('is the newer managed login on the Cognito prefix domain', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'mes-pilotes-naq', ManagedLoginVersion: 2 });
    expect(auth.managedLoginUrl).toBe('https://mes-pilotes-naq.auth.eu-west-3.amazoncognito.com');
  });

  it('has a style for the web client, without which its pages would not show', () => {
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UserPoolId: { Ref: logicalIdOf(auth.userPool) },
      ClientId: { Ref: logicalIdOf(auth.webClient) },
      UseCognitoProvidedValues: true,
    });
  });
});

describe('the pre token generation trigger', () => {
  const fnId = logicalIdOf(auth.preTokenGeneration);

  it('is attached with event version 2, the one that can add claims to access tokens', () => {
    expect(userPool.Properties.LambdaConfig).toEqual({
      PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [fnId, 'Arn'] }, LambdaVersion: 'V2_0' },
    });
    // Access-token customisation needs the Essentials or Plus plan.
    expect(userPool.Properties.UserPoolTier).toBe('PLUS');
  });

  it('may be invoked by this user pool only', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(auth.userPool), 'Arn'] },
    });
  });

  it('runs the bundle of functions/pre-token within the 5 seconds Cognito gives a trigger', () => {
    expect(resources[fnId]!.Properties).toMatchObject({ Handler: 'index.handler', Timeout: 5 });
    const zip = resources[fnId]!.Properties.Code.S3Key as string;
    const bundle = fs.readFileSync(path.join(assembly.directory, `asset.${zip.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf-8');
    expect(bundle).toContain('claimsToAddOrOverride');
  });

  it('has the house defaults: arm64, its own log group encrypted with the logs key, no AWS managed policy', () => {
    const properties = resources[fnId]!.Properties;
    expect(properties.Architectures).toEqual(['arm64']);
    const logGroup = resources[properties.LoggingConfig.LogGroup.Ref as string]!;
    expect(logGroup.Properties).toMatchObject({ RetentionInDays: 90, KmsKeyId: { 'Fn::ImportValue': expect.stringMatching(/^MesPilotes-NAQ-Data:/) } });
    expect(resources[logicalIdOf(auth.preTokenGeneration.executionRole)]!.Properties.ManagedPolicyArns).toBeUndefined();
  });
});
