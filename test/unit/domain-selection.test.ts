import fc from 'fast-check';
import { newApplication, type Application, type ApplicationStatus } from '../../layers/domain/application';
import { parseInstant } from '../../layers/domain/calendar';
import { milestoneInstants, newCampaign } from '../../layers/domain/campaign';
import { defaultCampaign } from '../../layers/domain/default-campaign';
import { withCheckKey } from '../../layers/domain/finess';
import { admits, decisionCharge, quotaReached, regionalQuota, withdrawalCharge } from '../../layers/domain/quota';
import { assertSelectionOpen, decide, isAwaitingNotification, markNotified, retainedDelta, review, type DecisionInput } from '../../layers/domain/selection';
import { outcome } from './support/outcome';

const at = (text: string): Date => parseInstant(text)!;
const campaign = { ...newCampaign(defaultCampaign, at('2023-08-01T00:00:00+02:00')), quotas: { NAQ: 2 } };
const m = milestoneInstants(campaign);
const NOW = at('2023-11-20T10:00:00+01:00');
const base = newApplication({ id: 'MES-000001', campaignId: campaign.id, ownerId: 'p', create: { finess: withCheckKey('33000001'), name: 'EHPAD' }, now: at('2023-10-01T10:00:00+02:00') });
const inReview: Application = { ...base, status: 'en_instruction' };
const retain: DecisionInput = { decision: 'retenue', motivation: 'Projet solide.' };
const reject: DecisionInput = { decision: 'non_retenue', motivation: 'Trop tôt.' };


describe('the selection window, open while now < selectionEndsAt', () => {
  it('accepts up to the last millisecond and refuses from the end on', () => {
    expect(outcome(() => assertSelectionOpen(campaign, new Date(m.selectionEndsAt.getTime() - 1)))).toBe('ok');
    expect(outcome(() => assertSelectionOpen(campaign, m.selectionEndsAt))).toBe('selection_closed');
    expect(() => assertSelectionOpen(campaign, m.selectionEndsAt)).toThrow("La sélection était ouverte jusqu'au 15 décembre 2023 à 23 h 59 (heure de Paris) : elle est close.");
  });

  it('is closed exactly from its end, at any instant around it', () => {
    fc.assert(
      fc.property(fc.integer({ min: -7 * 86_400_000, max: 7 * 86_400_000 }), (offset) => {
        expect(outcome(() => assertSelectionOpen(campaign, new Date(m.selectionEndsAt.getTime() + offset)))).toBe(offset >= 0 ? 'selection_closed' : 'ok');
      }),
    );
  });
});

describe('deciding', () => {
  const notified = (status: 'retenue' | 'non_retenue'): Application => ({ ...decide(inReview, status === 'retenue' ? retain : reject, 'ars', NOW), decision: { decision: status, motivation: 'x', decidedAt: 'x', decidedBy: 'ars', notifiedAt: 'y' } });
  const table: Array<[string, Application, string]> = [
    ['in review', inReview, 'ok'],
    ['retained, not notified', decide(inReview, retain, 'ars', NOW), 'ok'],
    ['rejected, not notified', decide(inReview, reject, 'ars', NOW), 'ok'],
    ['retained and notified', notified('retenue'), 'invalid_transition'],
    ['rejected and notified', notified('non_retenue'), 'invalid_transition'],
    ...(['brouillon', 'deposee', 'sans_suite'] as ApplicationStatus[]).map((status): [string, Application, string] => [status, { ...inReview, status }, 'invalid_transition']),
  ];
  it.each(table)('a file %s: %s', (_what, application, expected) => {
    expect(outcome(() => decide(application, retain, 'ars', NOW))).toBe(expected);
  });

  it('records the decision, its motivation, who and when, one version up', () => {
    expect(decide(inReview, retain, 'ars-NAQ:agent', NOW)).toEqual({
      ...inReview,
      status: 'retenue',
      decision: { decision: 'retenue', motivation: 'Projet solide.', decidedAt: '2023-11-20T10:00:00+01:00', decidedBy: 'ars-NAQ:agent' },
      version: inReview.version + 1,
      updatedAt: '2023-11-20T10:00:00+01:00',
    });
  });

  it('says why it refuses', () => {
    expect(() => decide(notified('retenue'), reject, 'ars', NOW)).toThrow('Aucune décision ne peut être prise : la décision a déjà été notifiée.');
    expect(() => decide({ ...inReview, status: 'deposee' }, reject, 'ars', NOW)).toThrow('Aucune décision ne peut être prise : le dossier est déposé.');
  });

  it('is notified once', () => {
    const decided = decide(inReview, reject, 'ars', NOW);
    expect(isAwaitingNotification(decided)).toBe(true);
    const sent = markNotified(decided, at('2023-12-16T00:00:00+01:00'));
    expect(sent).toMatchObject({ decision: { ...decided.decision, notifiedAt: '2023-12-16T00:00:00+01:00' }, version: decided.version + 1, updatedAt: '2023-12-16T00:00:00+01:00' });
    expect(isAwaitingNotification(sent)).toBe(false);
    expect(outcome(() => markNotified(sent, NOW))).toBe('invalid_transition');
    expect(outcome(() => markNotified(inReview, NOW))).toBe('invalid_transition');
    expect(isAwaitingNotification(inReview)).toBe(false);
    expect(isAwaitingNotification({ ...inReview, status: 'retenue' })).toBe(false);
  });
});

