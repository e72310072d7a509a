import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { DEFAULT_FUNDING_PER_PILOT_EUR, DEFAULT_REPORTING_GRACE_DAYS } from '@domain/campaign';
import { defaultIndicators } from '@domain/indicators';
import { arsRegions } from '@domain/regions';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiProblem, api, call, type Schemas } from '../../api/client';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert, fieldId, fieldMessages } from '../../components/problem-alert';
import { RequireStaff } from '../../components/console/require-staff';
import { parisFieldToInstant } from '../../components/console/paris-input';
import { consolePaths } from '../../components/console/staff';
import { MilestoneFields, instantFields, milestoneTitles, type MilestoneValues } from './milestone-fields';
import '../../components/console/console.css';

export default function NewCampaignPage() {
  return <RequireStaff national>{() => <NewCampaign />}</RequireStaff>;
}

const emptyMilestones: MilestoneValues = {
  intakeOpensAt: '',
  intakeClosesAt: '',
  selectionEndsAt: '',
  conventionsDueAt: '',
  experimentationStart: '',
  experimentationEnd: '',
  reportingGraceDays: String(DEFAULT_REPORTING_GRACE_DAYS),
};

/** Integers typed in a form; an empty field is "not set". */
const integerOf = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

function NewCampaign() {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [title, setTitle] = useState('');
  const [milestones, setMilestones] = useState<MilestoneValues>(emptyMilestones);
  const [funding, setFunding] = useState(String(DEFAULT_FUNDING_PER_PILOT_EUR));
  const [quotas, setQuotas] = useState<Record<string, string>>({});
  const [indicators, setIndicators] = useState<string[]>(defaultIndicators.map((indicator) => indicator.code));
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [sending, setSending] = useState(false);
  const messages = fieldMessages(error);

  async function create(event: FormEvent) {
    event.preventDefault();
    const instants = Object.fromEntries(instantFields.map((field) => [field, parisFieldToInstant(milestones[field])]));
    const missing = instantFields.filter((field) => !instants[field]);
    if (missing.length > 0) {
      setError(new ApiProblem(400, 'Indiquez la date et l’heure de chaque étape du calendrier.', 'validation_failed', missing.map((path) => ({ path, message: 'Date et heure attendues' }))));
      return;
    }
    const body: Schemas['CampaignCreate'] = {
      id: id.trim(),
      title: title.trim(),
      intakeOpensAt: instants.intakeOpensAt!,
      intakeClosesAt: instants.intakeClosesAt!,
      selectionEndsAt: instants.selectionEndsAt!,
      conventionsDueAt: instants.conventionsDueAt!,
      experimentationStart: milestones.experimentationStart,
      experimentationEnd: milestones.experimentationEnd,
      reportingGraceDays: integerOf(milestones.reportingGraceDays) ?? DEFAULT_REPORTING_GRACE_DAYS,
      fundingPerPilotEur: integerOf(funding) ?? DEFAULT_FUNDING_PER_PILOT_EUR,
      quotas: Object.fromEntries(Object.entries(quotas).flatMap(([ars, text]) => (integerOf(text) === undefined ? [] : [[ars, integerOf(text)!]]))),
      indicators,
      targets: Object.fromEntries(
        Object.entries(targets).flatMap(([code, text]) => (indicators.includes(code) && integerOf(text) !== undefined ? [[code, integerOf(text)!]] : [])),
      ),
    };
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(api.POST('/v1/campaigns', { body }));
      navigate(consolePaths.campaign(data.id), { state: { created: true } });
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  const labels: Record<string, string> = {
    id: 'Identifiant',
    title: 'Titre',
    fundingPerPilotEur: 'Financement par pilote',
    indicators: 'Indicateurs',
    ...Object.fromEntries(Object.entries(milestoneTitles).map(([field, entry]) => [field, entry.label])),
    ...Object.fromEntries(arsRegions.map((region) => [`quotas.${region.code}`, `Quota ${region.name}`])),
    ...Object.fromEntries(defaultIndicators.map((indicator) => [`targets.${indicator.code}`, `Objectif : ${indicator.label}`])),
  };

  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb currentPageLabel="Nouvelle campagne" homeLinkProps={{ to: '/' }} segments={[{ label: 'Vue nationale', linkProps: { to: consolePaths.national } }]} />
      <PageHeading>Créer une campagne</PageHeading>
      <form onSubmit={create} noValidate>
        <ProblemAlert error={error} title="La campagne n'a pas été créée" fieldLabels={labels} />
        <Input
          label="Identifiant"
          hintText="Minuscules, chiffres et tirets, 4 à 64 caractères (par exemple mes-esms-2040) ; il figure dans les adresses."
          state={messages.id ? 'error' : 'default'}
          stateRelatedMessage={messages.id}
          nativeInputProps={{ id: fieldId('id'), value: id, onChange: (event) => setId(event.target.value), required: true, autoComplete: 'off', spellCheck: false }}
        />
        <Input
          label="Titre"
          state={messages.title ? 'error' : 'default'}
          stateRelatedMessage={messages.title}
          nativeInputProps={{ id: fieldId('title'), value: title, onChange: (event) => setTitle(event.target.value), required: true }}
        />
        <MilestoneFields values={milestones} messages={messages} onChange={(field, value) => setMilestones((current) => ({ ...current, [field]: value }))} />
        <Input
          label="Financement par pilote (€)"
          state={messages.fundingPerPilotEur ? 'error' : 'default'}
          stateRelatedMessage={messages.fundingPerPilotEur}
          nativeInputProps={{ id: fieldId('fundingPerPilotEur'), type: 'number', min: 0, step: 1, value: funding, onChange: (event) => setFunding(event.target.value) }}
        />
        <fieldset className="fr-fieldset" aria-labelledby="legende-quotas">
          <legend id="legende-quotas" className="fr-fieldset__legend">
            Quotas de dossiers retenus par région
            <span className="fr-hint-text">Laissez vide pour une région sans quota.</span>
          </legend>
          <div className="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
            {arsRegions.map((region) => (
              <div key={region.code} className="fr-col-12 fr-col-sm-6 fr-col-md-4">
                <Input
                  label={`Quota ${region.name}`}
                  state={messages[`quotas.${region.code}`] ? 'error' : 'default'}
                  stateRelatedMessage={messages[`quotas.${region.code}`]}
                  nativeInputProps={{
                    id: fieldId(`quotas.${region.code}`),
                    type: 'number',
                    min: 0,
                    step: 1,
                    value: quotas[region.code] ?? '',
                    onChange: (event) => setQuotas((current) => ({ ...current, [region.code]: event.target.value })),
                  }}
                />
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset className="fr-fieldset" aria-labelledby="legende-indicateurs">
          <legend id="legende-indicateurs" className="fr-fieldset__legend">
            Indicateurs d'usage et objectifs
            <span className="fr-hint-text">Chaque pilote déclare les indicateurs cochés ; un objectif est le total minimal sur l'expérimentation (vide : pas d'objectif).</span>
          </legend>
          <div className="fr-fieldset__element">
            {defaultIndicators.map((indicator) => {
              const checked = indicators.includes(indicator.code);
              return (
                <div key={indicator.code} className="fr-grid-row fr-grid-row--gutters fr-grid-row--middle">
                  <div className="fr-col-12 fr-col-md-8">
                    <Checkbox
                      options={[
                        {
                          label: indicator.label,
                          nativeInputProps: {
                            checked,
                            onChange: () => setIndicators((current) => (checked ? current.filter((code) => code !== indicator.code) : [...current, indicator.code])),
                          },
                        },
                      ]}
                    />
                  </div>
                  <div className="fr-col-12 fr-col-md-4">
                    <Input
                      label={<span>Objectif<span className="fr-sr-only"> : {indicator.label}</span></span>}
                      disabled={!checked}
                      state={messages[`targets.${indicator.code}`] ? 'error' : 'default'}
                      stateRelatedMessage={messages[`targets.${indicator.code}`]}
                      nativeInputProps={{
                        id: fieldId(`targets.${indicator.code}`),
                        type: 'number',
                        min: 0,
                        step: 1,
                        value: targets[indicator.code] ?? '',
                        onChange: (event) => setTargets((current) => ({ ...current, [indicator.code]: event.target.value })),
                      }}
                    />
                  </div>
                </div>
              );
            })}
          </div>
        </fieldset>
        <Button type="submit" disabled={sending}>
          {sending ? 'Création…' : 'Créer la campagne'}
        </Button>
      </form>
    </div>
  );
}
