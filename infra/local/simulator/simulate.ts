/**
 * `npm run simulate`: replays a whole campaign on the local stack in simulated time, from intake to the end
 * of reporting, through the public API only. It checks its own invariants and exits non-zero if one breaks.
 *
 * Options: --esms N (300), --seed S (1), --url http://localhost:3000 to use a running stack (its SES inbox
 * must be on --ses, default http://localhost:8005); without --url it starts its own in-memory stack.
 */
import { addParisDays, parseInstant, toParisIso } from '../../../layers/domain/calendar';
import { arsCodes, type ArsCode } from '../../../layers/domain/regions';
import { spawnLocalStack, type RunningStack } from '../spawn';
import { LocalClient, type InboxEmail } from './client';
import { population, random, type SimulatedEsms } from './population';

const args = new Map<string, string>();
for (let index = 2; index < process.argv.length; index += 2) args.set(process.argv[index]!.replace(/^--/, ''), process.argv[index + 1] ?? '');
const COUNT = Number(args.get('esms') ?? 300);
const SEED = Number(args.get('seed') ?? 1);
const CAMPAIGN = `sim-${SEED}-${Date.now().toString(36)}`;

const calendar = {
  intakeOpensAt: '2033-01-01T00:00:00+01:00',
  intakeClosesAt: '2033-03-01T00:00:00+01:00',
  selectionEndsAt: '2033-04-15T00:00:00+02:00',
  conventionsDueAt: '2033-06-01T00:00:00+02:00',
  experimentationStart: '2033-06-01',
  experimentationEnd: '2033-10-31',
  reportingGraceDays: 15,
};
const INTAKE_DAYS = 59;
const MONTHS = ['2033-06', '2033-07', '2033-08', '2033-09', '2033-10'];
const TARGETS = { 'mss.usagers': 40, 'docs_dmp.74207-2': 10 };

const violations: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok) violations.push(message);
};

function progress(phase: string, done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stdout.write(`\r${phase.padEnd(16)} [${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(done).padStart(4)}/${total}`);
  if (done >= total) process.stdout.write('\n');
}

const day = (index: number, hour = 10) => toParisIso(addParisDays(parseInstant(`2033-01-01T${String(hour).padStart(2, '0')}:00:00+01:00`)!, index));

function fields(esms: SimulatedEsms) {
  return {
    name: esms.name,
    category: esms.category,
    contact: { name: 'Direction', email: esms.email },
    dui: { editor: esms.editor, product: 'Dossier usager', segurReferenced: !esms.ineligible, mesCapable: !esms.ineligible },
    readiness: { dmp: 'en_cours', mss: 'en_production', ins: 'en_cours' },
    pathways: esms.category < '300' || ['500', '381'].includes(esms.category) ? ['personnes_agees'] : ['personnes_handicapees'],
    exchanges: 'Envoi du DLU et des lettres de liaison ; messagerie sécurisée avec les familles.',
    awarenessMeans: 'Réunions des familles et formation des équipes.',
  };
}

async function main(): Promise<void> {
  let stack: RunningStack | undefined;
  let client: LocalClient;
  if (args.get('url')) {
    client = new LocalClient(args.get('url')!, args.get('ses') ?? 'http://localhost:8005');
  } else {
    process.stdout.write('Starting a local stack in memory… ');
    stack = await spawnLocalStack({ LOCAL_TABLE_PREFIX: 'mes-pilotes-sim' });
    client = new LocalClient(stack.info.apiUrl, stack.info.sesUrl);
    process.stdout.write(`${stack.info.apiUrl}\n`);
  }
  try {
    await simulate(client);
  } finally {
    await client.setClock(null).catch(() => undefined);
    await stack?.stop();
  }
}

