import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { arsCodes, arsName } from '@domain/regions';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ApiProblem, api, call, ifMatch, read, type Campaign, type Schemas } from '../../api/client';
import { CampaignCalendar } from '../../components/campaign-calendar';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { PhaseBadge } from '../../components/phase-badge';
import { ProblemAlert, fieldMessages } from '../../components/problem-alert';
import { useResource } from '../../components/use-resource';
import { RequireStaff } from '../../components/console/require-staff';
import { instantToParisField, parisFieldToInstant } from '../../components/console/paris-input';
import { consolePaths } from '../../components/console/staff';
import { MilestoneFields, dateFields, instantFields, milestoneTitles, type MilestoneValues } from './milestone-fields';
import '../../components/console/console.css';

export default function CampaignPage() {
  return <RequireStaff national>{() => <CampaignView />}</RequireStaff>;
}

function CampaignView() {
  const { campaignId = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const campaign = useResource(() => read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })), [campaignId]);
  const data = campaign.data;
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb currentPageLabel={data?.title ?? 'Campagne'} homeLinkProps={{ to: '/' }} segments={[{ label: 'Vue nationale', linkProps: { to: consolePaths.national } }]} />
      <PageHeading title={data ? `Campagne ${data.title}` : 'Campagne'}>{data?.title ?? 'Campagne'}</PageHeading>
      {campaign.loading && !data && <Loading />}
      <ProblemAlert error={campaign.error} title="La campagne n'a pas pu être chargée" />
      {created && <Alert severity="success" small className="fr-mb-3w" description="La campagne a bien été créée." />}
      {data && (
        <>
          <p>
            <PhaseBadge phase={data.phase} /> Identifiant : <span className="app-figure">{data.id}</span>
          </p>
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Link className="fr-btn fr-btn--secondary" to={consolePaths.nationalDashboard(data.id)}>
                Tableau de bord national
              </Link>
            </li>
          </ul>
          <RegionLink campaignId={data.id} />
          <CampaignCalendar campaign={data} />
          <h2>Quotas par région</h2>
          <p>
            {Object.keys(data.quotas).length === 0
              ? 'Aucune région n’a de quota.'
              : Object.entries(data.quotas)
                  .map(([ars, quota]) => `${arsName(ars as (typeof arsCodes)[number])} : ${quota}`)
                  .join(' ; ')}
          </p>
          <MoveMilestones campaign={data} onSaved={campaign.set} onStale={campaign.reload} />
        </>
      )}
    </div>
  );
}

function RegionLink({ campaignId }: { campaignId: string }) {
  const [ars, setArs] = useState<string>('NAQ');
  return (
    <div className="fr-mb-4w">
      <Select label="Instruire pour la région" className="app-region-picker" nativeSelectProps={{ value: ars, onChange: (event) => setArs(event.target.value) }}>
        {arsCodes.map((code) => (
          <option key={code} value={code}>
            {arsName(code)}
          </option>
        ))}
      </Select>
      <Link className="fr-link" to={consolePaths.region(campaignId, ars)}>
        Ouvrir les dossiers de la région {arsName(ars as (typeof arsCodes)[number])}
      </Link>
    </div>
  );
}

const valuesOf = (campaign: Campaign): MilestoneValues => ({
  intakeOpensAt: instantToParisField(campaign.intakeOpensAt),
  intakeClosesAt: instantToParisField(campaign.intakeClosesAt),
  selectionEndsAt: instantToParisField(campaign.selectionEndsAt),
  conventionsDueAt: instantToParisField(campaign.conventionsDueAt),
  experimentationStart: campaign.experimentationStart,
  experimentationEnd: campaign.experimentationEnd,
  reportingGraceDays: String(campaign.reportingGraceDays),
});

/** Moves the milestones still ahead; the API refuses one already passed (milestone_passed), and says why. */
function MoveMilestones({ campaign, onSaved, onStale }: { campaign: Campaign; onSaved: (next: Campaign) => void; onStale: () => Promise<void> }) {
  const initial = valuesOf(campaign);
  const [values, setValues] = useState<MilestoneValues>(initial);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [sending, setSending] = useState(false);
  const messages = fieldMessages(error);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const patch: Schemas['CampaignPatch'] = {};
    for (const field of instantFields) {
      if (values[field] === initial[field]) continue;
      const instant = parisFieldToInstant(values[field]);
      if (!instant) {
        setError(new ApiProblem(400, 'Indiquez une date et une heure.', 'validation_failed', [{ path: field, message: 'Date et heure attendues' }]));
        return;
      }
      patch[field] = instant;
    }
    for (const field of dateFields) if (values[field] !== initial[field]) patch[field] = values[field];
    if (values.reportingGraceDays !== initial.reportingGraceDays) patch.reportingGraceDays = Number(values.reportingGraceDays);
    if (Object.keys(patch).length === 0) {
      setError(new ApiProblem(400, 'Aucune date n’a changé : modifiez une étape avant d’enregistrer.'));
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(api.PATCH('/v1/campaigns/{campaignId}', { params: { path: { campaignId: campaign.id }, header: ifMatch(campaign.version) }, body: patch }));
      setSaved(true);
      onSaved(data);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem && caught.status === 412) void onStale();
    } finally {
      setSending(false);
    }
  }

  const labels = Object.fromEntries(Object.entries(milestoneTitles).map(([field, entry]) => [field, entry.label]));
  return (
    <form onSubmit={save} aria-labelledby="titre-deplacer" className="fr-mt-4w" noValidate>
      <h2 id="titre-deplacer">Déplacer une étape</h2>
      <p>Seules les étapes encore à venir peuvent être déplacées, et seulement vers une date à venir. Les envois programmés suivent le nouveau calendrier.</p>
      {saved && <Alert severity="success" small className="fr-mb-2w" description="Le calendrier a été mis à jour." />}
      <ProblemAlert
        error={error}
        title={error instanceof ApiProblem && error.code === 'milestone_passed' ? 'Cette étape est déjà passée' : "Le calendrier n'a pas été modifié"}
        fieldLabels={labels}
      />
      <MilestoneFields values={values} messages={messages} onChange={(field, value) => setValues((current) => ({ ...current, [field]: value }))} />
      <Button type="submit" disabled={sending}>
        {sending ? 'Enregistrement…' : 'Enregistrer le calendrier'}
      </Button>
    </form>
  );
}
