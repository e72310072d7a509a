import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { DataTable as Table } from '../../components/console/data-table';
import { applicationStatusTitles, criterionTitles, decisionTitles, historyActionTitles } from '@domain/labels';
import { criteria, isAwaitingNotification, type Criterion } from '@domain/selection';
import type { Application as DomainApplication } from '@domain/application';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiProblem, api, call, ifMatch, read, type Application } from '../../api/client';
import { when } from '../../components/format';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert, fieldMessages } from '../../components/problem-alert';
import { StatusBadge } from '../../components/status-badge';
import { useResource } from '../../components/use-resource';
import { useRegion } from '../../components/console/region-context';
import { consolePaths } from '../../components/console/staff';
import { ApplicationSummary } from '../applicant/application-summary';
import { ReviewAttachments } from '../../components/attachments';

/** One file, as the ARS instructs it: what the ESMS wrote, its history, the review grid and the decision. */
export default function ApplicationFilePage() {
  const { campaign, ars } = useRegion();
  const { id = '' } = useParams();
  const application = useResource(() => read(api.GET('/v1/applications/{id}', { params: { path: { id } } })), [id]);
  const history = useResource(() => read(api.GET('/v1/applications/{id}/history', { params: { path: { id } } })), [id, application.data?.version]);
  const data = application.data;
  // A file of another campaign or region is not shown under this one's address (the API answers 404 for another region).
  const belongs = data && data.campaignId === campaign.id && data.ars === ars;
  const listPath = consolePaths.region(campaign.id, ars);

  return (
    <>
      <Breadcrumb currentPageLabel={belongs ? (data.name ?? data.id) : 'Dossier'} homeLinkProps={{ to: '/' }} segments={[{ label: 'Dossiers', linkProps: { to: listPath } }]} />
      {application.loading && !data && <Loading what="Chargement du dossier…" />}
      {!data && application.error instanceof ApiProblem && application.error.status === 404 ? (
        <>
          <PageHeading>Dossier introuvable</PageHeading>
          <p>Ce dossier n'existe pas ou ne relève pas de votre région.</p>
        </>
      ) : (
        !data && <ProblemAlert error={application.error} title="Le dossier n'a pas pu être chargé" />
      )}
      {data && !belongs && (
        <>
          <PageHeading>Dossier introuvable</PageHeading>
          <p>Ce dossier ne relève pas de cette campagne ou de cette région.</p>
        </>
      )}
      {belongs && (
        <>
          <PageHeading title={`Dossier ${data.name ?? data.id}`}>{data.name ?? 'Dossier sans nom'}</PageHeading>
          <p>
            Dossier n° <span className="app-figure">{data.id}</span> <StatusBadge status={data.status} />
            {data.submittedAt && <> — déposé le {when(data.submittedAt)}</>}
          </p>
          <DecisionState application={data} />
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-lg-6">
              <h2>Le dossier de l'établissement</h2>
              <ApplicationSummary application={data} />
              <ReviewAttachments applicationId={data.id} />
            </div>
            <div className="fr-col-12 fr-col-lg-6">
              <ReviewForm application={data} onSaved={application.set} onStale={application.reload} />
              <DecisionForm application={data} onSaved={application.set} onStale={application.reload} />
            </div>
          </div>
          <h2 className="fr-mt-4w">Historique</h2>
          <ProblemAlert error={history.error} title="L'historique n'a pas pu être chargé" />
          {history.data && (
            <Table
              caption="Événements du dossier, du plus ancien au plus récent"
              headers={['Date', 'Événement', 'Statut', 'Motivation']}
              data={history.data.items.map((entry) => [
                when(entry.at),
                historyActionTitles[entry.action] ?? entry.action,
                entry.from && entry.from !== entry.to ? `${applicationStatusTitles[entry.from]} → ${applicationStatusTitles[entry.to]}` : applicationStatusTitles[entry.to],
                entry.motivation ?? '',
              ])}
            />
          )}
          <TransferForm application={data} onDone={application.set} />
        </>
      )}
    </>
  );
}

const open = (application: Application): boolean =>
  application.status === 'en_instruction' || isAwaitingNotification(application as unknown as DomainApplication);

