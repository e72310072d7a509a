import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { accessTokenClaims, handler } from '../../functions/pre-token/handler';

/** The V2 event as Cognito sends it after a managed-login sign-in (response not yet filled). */
function signInEvent(userAttributes: Record<string, string>): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-west-3',
    userPoolId: 'eu-west-3_example',
    userName: 'f3a1c2d4-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'web-client-id' },
    request: {
      userAttributes,
      groupConfiguration: { groupsToOverride: ['candidat'], iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['openid', 'email', 'profile'],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenGenerationV2TriggerEvent;
}

describe('the access token claims', () => {
  it('carry the email and whether it is verified, as a boolean', () => {
    expect(accessTokenClaims({ sub: 's', email: 'directrice@ehpad.example', email_verified: 'true' })).toEqual({
      email: 'directrice@ehpad.example',
      email_verified: true,
    });
    expect(accessTokenClaims({ email: 'directrice@ehpad.example', email_verified: 'false' })).toEqual({
      email: 'directrice@ehpad.example',
      email_verified: false,
    });
  });

  it('say the address is not verified when Cognito says nothing about it', () => {
    expect(accessTokenClaims({ email: 'directrice@ehpad.example' })).toEqual({ email: 'directrice@ehpad.example', email_verified: false });
  });

  it('add nothing for a user without an email', () => {
    expect(accessTokenClaims({ sub: 's' })).toEqual({});
    expect(accessTokenClaims({ email: '' })).toEqual({});
  });
});

describe('the trigger', () => {
  it('adds the claims to the access token only, leaving groups and scopes to Cognito', async () => {
    const result = await handler(signInEvent({ email: 'directrice@ehpad.example', email_verified: 'true' }));
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { email: 'directrice@ehpad.example', email_verified: true } },
      },
    });
    expect(result.request.groupConfiguration.groupsToOverride).toEqual(['candidat']);
  });
});