describe('reviewing', () => {
  const scores = { maturite_dui: 5, parcours: 4, sensibilisation: 3, partenariats: 3, capacite: 2 };
  it('averages the five scores to two decimals and stamps the reviewer', () => {
    expect(review(inReview, { scores, comment: 'Bien.' }, 'ars', NOW)).toEqual({
      ...inReview,
      review: { scores, comment: 'Bien.', average: 3.4, reviewedAt: '2023-11-20T10:00:00+01:00', reviewedBy: 'ars' },
      version: inReview.version + 1,
      updatedAt: '2023-11-20T10:00:00+01:00',
    });
    expect(review(inReview, { scores: { ...scores, capacite: 3, parcours: 3 }, comment: '' }, 'ars', NOW).review?.average).toBe(3.4);
    expect(review(inReview, { scores: { maturite_dui: 1, parcours: 1, sensibilisation: 1, partenariats: 0, capacite: 0 }, comment: '' }, 'ars', NOW).review?.average).toBe(0.6);
    expect(review(inReview, { scores: { maturite_dui: 2, parcours: 2, sensibilisation: 2, partenariats: 2, capacite: 1 }, comment: '' }, 'ars', NOW).review?.average).toBe(1.8);
  });

  it.each([
    ['en_instruction', undefined, 'ok'],
    ['retenue', false, 'ok'],
    ['retenue', true, 'invalid_transition'],
    ['non_retenue', false, 'ok'],
    ['non_retenue', true, 'invalid_transition'],
    ['deposee', undefined, 'invalid_transition'],
    ['sans_suite', undefined, 'invalid_transition'],
  ] as const)('a file %s (notified: %s): %s', (status, wasNotified, expected) => {
    const application: Application = { ...inReview, status, ...(wasNotified === undefined ? {} : { decision: { decision: 'retenue', motivation: 'x', decidedAt: 'x', decidedBy: 'x', ...(wasNotified ? { notifiedAt: 'y' } : {}) } }) };
    expect(outcome(() => review(application, { scores, comment: '' }, 'ars', NOW))).toBe(expected);
  });
});

describe('what a refusal says', () => {
  it('names the status of a file that cannot be reviewed', () => {
    expect(() => review({ ...inReview, status: 'deposee' }, { scores: { maturite_dui: 1, parcours: 1, sensibilisation: 1, partenariats: 1, capacite: 1 }, comment: '' }, 'ars', NOW)).toThrow(
      'Le dossier est déposé : seul un dossier en instruction peut être évalué.',
    );
  });

  it('has no decision to notify on a file in review, nor on one already notified', () => {
    const sent = markNotified(decide(inReview, retain, 'ars', NOW), NOW);
    for (const application of [inReview, sent]) expect(() => markNotified(application, NOW)).toThrow('Aucune décision à notifier.');
  });

  it('awaits notification for a rejection too, until it is notified', () => {
    const rejected = decide(inReview, reject, 'ars', NOW);
    expect(isAwaitingNotification(rejected)).toBe(true);
    expect(isAwaitingNotification({ ...rejected, decision: undefined })).toBe(false);
    expect(isAwaitingNotification(markNotified(rejected, NOW))).toBe(false);
  });

  it('gives the quota and the way out when the region is full', () => {
    expect(quotaReached(2).detail).toBe('Le quota de la région est atteint : 2 dossier(s) retenu(s) au plus. Revenez sur une autre décision pour en retenir un nouveau.');
  });
});

