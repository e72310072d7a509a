import { actions, applicantRecipients, authorize, may, relationOf, relations, type Action, type Caller, type Holding, type Relation } from '../../layers/domain/access';
import { DomainError } from '../../layers/domain/errors';

/** The access policy as a table: relation × action, every cell said once. */
// prettier-ignore
const table: Record<Relation, Record<Action, boolean>> = {
  //                 read   edit   submit withdraw collab review* review decide transfer signE  signA  report readU  regClient download attach
  owner:             row(1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1),
  collaborator:      row(1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0),
  region_staff:      row(1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0),
  national:          row(1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0),
  registered_client: row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0),
  stranger:          row(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
};
function row(...cells: number[]): Record<Action, boolean> {
  return Object.fromEntries(actions.map((action, index) => [action, cells[index] === 1])) as Record<Action, boolean>;
}

const caller = (overrides: Partial<Caller> = {}): Caller => ({ id: 'sub-1', verifiedEmail: undefined, roles: new Set(['candidat']), regions: [], clientId: undefined, ...overrides });
const file: Holding = { ars: 'NAQ', ownerId: 'owner-sub', ownerEmail: 'direction@ehpad.fr', collaborators: [{ email: 'adjoint@ehpad.fr' }], reportingClients: ['dui-a'] };

describe('the access policy', () => {
  it.each(relations.flatMap((relation) => actions.map((action) => [relation, action] as const)))('%s may %s: as the table says', (relation, action) => {
    expect(may(relation, action)).toBe(table[relation][action]);
  });

  it.each<[string, Caller, Relation]>([
    ['the owning account', caller({ id: 'owner-sub' }), 'owner'],
    ['another account with the owner address', caller({ id: 'other', verifiedEmail: 'direction@ehpad.fr' }), 'stranger'],
    ['a verified collaborator', caller({ verifiedEmail: 'adjoint@ehpad.fr' }), 'collaborator'],
    ['the collaborator address unverified', caller({ verifiedEmail: undefined }), 'stranger'],
    ['an ARS reviewer of the region', caller({ roles: new Set(['ars']), regions: ['NAQ'] }), 'region_staff'],
    ['an ARS reviewer of another region', caller({ roles: new Set(['ars']), regions: ['OCC'] }), 'stranger'],
    ['national staff', caller({ roles: new Set(['national']) }), 'national'],
    ['a registered DUI client', caller({ id: 'dui-a', roles: new Set(['client']), clientId: 'dui-a' }), 'registered_client'],
    ['another DUI client', caller({ id: 'dui-b', roles: new Set(['client']), clientId: 'dui-b' }), 'stranger'],
    ['a client whose id is the owner sub', caller({ id: 'owner-sub', roles: new Set(['client']), clientId: 'owner-sub' }), 'stranger'],
    ['anonymous', caller({ id: undefined, roles: new Set() }), 'stranger'],
  ])('%s is %s', (_, who, relation) => {
    expect(relationOf(who, file)).toBe(relation);
  });

  it('follows a transfer: the file given to an address is its verified holder\'s, whatever the account', () => {
    const transferred: Holding = { ars: 'NAQ', ownerEmail: 'directrice@ehpad.fr' };
    expect(relationOf(caller({ id: 'new-account', verifiedEmail: 'directrice@ehpad.fr' }), transferred)).toBe('owner');
    expect(relationOf(caller({ id: 'owner-sub' }), transferred)).toBe('stranger');
  });

  it('answers 404 to a stranger and 403 to a relation without the right', () => {
    const refusal = (who: Caller, action: Action) => {
      try {
        authorize(who, file, action);
        return 'allowed';
      } catch (error) {
        return error instanceof DomainError ? error.code : 'other';
      }
    };
    expect(refusal(caller({ id: 'someone' }), 'read')).toBe('not_found');
    expect(refusal(caller({ verifiedEmail: 'adjoint@ehpad.fr' }), 'manage_collaborators')).toBe('forbidden');
    expect(refusal(caller({ roles: new Set(['national']) }), 'sign_ars')).toBe('forbidden');
    expect(refusal(caller({ roles: new Set(['ars']), regions: ['NAQ'] }), 'sign_ars')).toBe('allowed');
  });

  it('writes only to the owner verified address and to collaborators who signed in', () => {
    expect(applicantRecipients({ ars: 'NAQ', ownerEmail: 'a@x.fr', collaborators: [{ email: 'b@x.fr' }, { email: 'c@x.fr', joinedAt: '2024-01-01T10:00:00+01:00' }] })).toEqual(['a@x.fr', 'c@x.fr']);
    expect(applicantRecipients({ ars: 'NAQ' })).toEqual([]);
  });
});
