import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

/** The claims the access token gains: what layers/http/auth.ts reads to know who is calling. */
export interface AccessTokenClaims {
  readonly email?: string;
  readonly email_verified?: boolean;
}

/**
 * Cognito access tokens carry no email; the API needs it (collaborators are invited by address, and an
 * address counts only once verified). Cognito passes every attribute as a string: `email_verified`
 * becomes a boolean, as in the ID token and the local provider's tokens.
 */
export function accessTokenClaims(userAttributes: Readonly<Record<string, string | undefined>>): AccessTokenClaims {
  const email = userAttributes.email;
  if (email === undefined || email === '') return {};
  return { email, email_verified: userAttributes.email_verified === 'true' };
}

/** Pre token generation trigger, event version 2 (the version that can change access tokens). */
export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  // The event types every claim as a string; the V2 event accepts booleans (Cognito's docs), hence the cast.
  const claimsToAddOrOverride = accessTokenClaims(event.request.userAttributes) as Record<string, string>;
  event.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride } } };
  return event;
};
