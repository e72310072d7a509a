import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

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
const TOKEN_LIFETIME_S = 12 * 3600;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * RS256 keys of the local stack, standing in for the Cognito user pool's. With a key file they survive
 * restarts, so tokens minted yesterday still work against a persistent local stack.
 */
export class LocalJwt {
  private readonly issuers: ReadonlySet<string>;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    otherIssuers: readonly string[],
  ) {
    this.issuers = new Set([LOCAL_ISSUER, ...otherIssuers]);
  }

  /** `otherIssuers`: who else signs with this key (the local OpenID Connect provider), accepted by `verify`. */
  static create(keyFile?: string, otherIssuers: readonly string[] = []): LocalJwt {
    if (keyFile && existsSync(keyFile)) {
      const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
      return new LocalJwt(privateKey, createPublicKey(privateKey), otherIssuers);
    }
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    return new LocalJwt(privateKey, publicKey, otherIssuers);
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
      ...(request.email ? { email: request.email, email_verified: request.emailVerified ?? true } : {}),
      ...(request.groups && request.groups.length > 0 ? { 'cognito:groups': request.groups } : {}),
      ...(request.clientId ? { client_id: request.clientId } : {}),
      ...(request.scope ? { scope: request.scope } : {}),
    };
    const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', kid: LOCAL_KEY_ID })}.${b64(claims)}`;
    return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), this.privateKey).toString('base64url')}`;
  }

  /** The claims of a valid, unexpired token of ours; undefined for anything else. */
  verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
      if (head.alg !== 'RS256') return undefined;
      if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.publicKey, Buffer.from(signature, 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
      if (typeof claims.iss !== 'string' || !this.issuers.has(claims.iss) || typeof claims.exp !== 'number' || claims.exp <= nowSeconds || typeof claims.sub !== 'string') return undefined;
      return claims;
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
