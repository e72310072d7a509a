/**
 * The security headers of the web app, as plain values (no CDK import) so that the local stack
 * (infra/local/web-static.ts) can send the very same ones the Web stack sets on CloudFront.
 */

/** The sign-in hosts a page talks to, when they are not its own origin (Cognito in AWS). */
export interface IdentityOrigins {
  /** The issuer: OpenID discovery document and signing keys, fetched by oidc-client-ts. */
  readonly issuer: string;
  /** The managed login domain: the token endpoint (fetched) and the sign-in and logout pages (navigated to). */
  readonly managedLogin: string;
}

/**
 * Scripts from this origin only (Vite's build has no inline script), inline styles because the DSFR's
 * components set style attributes, data: for its icons and fonts, and the sign-in hosts when they are
 * elsewhere (none locally, where the provider is on the same origin).
 */
export function contentSecurityPolicy(identity?: IdentityOrigins, uploadOrigins: readonly string[] = []): string {
  // The attachments' presigned POSTs go straight to their bucket (fetch of a form).
  const connect = `${identity ? ` ${identity.issuer} ${identity.managedLogin}` : ''}${uploadOrigins.map((origin) => ` ${origin}`).join('')}`;
  const forms = identity ? ` ${identity.managedLogin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    `connect-src 'self'${connect}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${forms}`,
  ].join('; ');
}

/** JSON needs no resource at all; the API docs page (functions/docs) sends its own policy, which then wins. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

/** Paths hold application and convention ids: other sites learn nothing of them. */
export const referrerPolicy = 'same-origin';

/** Two years with subdomains and preload: what hstspreload.org asks for. */
export const strictTransportSecuritySeconds = 2 * 365 * 24 * 60 * 60;

/** The page uses no device feature; a foreign window never gets a handle on it. */
export const otherSecurityHeaders: Readonly<Record<string, string>> = {
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};
