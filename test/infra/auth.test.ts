import { arsCodes } from '../../layers/domain/regions';
import { logicalIdOf, synthesise } from './app-fixture';

const { auth, templates } = synthesise({ ars: 'NAQ' });
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
  it('is public (no secret) and signs in by SRP or code flow with PKCE', () => {
    const web = clientProperties(auth.webClient);
    expect(web).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: expect.arrayContaining(['openid', 'email']),
      CallbackURLs: ['http://localhost:3000/auth/callback'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(web.GenerateSecret).toBeFalsy();
    expect(web.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']));
    expect(web.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });
});
