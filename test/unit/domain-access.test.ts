import { actions, applicantRecipients, authorize, normalizeEmail, policy, relationOf, relations, type Action, type Caller, type Holding, type Relation } from '../../layers/domain/access';
import { outcome, thrown } from './support/outcome';

const caller = (overrides: Partial<Caller> = {}): Caller => ({ id: 'sub-1', verifiedEmail: undefined, roles: new Set(['candidat']), regions: [], clientId: undefined, ...overrides });
const file: Holding = { ars: 'NAQ', ownerId: 'owner-sub', ownerEmail: 'direction@ehpad.fr', collaborators: [{ email: 'adjoint@ehpad.fr' }], reportingClients: ['dui-a'] };

/** One caller of each relation to `file`. */
const callers: Record<Relation, Caller> = {
  owner: caller({ id: 'owner-sub', verifiedEmail: 'direction@ehpad.fr' }),
  collaborator: caller({ id: 'collab-sub', verifiedEmail: 'adjoint@ehpad.fr' }),
  national: caller({ id: 'national-sub', roles: new Set(['national']) }),
  region_staff: caller({ id: 'ars-sub', roles: new Set(['ars']), regions: ['OCC', 'NAQ'] }),
  registered_client: caller({ id: 'dui-a', roles: new Set(['client']), clientId: 'dui-a' }),
  stranger: caller({ id: 'someone', verifiedEmail: 'someone@ehpad.fr' }),
};

const FORBIDDEN_DETAIL: Partial<Record<Action, string>> = {
  manage_collaborators: 'Seul le porteur du dossier gère ses collaborateurs.',
  sign_esms: "Seul le porteur du dossier, ou un collaborateur, signe pour l'établissement.",
  sign_ars: "Seule l'ARS de la région signe pour l'ARS.",
  report_usage: "Seul l'établissement pilote, ou un logiciel déclaré pour lui, transmet ses chiffres d'usage.",
};

describe('who a caller is to a file', () => {
  it.each(relations)('the %s caller of the table is found as such', (relation) => {
    expect(relationOf(callers[relation], file)).toBe(relation);
  });

  it.each<[string, Caller, Holding, Relation]>([
    ['the owner who is also national staff', caller({ id: 'owner-sub', roles: new Set(['national']) }), file, 'owner'],
    ['a collaborator who is also an ARS reviewer of the region', caller({ verifiedEmail: 'adjoint@ehpad.fr', roles: new Set(['ars']), regions: ['NAQ'] }), file, 'collaborator'],
    ['national staff who also reviews another region', caller({ roles: new Set(['national', 'ars']), regions: ['OCC'] }), file, 'national'],
    ['an account in the region without the ARS role', caller({ regions: ['NAQ'] }), file, 'stranger'],
    ['a machine client with the collaborator address', caller({ id: 'dui-b', verifiedEmail: 'adjoint@ehpad.fr', roles: new Set(['client']), clientId: 'dui-b' }), file, 'stranger'],
    ['a person carrying the client id of a registered client', caller({ clientId: 'dui-a' }), file, 'stranger'],
    ['a client without a client id on a file whose list is empty', caller({ roles: new Set(['client']) }), { ars: 'NAQ', reportingClients: [] }, 'stranger'],
    ['a client of a file with no registered client', caller({ id: 'dui-a', roles: new Set(['client']), clientId: 'dui-a' }), { ars: 'NAQ' }, 'stranger'],
    ['an account without address on a file with no owner yet', caller(), { ars: 'NAQ' }, 'stranger'],
    ['an address without account on a transferred file', caller({ id: undefined, verifiedEmail: 'directrice@ehpad.fr' }), { ars: 'NAQ', ownerEmail: 'directrice@ehpad.fr' }, 'stranger'],
    ['an address without account among the collaborators', caller({ id: undefined, verifiedEmail: 'adjoint@ehpad.fr' }), file, 'stranger'],
    ['a verified address on a file without collaborators', caller({ verifiedEmail: 'adjoint@ehpad.fr' }), { ars: 'NAQ', ownerId: 'owner-sub' }, 'stranger'],
    ['another verified address on a transferred file', caller({ id: 'new-account', verifiedEmail: 'autre@ehpad.fr' }), { ars: 'NAQ', ownerEmail: 'directrice@ehpad.fr' }, 'stranger'],
    ['the owner address on a file owned by an account', caller({ verifiedEmail: 'direction@ehpad.fr' }), file, 'stranger'],
  ])('%s is %s', (_who, who, holding, relation) => {
    expect(relationOf(who, holding)).toBe(relation);
  });
});

describe('what each relation may do to a file', () => {
  const cells = relations.flatMap((relation) => actions.map((action) => [relation, action] as const));

  it.each(cells)('%s asking to %s: allowed as the policy says, else 404 to a stranger and 403 to the others', (relation, action) => {
    const who = callers[relation];
    if (policy[relation].has(action)) expect(authorize(who, file, action)).toBe(relation);
    else if (relation === 'stranger') expect(thrown(() => authorize(who, file, action))).toMatchObject({ code: 'not_found', detail: "Le dossier demandé n'existe pas ou ne vous est pas accessible." });
    else expect(thrown(() => authorize(who, file, action))).toMatchObject({ code: 'forbidden', detail: FORBIDDEN_DETAIL[action] ?? 'Votre profil ne permet pas cette action sur ce dossier.' });
  });

  it('names what a stranger asked for in the 404', () => {
    expect(thrown(() => authorize(callers.stranger, file, 'read', 'La convention demandée')).detail).toBe("La convention demandée n'existe pas ou ne vous est pas accessible.");
    expect(outcome(() => authorize(callers.owner, file, 'read', 'La convention demandée'))).toBe('ok');
  });
});

describe('the addresses written to about a file', () => {
  it('are the owner address and the collaborators who signed in, each once, in that order', () => {
    const holding: Holding = {
      ars: 'NAQ',
      ownerEmail: 'a@x.fr',
      collaborators: [
        { email: 'b@x.fr' },
        { email: 'c@x.fr', joinedAt: '2024-01-01T10:00:00+01:00' },
        { email: 'a@x.fr', joinedAt: '2024-01-02T10:00:00+01:00' },
        { email: 'c@x.fr', joinedAt: '2024-01-03T10:00:00+01:00' },
      ],
    };
    expect(applicantRecipients(holding)).toEqual(['a@x.fr', 'c@x.fr']);
  });

  it('leave out an owner without address', () => {
    expect(applicantRecipients({ ars: 'NAQ', ownerId: 'owner-sub', collaborators: [{ email: 'c@x.fr', joinedAt: '2024-01-01T10:00:00+01:00' }] })).toEqual(['c@x.fr']);
  });

  it('compare addresses trimmed and in lower case', () => {
    expect(normalizeEmail('  Direction@EHPAD.fr ')).toBe('direction@ehpad.fr');
  });
});
