/**
 * The local OpenID Connect provider (`oidc-provider`), standing in for Cognito's managed login: the web app
 * goes through the same authorization code + PKCE flow as in AWS, and the access tokens it gets carry the
 * claims a Cognito access token carries there (with the pre-token-generation trigger adding the email). The
 * login page asks for an email and a profile instead of a password: local only, and it says so.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonWebKey } from 'node:crypto';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { arsRegions } from '../../layers/domain/regions';
import { localSub } from './local-identity';
import { LOCAL_WEB_CLIENT_ID } from './local-jwt';
import { SECURITY_HEADERS } from './web-static';

export const OIDC_PATH = '/local/oidc';
export const WEB_CLIENT_ID = LOCAL_WEB_CLIENT_ID;
export const WEB_SCOPE = 'openid email profile';
export const WEB_REDIRECT_PATH = '/connexion/retour';
/** The resource the access tokens are for: with a resource indicator, oidc-provider issues JWT access tokens. */
const API_RESOURCE = 'urn:mes-pilotes:api';
const ACCESS_TOKEN_TTL_S = 3600; // Cognito's default
const ASSETS = `${OIDC_PATH}/assets`;

/** The options of the "Profil" select: the value is the Cognito group the person gets. */
export const localProfiles: readonly { group: string; label: string }[] = [
  { group: 'candidat', label: 'Candidat (ESMS)' },
  ...arsRegions.map((region) => ({ group: `ars-${region.code}`, label: `ARS ${region.name} (instruction)` })),
  { group: 'national', label: 'Équipe nationale' },
];

interface Person {
  readonly email: string;
  readonly verified: boolean;
  readonly groups: readonly string[];
}

export interface LocalOidc {
  readonly issuer: string;
  /** Serves every request under /local/oidc (reads the body itself: call it before anything consumes it). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

// Without the DSFR stylesheet (web app not built yet) the pages still read well.
const FALLBACK_CSS = `
body{font-family:Marianne,Arial,sans-serif;margin:0;color:#161616;background:#fff;line-height:1.5}
main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem}
.fr-notice{background:#e8edff;color:#0063cb;padding:.75rem 1rem;font-weight:700}
label{display:block;font-weight:700;margin:1rem 0 .25rem}
.fr-checkbox-group{margin-top:1rem}
.fr-checkbox-group label{display:inline;margin-left:.5rem}
input[type=email],select{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:0;border-bottom:2px solid #3a3a3a;background:#eee}
.fr-btn{margin-top:1.5rem;background:#000091;color:#fff;border:0;padding:.5rem 1.5rem;font-size:1rem;cursor:pointer}
.fr-btn:focus,input:focus,select:focus{outline:2px solid #0a76f6;outline-offset:2px}
.fr-error-text,.fr-alert--error{color:#ce0500}
`;

function page(title: string, body: string, dsfr: boolean): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Mes pilotes (local)</title>
${dsfr ? '<link rel="stylesheet" href="/dsfr/dsfr.min.css">\n<link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml">' : `<style>${FALLBACK_CSS}</style>`}
</head>
<body>
<header role="banner"><div class="fr-notice fr-notice--info"><div class="fr-container"><div class="fr-notice__body"><p class="fr-notice__title">Connexion locale — environnement de démonstration</p></div></div></div></header>
<main class="fr-container fr-my-4w" id="contenu">
<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
${body}
</div></div>
</main>
</body>
</html>`;
}

function loginForm(uid: string, values: { email: string; verified: boolean; profile: string }, error: string | undefined, dsfr: boolean): string {
  const options = localProfiles
    .map((profile) => `<option value="${profile.group}"${profile.group === values.profile ? ' selected' : ''}>${escapeHtml(profile.label)}</option>`)
    .join('');
  const invalid = error ? ' aria-invalid="true" aria-describedby="email-error"' : '';
  return page(
    error ? 'Erreur : se connecter' : 'Se connecter',
    `<h1>Se connecter à Mes pilotes</h1>
<p>Cet environnement local ne demande pas de mot de passe : indiquez l'adresse et le profil avec lesquels vous voulez essayer la plateforme.</p>
<form method="post" action="${OIDC_PATH}/interaction/${escapeHtml(uid)}/login" novalidate>
<div class="fr-input-group${error ? ' fr-input-group--error' : ''}">
<label class="fr-label" for="email">Adresse électronique</label>
<input class="fr-input${error ? ' fr-input--error' : ''}" type="email" id="email" name="email" autocomplete="email" required autofocus value="${escapeHtml(values.email)}"${invalid}>
${error ? `<p class="fr-error-text" id="email-error">${escapeHtml(error)}</p>` : ''}
</div>
<div class="fr-checkbox-group fr-mt-2w">
<input type="checkbox" id="verified" name="verified" value="1"${values.verified ? ' checked' : ''}>
<label class="fr-label" for="verified">Adresse vérifiée</label>
</div>
<div class="fr-select-group fr-mt-2w">
<label class="fr-label" for="profile">Profil</label>
<select class="fr-select" id="profile" name="profile">${options}</select>
</div>
<button class="fr-btn fr-mt-3w" type="submit">Se connecter</button>
</form>`,
    dsfr,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > 64 * 1024) break;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

// The logout confirmation is submitted for the person (Cognito's /logout asks nothing); a file, as the CSP allows no inline script.
const LOGOUT_SCRIPT = `(function(){var f=document.getElementById('op.logoutForm');if(!f)return;var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();})();`;

export interface LocalOidcOptions {
  /** http://localhost:<port>, the origin of the web app and of the issuer. */
  readonly origin: string;
  /** The signing key, shared with LocalJwt (see LocalJwt.signingJwk). */
  readonly signingKey: JsonWebKey;
  /** Where the web app's DSFR stylesheet would be, to give the login page the DSFR look when it is there. */
  readonly dsfrCssFile?: string;
}