async function simulate(client: LocalClient): Promise<void> {
  const rng = random(SEED + 1);
  const esmsList = population(COUNT, SEED, INTAKE_DAYS);
  const national = await client.token({ sub: 'sim-national', email: 'equipe-nationale@sim.local', groups: ['national'] });
  const arsTokens = new Map<ArsCode, string>();
  for (const code of arsCodes) arsTokens.set(code, await client.token({ sub: `sim-ars-${code}`, email: `instruction@ars-${code.toLowerCase()}.sim.local`, groups: [`ars-${code}`] }));
  const perRegion = new Map<ArsCode, number>();
  for (const esms of esmsList) perRegion.set(esms.ars, (perRegion.get(esms.ars) ?? 0) + 1);
  const quotas = Object.fromEntries([...perRegion].map(([code, count]) => [code, Math.max(1, Math.round(count * 0.3))]));

  const created = await client.call('POST', '/v1/campaigns', { token: national, body: { id: CAMPAIGN, title: `Campagne simulée ${CAMPAIGN}`, ...calendar, quotas, fundingPerPilotEur: 20000, targets: TARGETS } });
  if (created.status !== 201) throw new Error(`campaign: ${created.text}`);
  const closesAt = parseInstant(calendar.intakeClosesAt)!;

  // Intake, day by day, with the daily milestone run.
  const applicationOf = new Map<number, string>();
  const tokens = new Map<number, string>();
  let lateRefused = 0;
  let duplicatesRefused = 0;
  let squattersResolved = 0;
  let ineligibleRefused = 0;
  for (let dayIndex = 0; dayIndex <= INTAKE_DAYS + 1; dayIndex += 1) {
    await client.setClock(day(dayIndex));
    for (const esms of esmsList.filter((candidate) => candidate.createDay === dayIndex)) {
      const token = await client.token({ sub: esms.sub, email: esms.email, groups: ['candidat'] });
      tokens.set(esms.index, token);
      const draft = await client.call('POST', `/v1/campaigns/${CAMPAIGN}/applications`, { token, body: { finess: esms.finess }, headers: { 'idempotency-key': `sim-${esms.index}` } });
      if (draft.status === 201) applicationOf.set(esms.index, draft.json.id);
      else if (draft.json?.code === 'duplicate_finess') duplicatesRefused += 1;
      else violations.push(`create ${esms.finess}: ${draft.status} ${draft.json?.code}`);
    }
    for (const esms of esmsList.filter((candidate) => candidate.submitDay === dayIndex && applicationOf.has(candidate.index) && !candidate.neverSubmits)) {
      const id = applicationOf.get(esms.index)!;
      const token = tokens.get(esms.index)!;
      const edited = await client.call('PUT', `/v1/applications/${id}`, { token, body: fields(esms) });
      let submitted = await client.call('POST', `/v1/applications/${id}/submit`, { token });
      if (submitted.json?.code === 'duplicate_finess') {
        if (esms.duplicateOf !== undefined) {
          duplicatesRefused += 1;
          continue;
        }
        // A squatter submitted this establishment's FINESS first: its ARS finds that file and transfers it.
        const ars = arsTokens.get(esms.ars)!;
        const taken = (await client.all(`/v1/campaigns/${CAMPAIGN}/applications?q=${esms.finess}`, ars)).find((file) => file.finess === esms.finess && file.status === 'deposee');
        const moved = taken && (await client.call('POST', `/v1/applications/${taken.id}/transfer`, { token: ars, body: { email: esms.email, motivation: "Dossier déposé par un autre compte que celui de l'établissement." } }));
        check(moved?.status === 200, `transfer of ${esms.finess} to its establishment: ${moved?.status}`);
        await client.call('POST', `/v1/applications/${id}/withdraw`, { token });
        for (const [index, file] of applicationOf) if (file === taken!.id) applicationOf.delete(index);
        applicationOf.set(esms.index, taken!.id);
        squattersResolved += 1;
        submitted = await client.call('PUT', `/v1/applications/${taken!.id}`, { token, body: fields(esms) });
      }
      const afterClose = parseInstant(day(dayIndex))!.getTime() >= closesAt.getTime();
      if (afterClose) {
        check(edited.json?.code === 'intake_closed' && submitted.json?.code === 'intake_closed', `late submission of ${id} was not refused (${submitted.status})`);
        lateRefused += 1;
      } else if (esms.ineligible) {
        check(submitted.json?.code === 'ineligible', `ineligible ${id} was accepted`);
        ineligibleRefused += 1;
      } else {
        check(submitted.status === 200, `submit ${id}: ${submitted.status} ${submitted.json?.code}`);
      }
    }
    await client.setClock(day(dayIndex, 6));
    await client.runMilestones(CAMPAIGN);
    progress('Candidatures', dayIndex + 1, INTAKE_DAYS + 2);
  }
  await client.setClock('2033-03-01T00:00:00+01:00');
  await client.runMilestones(CAMPAIGN);

  // Selection: each ARS scores its files, retains the best within its quota, leaves a few undecided.
  await client.setClock('2033-03-20T10:00:00+01:00');
  let quotaRefusals = 0;
  let regionIndex = 0;
  for (const code of arsCodes) {
    const token = arsTokens.get(code)!;
    const files = await client.all(`/v1/campaigns/${CAMPAIGN}/applications?status=en_instruction`, token);
    for (const file of files) {
      const score = () => Math.floor(rng() * 6);
      await client.call('PUT', `/v1/applications/${file.id}/review`, { token, body: { scores: { maturite_dui: score(), parcours: score(), sensibilisation: score(), partenariats: score(), capacite: score() }, comment: 'Évaluation simulée' } });
    }
    const ranked = await client.all(`/v1/campaigns/${CAMPAIGN}/applications?sort=score`, token);
    let retained = 0;
    let triedBeyondQuota = false;
    for (const file of ranked) {
      if (rng() < 0.05) continue;
      // One attempt beyond the quota per region, which the platform must refuse.
      const beyond = retained >= (quotas[code] ?? 0);
      const wanted = !beyond || !triedBeyondQuota ? 'retenue' : 'non_retenue';
      if (beyond && wanted === 'retenue') triedBeyondQuota = true;
      const decided = await client.call('POST', `/v1/applications/${file.id}/decision`, { token, body: { decision: wanted, motivation: wanted === 'retenue' ? 'Projet retenu : parcours et DUI prêts.' : 'Projet moins avancé que les dossiers retenus.' } });
      if (decided.json?.code === 'quota_reached') {
        quotaRefusals += 1;
        await client.call('POST', `/v1/applications/${file.id}/decision`, { token, body: { decision: 'non_retenue', motivation: 'Quota régional atteint.' } });
      } else if (decided.status === 200 && wanted === 'retenue') retained += 1;
    }
    await client.call('POST', `/v1/campaigns/${CAMPAIGN}/regions/${code}/notify`, { token });
    regionIndex += 1;
    progress('Sélection', regionIndex, arsCodes.length);
  }
  for (const instant of ['2033-04-08T06:00:00+02:00', '2033-04-14T06:00:00+02:00', '2033-04-15T00:00:00+02:00']) {
    await client.setClock(instant);
    await client.runMilestones(CAMPAIGN);
  }

  // Conventions: most parties sign in time, a few too late.
  await client.setClock('2033-05-10T10:00:00+02:00');
  const conventions = await client.all(`/v1/campaigns/${CAMPAIGN}/conventions`, national);
  const ownerOf = new Map([...applicationOf].map(([index, id]) => [id, esmsList[index]!]));
  let lateSignatures = 0;
  let signed = 0;
  for (const [index, convention] of conventions.entries()) {
    const esms = ownerOf.get(convention.applicationId)!;
    if (!esms.esmsSignsLate) await client.call('POST', `/v1/conventions/${convention.id}/signatures`, { token: tokens.get(esms.index)!, body: { party: 'esms' } });
    if (!esms.arsSignsLate) await client.call('POST', `/v1/conventions/${convention.id}/signatures`, { token: arsTokens.get(convention.ars)!, body: { party: 'ars' } });
    progress('Conventions', index + 1, conventions.length);
  }
  for (const instant of ['2033-05-18T06:00:00+02:00', '2033-05-25T06:00:00+02:00', '2033-05-31T06:00:00+02:00', '2033-06-01T00:00:00+02:00']) {
    await client.setClock(instant);
    await client.runMilestones(CAMPAIGN);
  }
  for (const convention of conventions) {
    const esms = ownerOf.get(convention.applicationId)!;
    if (esms.esmsSignsLate || esms.arsSignsLate) {
      const late = await client.call('POST', `/v1/conventions/${convention.id}/signatures`, { token: tokens.get(esms.index)!, body: { party: 'esms' } });
      check(late.json?.code === 'convention_due_passed' || late.json?.code === 'already_signed', `late signature of ${convention.id} answered ${late.status}`);
      lateSignatures += 1;
    } else signed += 1;
  }

  // Experimentation: pilots report each month (some skip months); the daily run reminds the missing ones.
  const pilots = await client.all(`/v1/campaigns/${CAMPAIGN}/pilots`, national);
  let reports = 0;
  for (const [monthIndex, month] of MONTHS.entries()) {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
    await client.setClock(`${next}-03T10:00:00+0${m >= 4 && m <= 9 ? 2 : 1}:00`);
    for (const pilot of pilots) {
      const esms = ownerOf.get(pilot.applicationId)!;
      if (monthIndex < esms.missesReports) continue;
      const figures = { 'mss.usagers': 5 + Math.floor(rng() * 10), 'docs_dmp.74207-2': Math.floor(rng() * 4), 'mes.activations_accompagnees': Math.floor(rng() * 6) };
      const reported = await client.call('PUT', `/v1/campaigns/${CAMPAIGN}/pilots/${pilot.finess}/usage/${month}`, { token: tokens.get(esms.index)!, body: { indicators: figures } });
      check(reported.status === 200 || reported.status === 201, `report ${pilot.finess} ${month}: ${reported.status} ${reported.json?.code}`);
      reports += 1;
    }
    await client.setClock(`${next}-05T06:00:00+0${m >= 4 && m <= 9 ? 2 : 1}:00`);
    await client.runMilestones(CAMPAIGN);
    progress('Expérimentation', monthIndex + 1, MONTHS.length);
  }
  await client.setClock('2033-11-16T00:00:00+01:00');
  await client.runMilestones(CAMPAIGN);
  await client.runMilestones(CAMPAIGN);

  const secondCampaignReported = await secondCampaign(client, national, arsTokens, pilots, ownerOf, tokens);

  // Invariants, read back through the API and the SES inbox.
  const applications = await client.all(`/v1/campaigns/${CAMPAIGN}/applications`, national);
  for (const application of applications) {
    if (application.submittedAt) check(parseInstant(application.submittedAt)!.getTime() < closesAt.getTime(), `${application.id} submitted after closing`);
    check(!['deposee', 'en_instruction'].includes(application.status), `${application.id} still ${application.status} after the selection`);
  }
  for (const code of arsCodes) {
    const retained = applications.filter((application) => application.ars === code && application.status === 'retenue').length;
    check(retained <= (quotas[code] ?? 0), `${code}: ${retained} retained for a quota of ${quotas[code]}`);
  }
  const finalConventions = await client.all(`/v1/campaigns/${CAMPAIGN}/conventions`, national);
  check(finalConventions.every((convention) => convention.status !== 'a_signer'), 'a convention is still waiting for signatures after its due date');

  const emails = (await client.inbox()).filter((email) => referenceOf(email)?.startsWith(`${CAMPAIGN}#`));
  const references = emails.map((email) => `${email.destination.to.join(',')} ${referenceOf(email)}`);
  const duplicates = references.filter((reference, index) => references.indexOf(reference) !== index);
  check(duplicates.length === 0, `emails sent twice: ${duplicates.slice(0, 5).join('; ')}`);
  const submittedCount = applications.filter((application) => application.submittedAt).length;
  const kinds = countKinds(emails);
  check((kinds.get('accuse_depot') ?? 0) === submittedCount, `acknowledgements: ${kinds.get('accuse_depot') ?? 0} for ${submittedCount} submissions`);
  const notified = applications.filter((application) => application.decision?.notifiedAt).length;
  check((kinds.get('decision') ?? 0) === notified, `decision emails: ${kinds.get('decision') ?? 0} for ${notified} notified decisions`);
  check(client.serverErrors.length === 0, `server errors: ${client.serverErrors.slice(0, 3).join('; ')}`);

  const funding = await Promise.all(pilots.map(async (pilot) => (await client.call('GET', `/v1/campaigns/${CAMPAIGN}/pilots/${pilot.finess}/usage`, { token: national })).json?.funding));
  summary({ applications, kinds, funding, extra: { lateRefused, duplicatesRefused, squattersResolved, secondCampaignReported, ineligibleRefused, quotaRefusals, lateSignatures, signed, reports, requests: client.requests } });
}

