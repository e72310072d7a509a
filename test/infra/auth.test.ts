import * as fs from 'node:fs';
import * as path from 'node:path';
import { arsCodes } from '../../layers/domain/regions';
import { Template } from 'aws-cdk-lib/assertions';
import { buildWithoutBundling, logicalIdOf, synthesise } from './app-fixture';

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

  const [serverId] = Object.keys(template.findResources('AWS::Cognito::UserPoolResourceServer', { Properties: { Identifier: 'usage' } }));
  const clients = Object.values(resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolClient');
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;

  it('has one confidential client per DUI vendor, allowed usage/write by client credentials only, and no shared one', () => {
    expect([...auth.duiClients.keys()]).toEqual(['dui-local-a', 'dui-local-b']);
    expect(clients.map((r) => r.Properties.ClientName).sort()).toEqual(['dui-local-a', 'dui-local-b', 'mes-pilotes-web']);
    for (const [vendor, client] of auth.duiClients) {
      // Ref of a resource server is its identifier: the scope string is "usage/write".
      expect(clientProperties(client)).toMatchObject({
        ClientName: vendor,
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: serverId }, '/write']] }],
        AllowedOAuthFlowsUserPoolClient: true,
      });
    }
  });

  it('gives each vendor\'s client id as an output, for the onboarding runbook', () => {
    expect(outputs.MachineClientId).toBeUndefined();
    expect(outputs.DuiClientIdDuiLocalA).toMatchObject({ Value: { Ref: logicalIdOf(auth.duiClients.get('dui-local-a')!) } });
    expect(outputs.DuiClientIdDuiLocalB).toMatchObject({ Value: { Ref: logicalIdOf(auth.duiClients.get('dui-local-b')!) } });
    expect(outputs.DuiClientIdDuiLocalA!.Description).toMatch(/describe-user-pool-client/);
  });

  it('follows the deployment\'s vendors: -c duiVendors=editeur-a,editeur-b,editeur-c', () => {
    const other = buildWithoutBundling({ ars: 'NAQ', duiVendors: 'editeur-a, editeur-b,editeur-c' });
    const otherTemplate = Template.fromStack(other.auth).toJSON() as { Resources: typeof resources; Outputs: typeof outputs };
    const names = Object.values(otherTemplate.Resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolClient').map((r) => r.Properties.ClientName);
    expect(names.sort()).toEqual(['editeur-a', 'editeur-b', 'editeur-c', 'mes-pilotes-web']);
    expect(Object.keys(otherTemplate.Outputs).filter((name) => name.startsWith('DuiClientId')).sort()).toEqual(['DuiClientIdEditeurA', 'DuiClientIdEditeurB', 'DuiClientIdEditeurC']);
    const authorizer = Object.values(Template.fromStack(other.api).findResources('AWS::ApiGatewayV2::Authorizer'))[0]!;
    expect(authorizer.Properties.JwtConfiguration.Audience).toHaveLength(4);
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
