import type { Application, HistoryEntry } from '../../domain/application';
import type { Campaign } from '../../domain/campaign';
import type { Convention } from '../../domain/convention';
import { ConcurrentModificationError, DomainError } from '../../domain/errors';
import { pilotOf, type Pilot } from '../../domain/pilot';
import {
  queuedEmailKey,
  type ApplicationChange,
  type Applications,
  type Campaigns,
  type Conventions,
  type Mail,
  type Pilots,
  type QueuedEmail,
  type Receipt,
  type Schedules,
  type StepLedger,
  type UsageReports,
  type WriteOutcome,
} from '../../domain/ports';
import { admits, quotaReached, type QuotaCharge } from '../../domain/quota';
import { planReport, type UsageCorrection, type UsageMonth } from '../../domain/usage';

/**
 * The ports in memory, for unit tests of the use cases: the same answers as the DynamoDB adapters (a stale
 * version, a held FINESS, a full quota, an email already recorded), each write all-or-nothing, no AWS.
 * `state` is there for tests to arrange and to look at what was stored.
 */
export function memoryPorts() {
  const state = {
    campaigns: new Map<string, Campaign>(),
    applications: new Map<string, Application>(),
    history: new Map<string, HistoryEntry[]>(),
    /** FINESS claims: `${campaignId}#${finess}` → application id. */
    finess: new Map<string, string>(),
    /** Retained count per `${campaignId}#${ars}`. */
    retained: new Map<string, number>(),
    conventions: new Map<string, Convention>(),
    pilots: new Map<string, Pilot>(),
    usage: new Map<string, UsageMonth>(),
    corrections: [] as UsageCorrection[],
    /** The email ledger: key → email and whether it was sent. */
    emails: new Map<string, { email: QueuedEmail; at: Date; sent: boolean }>(),
    receipts: [] as Receipt[],
    /** Milestone steps done: `${campaignId}#${step}`. */
    stepsDone: new Set<string>(),
    /** The campaign version each campaign's schedules were last synced for. */
    schedules: new Map<string, number>(),
  };

  const finessKey = (application: Pick<Application, 'campaignId' | 'finess'>) => `${application.campaignId}#${application.finess}`;
  const quotaKey = (charge: Pick<QuotaCharge, 'campaignId' | 'ars'>) => `${charge.campaignId}#${charge.ars}`;
  const pilotKey = (finess: string, campaignId: string) => `${finess}#${campaignId}`;
  const monthKey = (finess: string, campaignId: string, month: string) => `${finess}#${campaignId}#${month}`;

  /** A transaction: every check passes before anything is written. */
  function atomically(checks: (() => void)[], writes: (() => void)[]): void {
    for (const check of checks) check();
    for (const write of writes) write();
  }

  const emailChecks = (emails: readonly QueuedEmail[] | undefined) =>
    (emails ?? []).map((email) => () => {
      if (state.emails.has(queuedEmailKey(email))) throw new ConcurrentModificationError();
    });
  const emailWrites = (emails: readonly QueuedEmail[] | undefined, at: Date) =>
    (emails ?? []).map((email) => () => void state.emails.set(queuedEmailKey(email), { email, at, sent: false }));

  function changeOps(change: ApplicationChange): { checks: (() => void)[]; writes: (() => void)[] } {
    const { application, expectedVersion, entry } = change;
    return {
      checks: [
        () => {
          if (state.applications.get(application.id)?.version !== expectedVersion) throw new ConcurrentModificationError();
        },
        ...emailChecks(change.emails),
      ],
      writes: [
        () => void state.applications.set(application.id, application),
        () => entry && state.history.set(application.id, [...(state.history.get(application.id) ?? []), entry]),
        ...emailWrites(change.emails, change.at),
      ],
    };
  }

  const chargeWrite = (charge: QuotaCharge | undefined) => () => charge && state.retained.set(quotaKey(charge), (state.retained.get(quotaKey(charge)) ?? 0) + charge.delta);

  function save(change: ApplicationChange, more: { checks?: (() => void)[]; writes?: (() => void)[] } = {}): void {
    const ops = changeOps(change);
    atomically([...ops.checks, ...(more.checks ?? [])], [...ops.writes, ...(more.writes ?? [])]);
  }

  const applications: Applications = {
    get: async (id) => state.applications.get(id),
    ownedBy: async (ownerId, campaignId) => [...state.applications.values()].filter((held) => held.ownerId === ownerId && held.campaignId === campaignId),
    ofSameHolder: async (application) =>
      [...state.applications.values()].filter(
        (held) => held.campaignId === application.campaignId && (application.ownerId !== undefined ? held.ownerId === application.ownerId : held.ownerId === undefined && held.ownerEmail === application.ownerEmail),
      ),
    heldBy: async (ownerId, email) =>
      [...state.applications.values()]
        .filter((held) => held.ownerId === ownerId || (email !== undefined && (held.ownerEmail === email || held.collaborators?.some((collaborator) => collaborator.email === email))))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    async *inStatus(campaignId, status) {
      yield* [...state.applications.values()].filter((held) => held.campaignId === campaignId && held.status === status);
    },
    awaitingNotification: async (campaignId, ars) =>
      [...state.applications.values()].filter(
        (held) => held.campaignId === campaignId && held.ars === ars && (held.status === 'retenue' || held.status === 'non_retenue') && !held.decision?.notifiedAt,
      ),
    async create(application, entry, receipt) {
      atomically(
        [
          () => {
            if (state.applications.has(application.id)) throw new ConcurrentModificationError();
            if (state.finess.has(finessKey(application))) throw new DomainError('duplicate_finess', 'Un dossier a déjà été déposé pour cet établissement dans cette campagne.');
          },
        ],
        [() => void state.applications.set(application.id, application), () => void state.history.set(application.id, [entry]), () => receipt && state.receipts.push(receipt)],
      );
    },
    save: async (change) => save(change),
    async saveSubmission(change) {
      const key = finessKey(change.application);
      save(change, {
        checks: [
          () => {
            const holder = state.finess.get(key);
            if (holder !== undefined && holder !== change.application.id) throw new DomainError('duplicate_finess', 'Un dossier a déjà été déposé pour cet établissement dans cette campagne.');
          },
        ],
        writes: [() => void state.finess.set(key, change.application.id)],
      });
    },
    async saveWithdrawal(change, previous, charge) {
      const key = finessKey(previous);
      save(change, { writes: [() => state.finess.get(key) === previous.id && state.finess.delete(key), chargeWrite(charge)] });
    },
    async saveDecision(change, charge) {
      save(change, {
        checks: [
          () => {
            if (charge && !admits(state.retained.get(quotaKey(charge)) ?? 0, charge)) throw quotaReached(charge.quota);
          },
        ],
        writes: [chargeWrite(charge)],
      });
    },
    async saveNotification(change, convention) {
      save(change, {
        checks: [
          () => {
            if (convention && state.conventions.has(convention.id)) throw new ConcurrentModificationError();
          },
        ],
        writes: [() => convention && state.conventions.set(convention.id, convention)],
      });
    },
    saveHolders: async (change) => save(change),
    async recordJoined(application) {
      const stored = state.applications.get(application.id);
      if (stored?.version === application.version) state.applications.set(application.id, { ...stored, collaborators: application.collaborators });
    },
    history: async (id) => state.history.get(id) ?? [],
  };

  const campaigns: Campaigns = {
    get: async (id) => state.campaigns.get(id),
    async create(campaign, receipt) {
      if (state.campaigns.has(campaign.id)) throw new DomainError('campaign_exists', `La campagne ${campaign.id} existe déjà.`);
      state.campaigns.set(campaign.id, campaign);
      if (receipt) state.receipts.push(receipt);
    },
    async update(campaign, expectedVersion) {
      if (state.campaigns.get(campaign.id)?.version !== expectedVersion) throw new ConcurrentModificationError();
      state.campaigns.set(campaign.id, campaign);
    },
  };

  /** Schedules synced, by campaign: the milestones written at the last sync. */
  const schedules: Schedules = {
    async sync(campaign) {
      state.schedules.set(campaign.id, campaign.version);
      return 1;
    },
  };

  const versionCheck = (previous: Convention) => () => {
    if (state.conventions.get(previous.id)?.version !== previous.version) throw new ConcurrentModificationError();
  };

  const conventions: Conventions = {
    get: async (id) => state.conventions.get(id),
    async *toSign(campaignId) {
      yield* [...state.conventions.values()].filter((convention) => convention.campaignId === campaignId && convention.status === 'a_signer');
    },
    async saveSignature(signed, previous, by, emails) {
      const pilot = signed.status === 'signee' ? pilotOf(signed) : undefined;
      const line = (action: string): HistoryEntry => ({ at: signed.updatedAt, actor: by.actor, action, from: 'retenue', to: 'retenue' });
      atomically(
        [
          versionCheck(previous),
          () => {
            if (pilot && state.pilots.has(pilotKey(pilot.finess, pilot.campaignId))) throw new ConcurrentModificationError();
          },
          ...(pilot ? emailChecks(emails) : []),
        ],
        [
          () => void state.conventions.set(signed.id, signed),
          () => {
            const lines = [line(`signature_${by.party}`), ...(pilot ? [line('convention_signee')] : [])];
            state.history.set(signed.applicationId, [...(state.history.get(signed.applicationId) ?? []), ...lines]);
          },
          () => pilot && state.pilots.set(pilotKey(pilot.finess, pilot.campaignId), pilot),
          ...(pilot ? emailWrites(emails, by.at) : []),
        ],
      );
    },
    async saveLapse(lapsed, previous, emails, at) {
      atomically([versionCheck(previous), ...emailChecks(emails)], [() => void state.conventions.set(lapsed.id, lapsed), ...emailWrites(emails, at)]);
    },
  };

  const pilots: Pilots = {
    get: async (finess, campaignId) => state.pilots.get(pilotKey(finess, campaignId)),
    async *all(campaignId) {
      yield* [...state.pilots.values()].filter((pilot) => pilot.campaignId === campaignId);
    },
    grantsOf: async (clientId, campaignId) =>
      new Map([...state.pilots.values()].filter((pilot) => pilot.campaignId === campaignId && pilot.reportingClients.includes(clientId)).map((pilot) => [pilot.finess, pilot])),
    async registerClient(pilot, clientId, _by, _at, receipt) {
      const key = pilotKey(pilot.finess, pilot.campaignId);
      const stored = state.pilots.get(key);
      if (!stored || stored.reportingClients.includes(clientId)) return false;
      state.pilots.set(key, { ...stored, reportingClients: [...stored.reportingClients, clientId] });
      if (receipt) state.receipts.push(receipt);
      return true;
    },
  };

  const usage: UsageReports = {
    async write(reports) {
      const outcomes = new Map<number, WriteOutcome>();
      for (const { id, input } of reports) {
        const key = monthKey(input.pilot.finess, input.pilot.campaignId, input.month);
        try {
          const plan = planReport(state.usage.get(key), input);
          if (plan.kind === 'unchanged') {
            outcomes.set(id, { status: 'unchanged', month: plan.current });
            continue;
          }
          state.usage.set(key, plan.next);
          if (plan.correction) state.corrections.push(plan.correction);
          outcomes.set(id, { status: 'written', month: plan.next });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          outcomes.set(id, { status: 'refused', error });
        }
      }
      return outcomes;
    },
    monthsOf: async (finess, campaignId) => [...state.usage.values()].filter((month) => month.finess === finess && month.campaignId === campaignId),
    correctionsOf: async (finess, campaignId, month) =>
      state.corrections.filter((correction) => correction.finess === finess && correction.campaignId === campaignId && (month === undefined || correction.month === month)),
    hasReported: async (finess, campaignId, month) => state.usage.has(monthKey(finess, campaignId, month)),
  };

  const mail: Mail = {
    async queueOnce(email, at) {
      if (state.emails.has(queuedEmailKey(email))) return false;
      state.emails.set(queuedEmailKey(email), { email, at, sent: false });
      return true;
    },
    async sendNow(emails) {
      for (const email of emails) {
        const recorded = state.emails.get(queuedEmailKey(email));
        if (recorded) recorded.sent = true;
      }
    },
  };

  const steps: StepLedger = {
    done: async (campaignId, step) => state.stepsDone.has(`${campaignId}#${step}`),
    markDone: async (campaignId, step) => void state.stepsDone.add(`${campaignId}#${step}`),
  };

  return { state, applications, campaigns, conventions, pilots, usage, mail, steps, schedules };
}

export type MemoryPorts = ReturnType<typeof memoryPorts>;