/**
 * A FINESS can be a pilot of two campaigns: the first pilot applies to the next year's call, is retained
 * and signs again, then reports in each campaign through that campaign's routes. Returns 1 when it did.
 */
async function secondCampaign(
  client: LocalClient,
  national: string,
  arsTokens: Map<ArsCode, string>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pilots: any[],
  ownerOf: Map<string, SimulatedEsms>,
  tokens: Map<number, string>,
): Promise<number> {
  const pilot = pilots[0];
  if (!pilot) return 0;
  const esms = ownerOf.get(pilot.applicationId)!;
  const token = tokens.get(esms.index)!;
  const ars = arsTokens.get(pilot.ars as ArsCode)!;
  const next = `${CAMPAIGN}-bis`;
  const shifted = Object.fromEntries(Object.entries(calendar).map(([name, value]) => [name, typeof value === 'string' ? value.replace(/^2033/, '2034') : value]));
  check((await client.call('POST', '/v1/campaigns', { token: national, body: { id: next, title: `Campagne simulée ${next}`, ...shifted } })).status === 201, 'second campaign not created');
  await client.setClock('2034-01-10T10:00:00+01:00');
  const draft = await client.call('POST', `/v1/campaigns/${next}/applications`, { token, body: { finess: pilot.finess, ...fields(esms) } });
  const submitted = await client.call('POST', `/v1/applications/${draft.json?.id}/submit`, { token });
  check(submitted.status === 200, `second campaign: submit ${submitted.status} ${submitted.json?.code}`);
  await client.setClock('2034-03-01T00:00:00+01:00');
  await client.runMilestones(next);
  await client.setClock('2034-03-20T10:00:00+01:00');
  await client.call('POST', `/v1/applications/${draft.json?.id}/decision`, { token: ars, body: { decision: 'retenue', motivation: 'Pilote de la campagne précédente, usages établis.' } });
  await client.call('POST', `/v1/campaigns/${next}/regions/${pilot.ars}/notify`, { token: ars });
  const conventionId = (await client.call('GET', `/v1/applications/${draft.json?.id}`, { token })).json?.conventionId;
  await client.setClock('2034-05-10T10:00:00+02:00');
  await client.call('POST', `/v1/conventions/${conventionId}/signatures`, { token, body: { party: 'esms' } });
  const signed = await client.call('POST', `/v1/conventions/${conventionId}/signatures`, { token: ars, body: { party: 'ars' } });
  check(signed.json?.status === 'signee', `second campaign: convention ${signed.status} ${signed.json?.code}`);
  await client.setClock('2034-07-03T10:00:00+02:00');
  const reported = await client.call('PUT', `/v1/campaigns/${next}/pilots/${pilot.finess}/usage/2034-06`, { token, body: { indicators: { 'mss.usagers': 7 } } });
  check(reported.status === 201, `second campaign: report ${reported.status} ${reported.json?.code}`);
  const wrongCampaign = await client.call('PUT', `/v1/campaigns/${CAMPAIGN}/pilots/${pilot.finess}/usage/2034-06`, { token, body: { indicators: { 'mss.usagers': 7 } } });
  check(wrongCampaign.json?.code === 'period_outside_experimentation', `first campaign took a month of the second: ${wrongCampaign.status}`);
  return reported.status === 201 ? 1 : 0;
}