function DecisionState({ application }: { application: Application }) {
  const decision = application.decision;
  if (!decision) return null;
  return (
    <Alert
      severity={decision.decision === 'retenue' ? 'success' : 'info'}
      small
      className="fr-mb-3w"
      description={
        <>
          Décision : <strong>{decisionTitles[decision.decision]}</strong>
          {decision.decidedAt && <> (le {when(decision.decidedAt)})</>}
          {decision.notifiedAt ? <>, notifiée le {when(decision.notifiedAt)}.</> : <>, pas encore notifiée à l'établissement.</>} Motivation : « {decision.motivation} »
        </>
      }
    />
  );
}

type Scores = Partial<Record<Criterion, string>>;

function ReviewForm({ application, onSaved, onStale }: { application: Application; onSaved: (next: Application) => void; onStale: () => Promise<void> }) {
  // The form keeps what the person typed through errors and reloads: it is initialised once.
  const [scores, setScores] = useState<Scores>(() => {
    const review = application.review;
    return review ? Object.fromEntries(criteria.map((criterion) => [criterion, String(review.scores[criterion])])) : {};
  });
  const [comment, setComment] = useState(application.review?.comment ?? '');
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState<Criterion[]>([]);
  const [saved, setSaved] = useState(false);
  const [sending, setSending] = useState(false);
  const messages = fieldMessages(error);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const unscored = criteria.filter((criterion) => scores[criterion] === undefined);
    setMissing(unscored);
    if (unscored.length > 0) {
      setError(new ApiProblem(400, 'Notez chacun des cinq critères avant d’enregistrer l’évaluation.'));
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      const body = { scores: Object.fromEntries(criteria.map((criterion) => [criterion, Number(scores[criterion])])) as Record<Criterion, number>, comment };
      const { data } = await call(api.PUT('/v1/applications/{id}/review', { params: { path: { id: application.id }, header: ifMatch(application.version) }, body }));
      onSaved(data);
      setSaved(true);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem && caught.status === 412) void onStale();
    } finally {
      setSending(false);
    }
  }

  if (!open(application)) {
    return (
      <section aria-labelledby="titre-evaluation">
        <h2 id="titre-evaluation">Évaluation</h2>
        {application.review ? <ReviewSummary application={application} /> : <p>Ce dossier n'a pas été évalué.</p>}
        <p className="fr-text--sm">Le dossier est « {applicationStatusTitles[application.status]} » : l'évaluation ne peut plus être modifiée.</p>
      </section>
    );
  }
  return (
    <form onSubmit={save} aria-labelledby="titre-evaluation" className="fr-mb-6w" noValidate>
      <h2 id="titre-evaluation">Évaluation</h2>
      <p className="fr-text--sm">Chaque critère est noté de 0 (absent) à 5 (excellent). L'évaluation n'est jamais montrée à l'établissement.</p>
      <ProblemAlert error={error} title="L'évaluation n'a pas été enregistrée" />
      {saved && <Alert severity="success" small className="fr-mb-2w" description={`Évaluation enregistrée : moyenne ${application.review?.average.toLocaleString('fr-FR')} sur 5.`} />}
      {criteria.map((criterion) => (
        <RadioButtons
          key={criterion}
          legend={criterionTitles[criterion].title}
          hintText={criterionTitles[criterion].hint}
          orientation="horizontal"
          name={`note-${criterion}`}
          state={missing.includes(criterion) || messages[`scores.${criterion}`] ? 'error' : 'default'}
          stateRelatedMessage={missing.includes(criterion) || messages[`scores.${criterion}`] ? (messages[`scores.${criterion}`] ?? 'Choisissez une note.') : undefined}
          options={[0, 1, 2, 3, 4, 5].map((score) => ({
            label: String(score),
            nativeInputProps: {
              value: String(score),
              checked: scores[criterion] === String(score),
              onChange: () => setScores((current) => ({ ...current, [criterion]: String(score) })),
            },
          }))}
        />
      ))}
      <Input
        label="Commentaire de l'instruction"
        textArea
        state={messages.comment ? 'error' : 'default'}
        stateRelatedMessage={messages.comment}
        nativeTextAreaProps={{ value: comment, onChange: (event) => setComment(event.target.value), rows: 4, maxLength: 5000 }}
      />
      <Button type="submit" disabled={sending}>
        {sending ? 'Enregistrement…' : "Enregistrer l'évaluation"}
      </Button>
    </form>
  );
}

function ReviewSummary({ application }: { application: Application }) {
  const review = application.review!;
  return (
    <ul>
      {criteria.map((criterion) => (
        <li key={criterion}>
          {criterionTitles[criterion].title} : {review.scores[criterion]} sur 5
        </li>
      ))}
      <li>Moyenne : {review.average.toLocaleString('fr-FR')} sur 5</li>
      {review.comment && <li>Commentaire : {review.comment}</li>}
    </ul>
  );
}

