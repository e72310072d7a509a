// The only module that knows about OpenID Connect: Cognito's managed login in AWS, the local provider
// (infra/local) on `npm start`. Both speak authorization code + PKCE; settings come from /config.json.
// oidc-client-ts is loaded only to sign in or out: the first page of a visitor does not carry it.
import type { User, UserManager } from 'oidc-client-ts';
import { cognitoLogoutUrl } from './cognito-logout';

export interface RuntimeConfig {
  readonly oidc: {
    readonly authority: string;
    readonly clientId: string;
    readonly scope: string;
    /** Cognito's logout endpoint (its discovery document names no end_session_endpoint); absent locally. */
    readonly logoutUrl?: string;
  };
  readonly environment: 'local' | 'aws';
}

export interface Session {
  readonly email?: string;
  readonly groups: readonly string[];
  readonly accessToken: string;
}

export const CALLBACK_PATH = '/connexion/retour';

let configPromise: Promise<RuntimeConfig> | undefined;
let managerPromise: Promise<UserManager> | undefined;
let current: Session | null = null;
// Set when the API refused the tokens (expired or revoked), so that pages can say so rather than "sign in".
let ended = false;
const listeners = new Set<(session: Session | null) => void>();

export function runtimeConfig(): Promise<RuntimeConfig> {
  configPromise ??= fetch('/config.json', { headers: { accept: 'application/json' } }).then((response) => {
    if (!response.ok) throw new Error(`config.json: ${response.status}`);
    return response.json() as Promise<RuntimeConfig>;
  });
  return configPromise;
}

function manager(): Promise<UserManager> {
  managerPromise ??= Promise.all([runtimeConfig(), import('oidc-client-ts')]).then(([{ oidc }, { UserManager, WebStorageStateStore }]) => {
    const origin = window.location.origin;
    const userManager = new UserManager({
      authority: oidc.authority,
      client_id: oidc.clientId,
      scope: oidc.scope,
      redirect_uri: origin + CALLBACK_PATH,
      post_logout_redirect_uri: origin + '/',
      response_type: 'code',
      // Tokens live for the tab only; no silent renew (an expired session asks to sign in again).
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: false,
      loadUserInfo: false,
    });
    userManager.events.addUserLoaded((user) => publish(sessionOf(user)));
    userManager.events.addUserUnloaded(() => publish(null));
    return userManager;
  });
  return managerPromise;
}

/** Groups and email as the API reads them: from the access token's claims (Cognito puts groups there). */
function claimsOf(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What a session needs of oidc-client-ts's User, which is also what its store keeps (JSON). */
type StoredUser = Pick<User, 'access_token' | 'expires_at'> & { profile?: { email?: string } };

function sessionOf(user: StoredUser | null): Session | null {
  if (!user?.access_token || (user.expires_at !== undefined && user.expires_at * 1000 <= Date.now())) return null;
  const claims = claimsOf(user.access_token);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  const email = typeof claims.email === 'string' ? claims.email : user.profile?.email;
  return { accessToken: user.access_token, groups, ...(email ? { email } : {}) };
}

/** oidc-client-ts's own key in its store (WebStorageStateStore with its default prefix). */
const storeKey = (oidc: RuntimeConfig['oidc']): string => `oidc.user:${oidc.authority}:${oidc.clientId}`;

function publish(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener(session);
}

/** The session kept in this tab, if any (called once at start-up). */
export async function restoreSession(): Promise<Session | null> {
  try {
    const { oidc } = await runtimeConfig();
    const stored = window.sessionStorage.getItem(storeKey(oidc));
    publish(sessionOf(stored ? (JSON.parse(stored) as StoredUser) : null));
  } catch {
    publish(null);
  }
  return current;
}

export const currentSession = (): Session | null => current;

/** True once the API refused this tab's tokens: the person was signed in and must sign in again. */
export const sessionEnded = (): boolean => ended;

export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The access token for the API, or undefined when signed out or expired. */
export function accessToken(): string | undefined {
  return current?.accessToken;
}

/** Leaves for the provider's login page; comes back to `returnTo` after CALLBACK_PATH. */
export async function signIn(returnTo: string): Promise<void> {
  await (await manager()).signinRedirect({ state: { returnTo } });
}

/** On CALLBACK_PATH: exchanges the code (PKCE) and returns where the person was going. */
export async function completeSignIn(): Promise<string> {
  const user = await (await manager()).signinRedirectCallback();
  publish(sessionOf(user));
  const state = user.state as { returnTo?: string } | undefined;
  return state?.returnTo && state.returnTo.startsWith('/') ? state.returnTo : '/mes-dossiers';
}

/**
 * Forgets the tokens and ends the provider's session too, so that the next "Se connecter" on a shared computer
 * asks for the password again: through the end-session endpoint the provider publishes (the local one), else
 * through Cognito's logout endpoint, which comes back to the home page (a sign-out URL of the web client).
 */
export async function signOut(): Promise<void> {
  const userManager = await manager();
  const endSession = await userManager.metadataService.getEndSessionEndpoint().catch(() => undefined);
  if (endSession) {
    await userManager.signoutRedirect();
    return;
  }
  await userManager.removeUser();
  const { oidc } = await runtimeConfig();
  window.location.assign(oidc.logoutUrl ? cognitoLogoutUrl(oidc.logoutUrl, oidc.clientId, window.location.origin) : '/');
}


/** Called when the API answers 401: the tokens are no longer good. */
export async function forgetSession(): Promise<void> {
  ended = current !== null || ended;
  try {
    window.sessionStorage.removeItem(storeKey((await runtimeConfig()).oidc));
  } catch {
    // Storage unavailable: nothing was kept.
  }
  publish(null);
}
