import { Input } from '@codegouvfr/react-dsfr/Input';
import { fieldId } from '../../components/problem-alert';

export const instantFields = ['intakeOpensAt', 'intakeClosesAt', 'selectionEndsAt', 'conventionsDueAt'] as const;
export const dateFields = ['experimentationStart', 'experimentationEnd'] as const;
export type InstantField = (typeof instantFields)[number];
export type DateField = (typeof dateFields)[number];

export const milestoneTitles: Record<InstantField | DateField | 'reportingGraceDays', { label: string; hint: string }> = {
  intakeOpensAt: { label: 'Ouverture des candidatures', hint: 'Heure de Paris ; les candidatures sont acceptées à partir de cet instant.' },
  intakeClosesAt: { label: 'Clôture des candidatures', hint: "Heure de Paris ; plus aucun dépôt à partir de cet instant (minuit : la veille est le dernier jour)." },
  selectionEndsAt: { label: 'Fin de la sélection', hint: 'Heure de Paris ; les dossiers sans décision à cet instant sont classés sans suite.' },
  conventionsDueAt: { label: 'Date limite de signature des conventions', hint: 'Heure de Paris ; une convention non signée à cet instant devient caduque.' },
  experimentationStart: { label: "Début de l'expérimentation", hint: 'Premier jour.' },
  experimentationEnd: { label: "Fin de l'expérimentation", hint: 'Dernier jour (inclus).' },
  reportingGraceDays: { label: 'Délai des dernières remontées (jours)', hint: "Jours accordés après la fin de l'expérimentation pour déclarer les derniers mois." },
};

export type MilestoneValues = Record<InstantField | DateField | 'reportingGraceDays', string>;

/** The calendar's fields, in Paris time (whether a milestone has passed is the API's to say: its clock decides). */
export function MilestoneFields({
  values,
  onChange,
  messages,
}: {
  values: MilestoneValues;
  onChange: (field: keyof MilestoneValues, value: string) => void;
  messages: Record<string, string>;
}) {
  const field = (name: keyof MilestoneValues, type: 'datetime-local' | 'date' | 'number') => (
    <div key={name} className="fr-fieldset__element">
      <Input
        label={milestoneTitles[name].label}
        hintText={milestoneTitles[name].hint}
        state={messages[name] ? 'error' : 'default'}
        stateRelatedMessage={messages[name]}
        nativeInputProps={{ id: fieldId(name), type, value: values[name], onChange: (event) => onChange(name, event.target.value), required: true, ...(type === 'number' ? { min: 0, max: 120 } : {}) }}
      />
    </div>
  );
  return (
    <fieldset className="fr-fieldset" aria-labelledby="legende-calendrier">
      <legend id="legende-calendrier" className="fr-fieldset__legend">
        Calendrier (heure de Paris)
      </legend>
      {instantFields.map((name) => field(name, 'datetime-local'))}
      {dateFields.map((name) => field(name, 'date'))}
      {field('reportingGraceDays', 'number')}
    </fieldset>
  );
}