function DecisionForm({ application, onSaved, onStale }: { application: Application; onSaved: (next: Application) => void; onStale: () => Promise<void> }) {
  const [decision, setDecision] = useState<'retenue' | 'non_retenue' | undefined>(application.decision?.decision);
  const [motivation, setMotivation] = useState(application.decision?.motivation ?? '');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [sending, setSending] = useState(false);
  const messages = fieldMessages(error);
  if (!open(application)) return null;

  async function send(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (!decision) {
      setError(new ApiProblem(400, 'Choisissez la décision : retenu ou non retenu.', 'validation_failed', [{ path: 'decision', message: 'Choisissez la décision' }]));
      return;
    }
    setSending(true);
    setError(undefined);
    try {
      const { data } = await call(
        api.POST('/v1/applications/{id}/decision', { params: { path: { id: application.id }, header: ifMatch(application.version) }, body: { decision, motivation } }),
      );
      onSaved(data);
      setSaved(true);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem && caught.status === 412) void onStale();
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={send} aria-labelledby="titre-decision" noValidate>
      <h2 id="titre-decision">Décision</h2>
      <p className="fr-text--sm">La décision et sa motivation sont envoyées à l'établissement lors de la notification ; d'ici là, elle peut être changée.</p>
      <ProblemAlert error={error} title="La décision n'a pas été enregistrée" />
      {saved && application.decision && (
        <Alert severity="success" small className="fr-mb-2w" description={`Décision enregistrée : ${decisionTitles[application.decision.decision].toLowerCase()}. Elle sera envoyée lors de la notification.`} />
      )}
      <RadioButtons
        legend="Décision"
        name="decision"
        state={messages.decision ? 'error' : 'default'}
        stateRelatedMessage={messages.decision}
        options={(['retenue', 'non_retenue'] as const).map((value) => ({
          label: decisionTitles[value],
          nativeInputProps: { value, checked: decision === value, onChange: () => setDecision(value) },
        }))}
      />
      <Input
        label="Motivation"
        hintText="Obligatoire, 2 000 caractères au plus ; l'établissement la lira."
        textArea
        state={messages.motivation ? 'error' : 'default'}
        stateRelatedMessage={messages.motivation}
        nativeTextAreaProps={{ value: motivation, onChange: (event) => setMotivation(event.target.value), rows: 4, maxLength: 2000, required: true }}
      />
      <Button type="submit" disabled={sending}>
        {sending ? 'Enregistrement…' : 'Enregistrer la décision'}
      </Button>
    </form>
  );
}

function TransferForm({ application, onDone }: { application: Application; onDone: (next: Application) => void }) {
  const [email, setEmail] = useState('');
  const [motivation, setMotivation] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [sending, setSending] = useState(false);
  const messages = fieldMessages(error);

  async function send(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(undefined);
    setDone(undefined);
    try {
      const { data } = await call(api.POST('/v1/applications/{id}/transfer', { params: { path: { id: application.id } }, body: { email, motivation } }));
      onDone(data);
      setDone(email);
      setEmail('');
      setMotivation('');
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  }

  return (
    <form onSubmit={send} aria-labelledby="titre-transfert" className="fr-mt-6w" noValidate>
      <h2 id="titre-transfert">Transférer le dossier à un autre compte</h2>
      <p className="fr-text--sm">
        Quand un numéro FINESS a été pris par un mauvais compte : le dossier, sa convention et son suivi appartiendront à la personne qui se connecte avec cette adresse
        vérifiée ; l'ancien titulaire et ses collaborateurs perdent l'accès. Les deux adresses en sont informées.
      </p>
      <ProblemAlert error={error} title="Le transfert n'a pas abouti" />
      {done && <Alert severity="success" small className="fr-mb-2w" description={`Le dossier appartient désormais au compte ${done}.`} />}
      <Input
        label="Adresse électronique du nouveau titulaire"
        state={messages.email ? 'error' : 'default'}
        stateRelatedMessage={messages.email}
        nativeInputProps={{ type: 'email', value: email, onChange: (event) => setEmail(event.target.value), autoComplete: 'off', required: true }}
      />
      <Input
        label="Motivation du transfert"
        textArea
        state={messages.motivation ? 'error' : 'default'}
        stateRelatedMessage={messages.motivation}
        nativeTextAreaProps={{ value: motivation, onChange: (event) => setMotivation(event.target.value), rows: 3, maxLength: 2000, required: true }}
      />
      <Button type="submit" priority="secondary" disabled={sending}>
        {sending ? 'Transfert…' : 'Transférer le dossier'}
      </Button>
    </form>
  );
}