const referenceOf = (email: InboxEmail): string | undefined => email.headers?.find((header) => header.name === 'X-MES-Reference')?.value;

function countKinds(emails: InboxEmail[]): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const email of emails) {
    const event = /^[^#\s]+#([^#\s]+)#/.exec(referenceOf(email) ?? '')?.[1] ?? 'autre';
    kinds.set(event, (kinds.get(event) ?? 0) + 1);
  }
  return kinds;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function summary(input: { applications: any[]; kinds: Map<string, number>; funding: any[]; extra: Record<string, number> }): void {
  const statuses = ['brouillon', 'deposee', 'en_instruction', 'retenue', 'non_retenue', 'sans_suite'];
  console.log(`\nCampagne ${CAMPAIGN} — ${COUNT} ESMS simulés (graine ${SEED})\n`);
  console.log(`| ARS | ${statuses.join(' | ')} | total |`);
  console.log(`|---|${statuses.map(() => '---:').join('|')}|---:|`);
  for (const code of arsCodes) {
    const mine = input.applications.filter((application) => application.ars === code);
    if (mine.length === 0) continue;
    console.log(`| ${code} | ${statuses.map((status) => mine.filter((application) => application.status === status).length).join(' | ')} | ${mine.length} |`);
  }
  console.log(`| **total** | ${statuses.map((status) => input.applications.filter((application) => application.status === status).length).join(' | ')} | ${input.applications.length} |`);
  console.log('\n| courriel | envoyés |\n|---|---:|');
  for (const [kind, count] of [...input.kinds].sort()) console.log(`| ${kind} | ${count} |`);
  const outcome = (status: string) => input.funding.filter((block) => block?.secondInstalmentStatus === status).length;
  console.log(`\n| financement | pilotes |\n|---|---:|\n| seconde tranche acquise | ${outcome('acquis')} |\n| non acquise | ${outcome('non_acquis')} |\n| en attente | ${outcome('en_attente')} |`);
  console.log(`\n${Object.entries(input.extra).map(([name, value]) => `${name}: ${value}`).join(' · ')}`);
  if (violations.length > 0) {
    console.log(`\n✖ ${violations.length} invariant(s) broken:`);
    for (const violation of violations.slice(0, 20)) console.log(`  - ${violation}`);
    process.exitCode = 1;
  } else {
    console.log('\n✔ Invariants held: no email twice, none missing, no submission after closing, quotas held, every file and convention closed.');
  }
}

main().catch((error: unknown) => {
  console.error(`\n✖ Simulation failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