describe('the regional quota', () => {
  const retained = decide(inReview, retain, 'ars', NOW);
  const rejected = decide(inReview, reject, 'ars', NOW);

  it.each([
    ['in review → retained', inReview, retained, 1],
    ['in review → rejected', inReview, rejected, 0],
    ['retained → rejected', retained, rejected, -1],
    ['rejected → retained', rejected, retained, 1],
    ['retained → retained', retained, retained, 0],
  ] as const)('a decision %s moves the retained count by %d', (_what, before, after, delta) => {
    expect(retainedDelta(before, after)).toBe(delta);
    const charge = decisionCharge(campaign, before, after);
    expect(charge).toEqual(delta === 0 ? undefined : { campaignId: campaign.id, ars: 'NAQ', delta, ...(delta > 0 ? { quota: 2 } : {}) });
  });

  it('caps only a move up, in a region with a quota, strictly below it', () => {
    expect(regionalQuota(campaign, 'NAQ')).toBe(2);
    expect(regionalQuota(campaign, 'OCC')).toBeUndefined();
    expect(Object.keys(decisionCharge({ ...campaign, quotas: {} }, inReview, retained)!)).toEqual(['campaignId', 'ars', 'delta']);
    const up = { campaignId: campaign.id, ars: 'NAQ' as const, delta: 1, quota: 2 };
    expect([0, 1, 2, 3].map((count) => admits(count, up))).toEqual([true, true, false, false]);
    expect(admits(5, { ...up, delta: -1 })).toBe(true);
    expect(admits(5, { ...up, delta: 0 })).toBe(true);
    expect(admits(5, { campaignId: campaign.id, ars: 'NAQ', delta: 1 })).toBe(true);
    expect(admits(0, { ...up, quota: 0 })).toBe(false);
  });

  it('gives a place back when a retained file is withdrawn, and only then', () => {
    expect(withdrawalCharge(retained)).toEqual({ campaignId: campaign.id, ars: 'NAQ', delta: -1 });
    for (const status of ['brouillon', 'deposee', 'en_instruction', 'non_retenue', 'sans_suite'] as const) expect(withdrawalCharge({ ...inReview, status })).toBeUndefined();
  });

  it('says the quota in its refusal', () => {
    expect(quotaReached(2)).toMatchObject({ code: 'quota_reached' });
    expect(quotaReached(2).detail).toContain('2 dossier(s) retenu(s) au plus');
  });

  it('is never exceeded, whatever the order of decisions and withdrawals, and a refused move changes nothing', () => {
    type Step = { file: number; action: 'retain' | 'reject' | 'withdraw' };
    const steps = fc.array(fc.record({ file: fc.nat(5), action: fc.constantFrom<Step['action']>('retain', 'retain', 'reject', 'withdraw') }), { maxLength: 40 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), steps, (quota, plan) => {
        const limited = { ...campaign, quotas: { NAQ: quota } };
        const files: Application[] = Array.from({ length: 6 }, (_, n) => ({ ...inReview, id: `MES-${n}` }));
        let count = 0;
        for (const { file, action } of plan) {
          const before = files[file]!;
          if (action === 'withdraw') {
            if (before.status === 'sans_suite') continue;
            const charge = withdrawalCharge(before);
            if (charge) count += charge.delta;
            files[file] = { ...before, status: 'sans_suite' };
          } else {
            if (before.status === 'sans_suite') continue;
            const after = decide(before, action === 'retain' ? retain : reject, 'ars', NOW);
            const charge = decisionCharge(limited, before, after);
            if (charge && !admits(count, charge)) continue;
            if (charge) count += charge.delta;
            files[file] = after;
          }
          expect(count).toBeLessThanOrEqual(quota);
          expect(count).toBe(files.filter((application) => application.status === 'retenue').length);
        }
      }),
    );
  });
});
