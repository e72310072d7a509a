import { applicantHistory, type Application, type HistoryEntry } from '../../layers/domain/application';

const entry = (action: string, motivation?: string): HistoryEntry => ({ at: '2031-03-10T10:00:00+01:00', actor: 'x', action, from: 'en_instruction', to: 'en_instruction', ...(motivation ? { motivation } : {}) });
const history = [entry('depot'), entry('cloture_candidatures'), entry('evaluation'), entry('decision', 'Premier avis'), entry('decision', 'Avis final'), entry('notification')];
const application = (notifiedAt?: string) =>
  ({ decision: { decision: 'non_retenue', motivation: 'Avis final', decidedAt: 'x', decidedBy: 'x', ...(notifiedAt ? { notifiedAt } : {}) } }) as unknown as Application;

describe('the history an applicant reads', () => {
  it('never shows reviews, nor decisions before one is notified', () => {
    expect(applicantHistory(history.slice(0, 5), application()).map((item) => item.action)).toEqual(['depot', 'cloture_candidatures']);
  });

  it('shows only the decision that was notified, with its motivation, not the ones it replaced', () => {
    const seen = applicantHistory(history, application('2031-03-20T10:00:00+01:00'));
    expect(seen.map((item) => [item.action, item.motivation])).toEqual([
      ['depot', undefined],
      ['cloture_candidatures', undefined],
      ['decision', 'Avis final'],
      ['notification', undefined],
    ]);
  });
});
