// What the applicant should do next with a file, in words, from its status, its convention and its campaign.
import { formatDeadline, parseInstant } from '@domain/calendar';
import { campaignInstants } from '../../components/campaign-calendar';
import type { Campaign, Schemas } from '../../api/client';

export type MyApplication = Schemas['MyApplicationPage']['items'][number];

export interface NextStep {
  readonly text: string;
  readonly action?: { readonly label: string; readonly to: string };
}

const fileOf = (item: MyApplication): string => `/dossiers/${encodeURIComponent(item.id)}`;

export function nextStep(item: MyApplication, campaign: Campaign | undefined): NextStep {
  const at = campaign ? campaignInstants(campaign) : undefined;
  const intakeOpen = campaign?.phase === 'candidatures';
  switch (item.status) {
    case 'brouillon':
      return intakeOpen && at
        ? { text: `Complétez puis déposez votre candidature avant le ${formatDeadline(at.intakeClosesAt)}.`, action: { label: 'Continuer ma candidature', to: `${fileOf(item)}/candidature` } }
        : { text: 'Les candidatures sont closes : ce brouillon ne peut plus être déposé.', action: { label: 'Voir le dossier', to: fileOf(item) } };
    case 'deposee':
      return intakeOpen && at
        ? { text: `Votre candidature est déposée. Vous pouvez la modifier jusqu'au ${formatDeadline(at.intakeClosesAt)}.`, action: { label: 'Modifier ma candidature', to: `${fileOf(item)}/candidature` } }
        : { text: 'Votre candidature est déposée ; elle sera instruite par votre ARS.', action: { label: 'Suivre mon dossier', to: fileOf(item) } };
    case 'en_instruction':
      return {
        text: at ? `Votre ARS instruit votre candidature. La sélection se termine le ${formatDeadline(at.selectionEndsAt)} ; sa décision vous sera notifiée.` : 'Votre ARS instruit votre candidature.',
        action: { label: 'Suivre mon dossier', to: fileOf(item) },
      };
    case 'retenue': {
      const convention = item.convention;
      if (item.pilot) return { text: 'Votre établissement est pilote : déclarez vos usages chaque mois.', action: { label: 'Déclarer mes usages', to: `/campagnes/${encodeURIComponent(item.campaignId)}/pilotes/${encodeURIComponent(item.finess)}` } };
      if (convention?.status === 'a_signer') {
        const due = parseInstant(convention.dueAt);
        return { text: `Votre candidature est retenue. Signez la convention avant le ${due ? formatDeadline(due) : convention.dueAt}.`, action: { label: 'Signer la convention', to: `/conventions/${encodeURIComponent(convention.id)}` } };
      }
      if (convention?.status === 'signee') return { text: 'La convention est signée.', action: { label: 'Voir la convention', to: `/conventions/${encodeURIComponent(convention.id)}` } };
      if (convention?.status === 'caduque') return { text: "La convention n'a pas été signée à temps : elle est caduque.", action: { label: 'Voir la convention', to: `/conventions/${encodeURIComponent(convention.id)}` } };
      return { text: 'Votre candidature est retenue ; la convention sera bientôt disponible.', action: { label: 'Voir la décision', to: fileOf(item) } };
    }
    case 'non_retenue':
      return { text: "Votre candidature n'a pas été retenue. La motivation de l'ARS figure dans le dossier.", action: { label: 'Voir la décision', to: fileOf(item) } };
    case 'sans_suite':
      return { text: 'Ce dossier est classé sans suite.', action: { label: 'Voir le dossier', to: fileOf(item) } };
  }
}