export async function createLocalOidc(options: LocalOidcOptions): Promise<LocalOidc> {
  // Two warnings do not apply here: Node 20 is the project's runtime (it works), and memory is the storage we want.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (/oidc-provider WARNING: (Unsupported runtime|a quick start development-only in-memory adapter)/.test(String(args[0]))) return;
    warn(...args);
  };
  try {
    return await createProvider(options);
  } finally {
    console.warn = warn;
  }
}

async function createProvider(options: LocalOidcOptions): Promise<LocalOidc> {
  // oidc-provider is published as ESM only.
  const { default: Provider, errors } = await import('oidc-provider');
  const issuer = `${options.origin}${OIDC_PATH}`;
  const people = new Map<string, Person>();
  const dsfr = () => (options.dsfrCssFile ? existsSync(options.dsfrCssFile) : false);

  const configuration: Configuration = {
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'Mes pilotes',
        token_endpoint_auth_method: 'none',
        // Cognito gives the web client a refresh token too: oidc-client-ts renews with it, no iframe needed.
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.origin}${WEB_REDIRECT_PATH}`],
        post_logout_redirect_uris: [`${options.origin}/`],
      },
    ],
    jwks: { keys: [options.signingKey as never] },
    // A fresh key per start: sessions live in memory and end with the process anyway.
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['cognito:groups'] },
    // Cognito's ID tokens carry the email and groups: so do ours.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: ACCESS_TOKEN_TTL_S, IdToken: ACCESS_TOKEN_TTL_S, RefreshToken: 12 * 3600, AuthorizationCode: 600, Interaction: 3600, Session: 12 * 3600, Grant: 12 * 3600 },
    async findAccount(_ctx, sub) {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: person.email, email_verified: person.verified, 'cognito:groups': [...person.groups] }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !('accountId' in token)) return undefined;
      const person = people.get(String(token.accountId));
      return {
        token_use: 'access',
        ...(person ? { email: person.email, email_verified: person.verified, 'cognito:groups': [...person.groups] } : {}),
      };
    },
    // No consent screen: the only client is our own web app.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      if (!oidc.client || !oidc.session?.accountId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (existing && existing.accountId === oidc.session.accountId) return existing;
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope(WEB_SCOPE);
      grant.addResourceScope(API_RESOURCE, WEB_SCOPE);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget();
          // Cognito's access tokens carry no `aud` and are accepted by their client_id; oidc-provider always sets
          // an `aud`, so it names the web client, which the authorizer's audience holds (infra/lib/authorizer.ts).
          return { scope: WEB_SCOPE, audience: WEB_CLIENT_ID, accessTokenFormat: 'jwt', accessTokenTTL: ACCESS_TOKEN_TTL_S, jwt: { sign: { alg: 'RS256' } } };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = page(
            'Se déconnecter',
            `<h1>Se déconnecter</h1>${form}<p>Voulez-vous vous déconnecter de Mes pilotes ?</p><button class="fr-btn" type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button><script src="${ASSETS}/logout.js"></script>`,
            dsfr(),
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = page('Déconnexion', `<h1>Vous êtes déconnecté</h1><p><a href="/">Retour à l'accueil</a></p>`, dsfr());
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      const lines = Object.entries(out).map(([key, value]) => `<li><code>${escapeHtml(key)}</code> : ${escapeHtml(String(value))}</li>`).join('');
      ctx.body = page('Erreur de connexion', `<h1>La connexion n'a pas pu aboutir</h1><ul>${lines}</ul><p><a href="/">Retour à l'accueil</a></p>`, dsfr());
    },
  };

  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return sendHtml(res, 400, page('Erreur de connexion', '<h1>Cette page de connexion a expiré</h1><p><a href="/">Recommencer</a></p>', dsfr()));
    const method = (req.method ?? 'GET').toUpperCase();
    if (details.prompt.name !== 'login') {
      // Consent is granted by loadExistingGrant; any other prompt is finished as is.
      return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    if (method === 'GET' && action === undefined) {
      return sendHtml(res, 200, loginForm(uid, { email: '', verified: true, profile: 'candidat' }, undefined, dsfr()));
    }
    if (method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const email = (form.get('email') ?? '').trim();
      const verified = form.has('verified');
      const profile = form.get('profile') ?? 'candidat';
      const known = localProfiles.find((candidate) => candidate.group === profile);
      const error = !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254 ? 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.' : undefined;
      if (error || !known) return sendHtml(res, 400, loginForm(uid, { email, verified, profile }, error ?? 'Profil inconnu.', dsfr()));
      const sub = localSub(email);
      people.set(sub, { email: email.toLowerCase(), verified, groups: [known.group] });
      return provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    }
    return sendHtml(res, 405, page('Erreur', '<h1>Action non prise en charge</h1>', dsfr()));
  }

  return {
    issuer,
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === `${ASSETS}/logout.js`) {
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
        return void res.end(LOGOUT_SCRIPT);
      }
      const found = new RegExp(`^${OIDC_PATH}/interaction/([\\w-]+)(?:/(login))?$`).exec(url.pathname);
      if (found) {
        try {
          return await interaction(req, res, found[1]!, found[2]);
        } catch (error) {
          // Most often: the interaction cookie expired or the page was opened outside a sign-in.
          const detail = error instanceof Error ? error.message : String(error);
          return sendHtml(res, 400, page('Erreur de connexion', `<h1>Cette page de connexion a expiré</h1><p>${escapeHtml(detail)}</p><p><a href="/">Recommencer depuis l'accueil</a></p>`, dsfr()));
        }
      }
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      // As Express mounts an app: the provider sees its own paths and finds its mount point in originalUrl.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = (req.url ?? '/').slice(OIDC_PATH.length) || '/';
      await callback(req, res);
    },
  };
}
