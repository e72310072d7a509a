import { generateKeyPairSync, sign } from 'node:crypto';
import { authorizerAudience } from '../../infra/lib/authorizer';
import { LOCAL_ISSUER, LocalJwt } from '../../infra/local/local-jwt';

/**
 * The local stack's JWT authorizer refuses what API Gateway's refuses (infra/lib/authorizer.ts): an unknown
 * key id, another issuer, an expired token, one not valid yet (`nbf`), and an audience (`aud`, or else
 * `client_id`) outside the configured one.
 */
const OIDC = 'http://localhost:3000/local/oidc';
const audience = authorizerAudience('mes-pilotes-web', ['dui-local-a', 'dui-local-b']);
const jwt = LocalJwt.create(undefined, [OIDC], audience);
const now = Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token signed with the local key's JWK (what the OIDC provider does), with chosen header and claims. */
function signed(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'local' }, key = jwt.signingJwk()): string {
  const unsigned = `${b64(header)}.${b64(claims)}`;
  const keyObject = 'kty' in key ? { key: key as unknown as import('node:crypto').JsonWebKey, format: 'jwk' as const } : key;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), keyObject as never).toString('base64url')}`;
}
const person = { iss: OIDC, sub: 'local-1', iat: now, exp: now + 600, client_id: 'mes-pilotes-web', token_use: 'access' };

describe('the local JWT authorizer', () => {
  it('accepts the tokens it mints: people (aud = the web client) and DUI vendors (client_id)', async () => {
    expect(await jwt.verify(jwt.mint({ sub: 'esms-1', email: 'a@b.fr', groups: ['candidat'] }))).toMatchObject({ iss: LOCAL_ISSUER, sub: 'esms-1', aud: 'mes-pilotes-web' });
    expect(await jwt.verify(jwt.mint({ sub: 'dui-local-a', clientId: 'dui-local-a', scope: 'usage/write' }))).toMatchObject({ client_id: 'dui-local-a' });
    expect(await jwt.verify(signed(person))).toMatchObject({ sub: 'local-1' });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined]>([
    ['another issuer', { ...person, iss: 'https://cognito-idp.eu-west-3.amazonaws.com/other' }, undefined],
    ['expired', { ...person, exp: now - 1 }, undefined],
    ['not valid before a future nbf', { ...person, nbf: now + 300 }, undefined],
    ['an aud outside the audience', { ...person, aud: 'urn:mes-pilotes:api' }, undefined],
    ['an aud outside the audience even with a good client_id', { ...person, aud: 'autre-client' }, undefined],
    ['a client_id outside the audience', { ...person, client_id: 'dui-inconnu' }, undefined],
    ['neither aud nor client_id', { iss: OIDC, sub: 'local-1', iat: now, exp: now + 600 }, undefined],
    ['no sub', { ...person, sub: undefined }, undefined],
    ['an unknown key id', person, { alg: 'RS256', kid: 'autre-cle' }],
    ['alg none', person, { alg: 'none', kid: 'local' }],
  ])('refuses a token with %s', async (_, claims, header) => {
    // (three columns each: jest takes a missing one for a done callback)
    expect(await jwt.verify(signed(claims, header))).toBeUndefined();
  });

  it('refuses a token signed with another key under the same key id', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const unsigned = `${b64({ alg: 'RS256', kid: 'local' })}.${b64(person)}`;
    expect(await jwt.verify(`${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`)).toBeUndefined();
  });
});
