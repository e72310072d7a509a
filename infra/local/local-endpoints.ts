import * as z from 'zod/mini';
import { now, setSimulatedNow, isSimulated } from '../../layers/adapters/clock';
import { parseInstant, toParisIso } from '../../layers/domain/calendar';
import { problem } from '../../layers/http/problem';
import { issuesToFieldErrors } from '../../layers/http/request';
import { routes } from '../../layers/http/routes';
import type { LocalResponse } from './http-emulator';
import { localDuiVendors } from '../lib/dui-vendors';
import type { LocalJwt } from './local-jwt';

const tokenSchema = z.strictObject({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  email: z.optional(z.email().check(z.maxLength(254))),
  emailVerified: z.optional(z.boolean()),
  groups: z.optional(z.array(z.string().check(z.regex(/^(candidat|national|ars-[A-Z]{3})$/, 'Groupe attendu : candidat, national ou ars-<CODE>'))).check(z.maxLength(20))),
  clientId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  scope: z.optional(z.string().check(z.maxLength(512))),
});

const clockSchema = z.strictObject({ now: z.nullable(z.string()) });
const runSchema = z.strictObject({ campaignId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) });
const faultsSchema = z.strictObject({
  sesFailures: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1000))),
  deathAfterEmails: z.optional(z.nullable(z.number().check(z.int(), z.gte(0), z.lte(100_000)))),
  usageDeathsAfterCommit: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1000))),
  markSentFailures: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1000))),
});

const ok = (body: unknown, status = 200): LocalResponse => ({ status, body: `${JSON.stringify(body)}\n` });
const fail = (code: Parameters<typeof problem>[0], detail: string, errors?: { path: string; message: string }[]): LocalResponse => {
  const body = problem(code, detail, errors);
  return { status: body.status, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, body: `${JSON.stringify(body)}\n` };
};

function parseJson(body: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body) };
  } catch {
    return undefined;
  }
}

const clockView = () => ({ now: toParisIso(now()), simulated: isSimulated() });

export interface LocalEndpoints {
  handle(method: string, path: string, body: string): Promise<LocalResponse | undefined>;
  stop(): Promise<void>;
}

