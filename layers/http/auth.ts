import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { normalizeEmail } from '../domain/access';
import { DomainError, notFound } from '../domain/errors';
import { isArsCode, type ArsCode } from '../domain/regions';
import type { Access, Role } from './routes';

/** The scope a machine client (a DUI vendor's software) needs to report usage figures. */
export const USAGE_WRITE_SCOPE = 'usage/write';

/** Who is calling, read from the JWT claims API Gateway put in the request context. */
export interface Principal {
  /** Cognito `sub`, or the client id for a machine client; undefined when anonymous. */
  readonly id: string | undefined;
  readonly email: string | undefined;
  /** `email`, lower-case, only when the token says `email_verified`: the address that counts for access and mail. */
  readonly verifiedEmail: string | undefined;
  readonly roles: ReadonlySet<Role>;
  /** The ARS regions whose files this caller reviews (from `ars-<CODE>` groups). */
  readonly regions: readonly ArsCode[];
  readonly clientId: string | undefined;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

export const anonymous: Principal = { id: undefined, email: undefined, verifiedEmail: undefined, roles: new Set(), regions: [], clientId: undefined };

/**
 * API Gateway HTTP APIs flatten array claims to a string such as `[ars-NAQ national]`;
 * accept that, a JSON array and a real array alike.
 */
export function listClaim(value: Claims[string]): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: API Gateway's space-separated form
    }
    return text.slice(1, -1).split(/[\s,]+/).filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

export function principalFromClaims(claims: Claims | undefined): Principal {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return anonymous;
  const groups = listClaim(claims['cognito:groups']);
  const scopes = listClaim(claims.scope);
  const roles = new Set<Role>();
  const regions: ArsCode[] = [];
  for (const group of groups) {
    if (group === 'candidat' || group === 'national') roles.add(group);
    const match = /^ars-([A-Z]{3})$/.exec(group);
    if (match?.[1] && isArsCode(match[1])) {
      roles.add('ars');
      regions.push(match[1]);
    }
  }
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  // Client-credentials tokens (DUI software) carry the client id as their subject.
  const machine = clientId !== undefined && clientId === claims.sub;
  if (clientId && scopes.includes(USAGE_WRITE_SCOPE)) roles.add('client');
  // Self sign-up users are applicants even before anyone puts them in the `candidat` group.
  if (groups.length === 0 && !machine) roles.add('candidat');
  const email = typeof claims.email === 'string' && claims.email !== '' ? claims.email : undefined;
  // API Gateway passes every claim as a string: `true` arrives as "true".
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  return {
    id: claims.sub,
    email,
    verifiedEmail: email && verified ? normalizeEmail(email) : undefined,
    roles,
    regions,
    clientId,
  };
}

export function principalOf(event: APIGatewayProxyEventV2): Principal {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer;
  return principalFromClaims(authorizer?.jwt?.claims);
}

/** The route-level check every handler runs first: 401 without identity, 403 without a role the route allows. */
export function assertRouteAccess(principal: Principal, access: Access): void {
  if (access === 'public') return;
  if (principal.id === undefined) {
    throw new DomainError('unauthenticated', 'Authentification requise : joignez un jeton valide (Authorization: Bearer …).');
  }
  if (!access.some((role) => principal.roles.has(role))) {
    throw new DomainError('forbidden', "Votre profil ne permet pas cette action.");
  }
}

export const isNational = (principal: Principal): boolean => principal.roles.has('national');

/** National staff see every region; an ARS reviewer sees only its own. */
export const mayActForRegion = (principal: Principal, ars: string): boolean =>
  isNational(principal) || principal.regions.some((region) => region === ars);

/**
 * The region an ARS-or-national list is about: an ARS reviewer is kept to its own region whatever it asks;
 * national staff get what they asked for, or every region (undefined).
 */
export function regionFilter(principal: Principal, requested: string | undefined): ArsCode | undefined {
  if (isNational(principal)) {
    if (requested === undefined) return undefined;
    if (!isArsCode(requested)) throw new DomainError('validation_failed', `Code ARS inconnu : ${requested}.`, [{ path: 'query.ars', message: 'Code ARS inconnu' }]);
    return requested;
  }
  const own = principal.regions[0];
  if (!own) throw new DomainError('forbidden', "Votre profil ne permet pas cette action.");
  if (requested !== undefined && !principal.regions.some((region) => region === requested)) {
    throw new DomainError('forbidden', "Vous ne pouvez consulter que les dossiers de votre région.");
  }
  return (requested as ArsCode | undefined) ?? own;
}

/** Resources of a region the caller may not see answer 404, so their existence is not revealed. */
export function assertMayActForRegion(principal: Principal, ars: string, what?: string): void {
  if (!mayActForRegion(principal, ars)) throw notFound(what);
}

/** How a person appears in histories: their role, then their id. */
export function actorOf(principal: Principal): string {
  if (principal.roles.has('national')) return `national:${principal.id}`;
  if (principal.regions[0]) return `ars-${principal.regions[0]}:${principal.id}`;
  if (principal.roles.has('client')) return `client:${principal.clientId}`;
  return `candidat:${principal.id}`;
}
