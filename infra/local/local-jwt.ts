import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { audienceAccepted } from '../lib/authorizer';

/** What POST /local/token accepts: the claims a Cognito token would carry. */
export interface LocalTokenRequest {
  sub: string;
  email?: string;
  /** The `email_verified` claim (default true), as Cognito sets it once the address is confirmed. */
  emailVerified?: boolean;
  groups?: string[];
  clientId?: string;
  scope?: string;
}

export type Claims = Record<string, unknown>;

export const LOCAL_ISSUER = 'mes-pilotes-local';
export const LOCAL_KEY_ID = 'local';
/** The local web client's id, the audience of the tokens `POST /local/token` mints for people (as Cognito's ID tokens). */
export const LOCAL_WEB_CLIENT_ID = 'mes-pilotes-web';
const TOKEN_LIFETIME_S = 12 * 3600;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * RS256 keys of the local stack, standing in for the Cognito user pool's. With a key file they survive
 * restarts, so tokens minted yesterday still work against a persistent local stack.
 */
export class LocalJwt {
  private readonly issuers: string[];
  private readonly audience: ReadonlySet<string> | undefined;
  private readonly keys: JWTVerifyGetKey;

  private constructor(
    private readonly privateKey: KeyObject,
    publicKey: KeyObject,
    otherIssuers: readonly string[],
    audience: readonly string[] | undefined,
  ) {
    this.issuers = [LOCAL_ISSUER, ...otherIssuers];
    this.audience = audience ? new Set(audience) : undefined;
    // The pool's JWKS: a token signed with a key it does not name (another kid) is refused, as in AWS.
    this.keys = createLocalJWKSet({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: LOCAL_KEY_ID, alg: 'RS256', use: 'sig' }] });
  }

  /**
   * `otherIssuers`: who else signs with this key (the local OpenID Connect provider); `audience`: the
   * authorizer's audience (infra/lib/authorizer.ts), which `verify` then requires as API Gateway does.
   */
  static create(keyFile?: string, otherIssuers: readonly string[] = [], audience?: readonly string[]): LocalJwt {
    if (keyFile && existsSync(keyFile)) {
      const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
      return new LocalJwt(privateKey, createPublicKey(privateKey), otherIssuers, audience);
    }
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    return new LocalJwt(privateKey, publicKey, otherIssuers, audience);
  }

  /** The private key as a JWK, for the OIDC provider: one key, so the authorizer verifies both kinds of token alike. */
  signingJwk(): JsonWebKey & { kid: string; alg: string; use: string } {
    return { ...this.privateKey.export({ format: 'jwk' }), kid: LOCAL_KEY_ID, alg: 'RS256', use: 'sig' };
  }

  mint(request: LocalTokenRequest, nowSeconds = Math.floor(Date.now() / 1000)): string {
    const claims: Claims = {
      iss: LOCAL_ISSUER,
      sub: request.sub,
      iat: nowSeconds,
      exp: nowSeconds + TOKEN_LIFETIME_S,
      jti: randomUUID(),
      token_use: request.clientId ? 'access' : 'id',
      // A person's token is an ID token of the web client; a machine client's an access token naming itself.
      ...(request.clientId ? {} : { aud: LOCAL_WEB_CLIENT_ID }),
      ...(request.email ? { email: request.email, email_verified: request.emailVerified ?? true } : {}),
      ...(request.groups && request.groups.length > 0 ? { 'cognito:groups': request.groups } : {}),
      ...(request.clientId ? { client_id: request.clientId } : {}),
      ...(request.scope ? { scope: request.scope } : {}),
    };
    const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid: LOCAL_KEY_ID })}.${b64(claims)}`;
    return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), this.privateKey).toString('base64url')}`;
  }

  /**
   * The claims of a token API Gateway's JWT authorizer would accept, undefined for anything else: RS256 with
   * a key of the JWKS (kid), one of the issuers, not expired, not before its `nbf`, and (when an audience is
   * configured) `aud`, or else `client_id`, in the audience.
   */
  async verify(token: string, now = new Date()): Promise<Claims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys, { issuer: this.issuers, algorithms: ['RS256'], currentDate: now, requiredClaims: ['sub', 'exp'] });
      if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
      if (this.audience && !audienceAccepted(payload, this.audience)) return undefined;
      return payload as Claims;
    } catch {
      return undefined;
    }
  }
}

/** API Gateway's JWT authorizer hands claims to Lambda as strings, arrays flattened to `[a b]`. */
export function claimsAsApiGateway(claims: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    out[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  }
  return out;
}