/** The local-only endpoints of API.md (token, clock, milestone run) and the milestone ticker. Never deployed. */
export async function localEndpoints(options: { jwt: LocalJwt; sesPort: number; ticker: boolean }): Promise<LocalEndpoints> {
  const duiVendors = localDuiVendors();
  const { handler: milestoneFunction } = await import('../../functions/milestones/handler');
  const { lambdaContext } = await import('./http-emulator');
  const runMilestones = (event: { campaignId?: string }) => milestoneFunction(event, lambdaContext('milestones', `tick-${Date.now()}`));
  const { ProcessDeath, wrapTransport } = await import('../../layers/adapters/mailer');

  const { injectUsageWriterFaults } = await import('../../layers/adapters/ports');

  // Fault injection for the exactly-once tests: SES refusing the next sends, the run dying after k emails, or
  // the next usage writes dying once their plan is committed, before any of its figures is put.
  const faults = { sesFailures: 0, deathAfterEmails: undefined as number | undefined, usageDeathsAfterCommit: 0, markSentFailures: 0 };
  const { onBeforeMarkSent } = await import('../../layers/adapters/outbox');
  // Recording a send SES accepted fails (throttling, a network cut): the email must not go back to pending.
  onBeforeMarkSent(() => {
    if (faults.markSentFailures <= 0) return;
    faults.markSentFailures -= 1;
    throw Object.assign(new Error('Simulated DynamoDB failure'), { name: 'ProvisionedThroughputExceededException' });
  });
  injectUsageWriterFaults({
    afterPlanCommitted: () => {
      if (faults.usageDeathsAfterCommit <= 0) return;
      faults.usageDeathsAfterCommit -= 1;
      throw new ProcessDeath();
    },
  });
  wrapTransport((next) => async (email) => {
    if (faults.deathAfterEmails !== undefined) {
      if (faults.deathAfterEmails <= 0) {
        faults.deathAfterEmails = undefined;
        throw new ProcessDeath();
      }
      faults.deathAfterEmails -= 1;
    }
    if (faults.sesFailures > 0) {
      faults.sesFailures -= 1;
      throw Object.assign(new Error('Simulated SES failure'), { name: 'ServiceUnavailable' });
    }
    return next(email);
  });

  // Runs may overlap, as two Lambda invocations can; each is safe to run beside another.
  const runOnce = async (campaignId?: string) => {
    try {
      return await runMilestones(campaignId ? { campaignId } : {});
    } catch (error) {
      if (error instanceof ProcessDeath) return { died: true };
      throw error;
    }
  };

  let ticking = false;
  let timer: NodeJS.Timeout | undefined;
  if (options.ticker) {
    timer = setInterval(() => {
      if (ticking) return;
      ticking = true;
      runOnce(undefined)
        .catch((error: unknown) => console.error(JSON.stringify({ level: 'error', message: 'milestone tick failed', error: String(error) })))
        .finally(() => (ticking = false));
    }, 60_000);
    timer.unref();
  }

  const index = () =>
    ok({
      name: 'mes-pilotes (local)',
      inbox: `http://localhost:${options.sesPort}`,
      local: ['POST /local/token', 'GET /local/clock', 'PUT /local/clock', 'POST /local/milestones/run', 'PUT /local/faults'],
      routes: routes.map((route) => `${route.method} ${route.path}`),
    });

  return {
    async handle(method, path, body) {
      const key = `${method} ${path}`;
      if (key === 'GET /' || key === 'GET /local/health') return path === '/' ? index() : ok({ ok: true });
      if (key === 'POST /local/token') {
        const parsed = parseJson(body);
        if (!parsed) return fail('validation_failed', "Le corps de la requête n'est pas un JSON valide.");
        const result = tokenSchema.safeParse(parsed.value);
        if (!result.success) return fail('validation_failed', 'La requête contient des champs invalides.', issuesToFieldErrors(result.error.issues));
        // As in AWS, where only the deployment's vendors have a client the authorizer accepts.
        if (result.data.clientId !== undefined && !duiVendors.includes(result.data.clientId)) {
          return fail('validation_failed', `Ce client n'existe pas dans ce déploiement : ${duiVendors.join(', ')} (DUI_VENDORS).`, [{ path: 'clientId', message: 'Client inconnu' }]);
        }
        return ok({ token: options.jwt.mint(result.data) });
      }
      if (key === 'GET /local/clock') return ok(clockView());
      if (key === 'PUT /local/clock') {
        const parsed = parseJson(body);
        const result = parsed ? clockSchema.safeParse(parsed.value) : undefined;
        if (!result?.success) return fail('validation_failed', 'Corps attendu : { "now": "2023-10-31T23:59:00+01:00" } ou { "now": null }.');
        if (result.data.now === null) {
          setSimulatedNow(undefined);
          return ok(clockView());
        }
        const instant = parseInstant(result.data.now);
        if (!instant) return fail('validation_failed', 'Instant ISO 8601 avec décalage attendu.', [{ path: 'now', message: 'Instant invalide' }]);
        setSimulatedNow(instant);
        return ok(clockView());
      }
      if (key === 'POST /local/milestones/run') {
        // Optional body { campaignId }: one campaign only, as its own one-time schedule would run it.
        const parsed = body.trim() === '' ? { value: {} } : parseJson(body);
        const result = parsed ? runSchema.safeParse(parsed.value) : undefined;
        if (!result?.success) return fail('validation_failed', 'Corps attendu : vide, ou { "campaignId": "mes-esms-2023" }.');
        return ok(await runOnce(result.data.campaignId));
      }
      if (key === 'PUT /local/faults') {
        const parsed = parseJson(body);
        const result = parsed ? faultsSchema.safeParse(parsed.value) : undefined;
        if (!result?.success) return fail('validation_failed', 'Corps attendu : { "sesFailures": 2 }, { "deathAfterEmails": 3 }, { "usageDeathsAfterCommit": 1 } ou { "markSentFailures": 3 }.');
        faults.sesFailures = result.data.sesFailures ?? 0;
        faults.deathAfterEmails = result.data.deathAfterEmails ?? undefined;
        faults.usageDeathsAfterCommit = result.data.usageDeathsAfterCommit ?? 0;
        faults.markSentFailures = result.data.markSentFailures ?? 0;
        return ok(faults);
      }
      return undefined;
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
  };
}
