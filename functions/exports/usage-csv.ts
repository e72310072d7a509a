import { pilotRepository } from '../../layers/adapters/pilot-repository';
import { usageRepository } from '../../layers/adapters/usage-repository';
import type { Campaign } from '../../layers/domain/campaign';
import { csvDateTime, toCsv } from '../../layers/domain/csv';
import { formatFiness } from '../../layers/domain/finess';
import { fundingOutcome } from '../../layers/domain/funding';
import { indicatorLabel } from '../../layers/domain/indicators';
import type { Pilot } from '../../layers/domain/pilot';
import { arsName, type ArsCode } from '../../layers/domain/regions';
import { monthsDue, pilotTotals, type UsageMonth } from '../../layers/domain/usage';

async function pilotsOf(campaignId: string, ars: ArsCode | undefined): Promise<Pilot[]> {
  const pilots: Pilot[] = [];
  for await (const pilot of pilotRepository.all(campaignId, ars)) pilots.push(pilot);
  return pilots.sort((a, b) => a.ars.localeCompare(b.ars) || a.finess.localeCompare(b.finess));
}

/** Every reported month of the campaign (or region), grouped by FINESS, oldest month first. */
async function monthsByPilot(campaignId: string, ars: ArsCode | undefined): Promise<Map<string, UsageMonth[]>> {
  const byFiness = new Map<string, UsageMonth[]>();
  for await (const page of usageRepository.months({ campaignId, ars })) {
    for (const month of page) byFiness.set(month.finess, [...(byFiness.get(month.finess) ?? []), month]);
  }
  for (const months of byFiness.values()) months.sort((a, b) => a.month.localeCompare(b.month));
  return byFiness;
}

const USAGE_COLUMNS = ['Campagne', 'ARS', 'FINESS', 'Structure', 'Mois', 'Indicateur', 'Libellé', 'Valeur', 'Version', 'Déclaré le', 'Déclaré par'] as const;

/** One row per pilot × reported month × indicator of the campaign (empty value: not reported that month). */
export async function usageCsv(campaign: Campaign, ars: ArsCode | undefined): Promise<string> {
  const [pilots, months] = await Promise.all([pilotsOf(campaign.id, ars), monthsByPilot(campaign.id, ars)]);
  const rows = pilots.flatMap((pilot) =>
    (months.get(pilot.finess) ?? []).flatMap((month) =>
      campaign.indicators.map((code) => [
        campaign.id,
        arsName(pilot.ars),
        formatFiness(pilot.finess),
        pilot.name,
        month.month,
        code,
        indicatorLabel(code),
        month.indicators[code],
        month.version,
        csvDateTime(month.reportedAt),
        month.reportedBy,
      ]),
    ),
  );
  return toCsv(USAGE_COLUMNS, rows);
}

/** One row per pilot: the instalments, the second's status and, per target, the total against it. */
export async function fundingCsv(campaign: Campaign, ars: ArsCode | undefined, now: Date): Promise<string> {
  const [pilots, months] = await Promise.all([pilotsOf(campaign.id, ars), monthsByPilot(campaign.id, ars)]);
  const targetCodes = Object.keys(campaign.targets).sort();
  const due = monthsDue(campaign, now);
  const header = [
    'Campagne', 'ARS', 'FINESS', 'Structure', 'Convention', 'Signée le', 'Montant (€)', '1re tranche (€)', '2e tranche (€)', 'Statut 2e tranche',
    'Objectifs atteints', 'Mois déclarés', 'Mois manquants',
    ...targetCodes.flatMap((code) => [`${code} : total`, `${code} : objectif`]),
  ];
  const rows = pilots.map((pilot) => {
    const reported = months.get(pilot.finess) ?? [];
    const outcome = fundingOutcome({ campaign, pilot, totals: pilotTotals(reported), now });
    const reportedMonths = new Set(reported.map((month) => month.month));
    return [
      campaign.id,
      arsName(pilot.ars),
      formatFiness(pilot.finess),
      pilot.name,
      pilot.conventionId,
      csvDateTime(pilot.signedAt),
      outcome.amountEur,
      outcome.firstInstalmentEur,
      outcome.secondInstalmentEur,
      outcome.secondInstalmentStatus,
      `${outcome.progress.filter((target) => target.met).length}/${outcome.progress.length}`,
      reported.length,
      due.filter((month) => !reportedMonths.has(month)).join(', '),
      ...outcome.progress.flatMap((target) => [target.total, target.target]),
    ];
  });
  return toCsv(header, rows);
}
