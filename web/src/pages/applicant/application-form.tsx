import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { pathways } from '@domain/application';
import { formatDeadline, formatParisDateTime, parseInstant } from '@domain/calendar';
import { esmsCategories } from '@domain/categories';
import { applicationStatusTitles, modeTitles, pathwayTitles, readinessServices, readinessTitles, sectorTitles } from '@domain/labels';
import { arsName } from '@domain/regions';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { campaignInstants } from '../../components/campaign-calendar';
import { ApiProblem, api, call, ifMatch, read, type Application, type ApplicationEdit, type Campaign } from '../../api/client';
import { Loading } from '../../components/loading';
import { PageHeading } from '../../components/page-heading';
import { fieldId, ProblemAlert } from '../../components/problem-alert';
import { RequireSession } from '../../components/require-session';
import { useResource } from '../../components/use-resource';
import { checkedEdit, draftOf, eligibilityChecklist, sameEdit, type Draft, type Pathway, type Readiness } from './application-draft';

export default function ApplicationFormPage() {
  return (
    <RequireSession>
      <ApplicationFormLoader />
    </RequireSession>
  );
}

/** The labels of the fields an API error may name (errors[].path), for the error summary's links. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Nom de l’établissement ou du service',
  category: 'Catégorie FINESS',
  capacity: 'Capacité',
  contact: 'Contact',
  'contact.name': 'Nom du contact',
  'contact.email': 'Adresse électronique du contact',
  'contact.phone': 'Téléphone du contact',
  dui: 'Dossier usager informatisé',
  'dui.editor': 'Éditeur du DUI',
  'dui.product': 'Nom du logiciel',
  readiness: 'Où en êtes-vous',
  pathways: 'Parcours d’usage',
  exchanges: 'Échanges prévus',
  awarenessMeans: 'Information et formation',
};

/** A refusal of the submit step, carried back to the form so that each field shows its own problem. */
export interface SubmitRefusal {
  readonly detail: string;
  readonly errors: readonly { path: string; message: string }[];
}

function ApplicationFormLoader() {
  const { id = '' } = useParams();
  const application = useResource(() => read(api.GET('/v1/applications/{id}', { params: { path: { id } } })), [id]);
  const campaignId = application.data?.campaignId;
  const campaign = useResource(
    () => (campaignId ? read(api.GET('/v1/campaigns/{campaignId}', { params: { path: { campaignId } } })) : Promise.resolve(undefined)),
    [campaignId],
  );
  const heading = application.data?.name ? `Candidature : ${application.data.name}` : 'Ma candidature';
  return (
    <div className="fr-container fr-my-6w">
      <Breadcrumb currentPageLabel="Candidature" homeLinkProps={{ to: '/' }} segments={[{ label: 'Mes dossiers', linkProps: { to: '/mes-dossiers' } }]} />
      <PageHeading title={heading}>Ma candidature</PageHeading>
      {application.loading && !application.data && <Loading />}
      <ProblemAlert error={application.error ?? campaign.error} title="Le dossier n'a pas pu être chargé" />
      {application.data && campaign.data && <ApplicationForm key={application.data.id} initial={application.data} campaign={campaign.data} />}
    </div>
  );
}

type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'refused'; error: unknown }
  | { kind: 'conflict' };

const AUTOSAVE_DELAY_MS = 800;

function ApplicationForm({ initial, campaign }: { initial: Application; campaign: Campaign }) {
  const navigate = useNavigate();
  const location = useLocation();
  const refusal = (location.state as { refusal?: SubmitRefusal } | null)?.refusal;
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [application, setApplication] = useState(initial);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [error, setError] = useState<unknown>(refusal ? new ApiProblem(422, refusal.detail, 'ineligible', refusal.errors) : undefined);

  // The latest values, for the timer and the answers that arrive after later keystrokes.
  const draftRef = useRef(draft);
  const versionRef = useRef(initial.version);
  const savedRef = useRef<ApplicationEdit>(checkedEdit(draftOf(initial)).edit);
  const inFlight = useRef<Promise<boolean> | undefined>(undefined);
  const conflictRef = useRef(false);
  const timer = useRef<number | undefined>(undefined);

  const { edit, problems } = useMemo(() => checkedEdit(draft), [draft]);
  const checklist = useMemo(() => eligibilityChecklist(edit), [edit]);
  // Editable while brouillon or déposé and the intake is open (the API says the same: intake_closed).
  const editable = (application.status === 'brouillon' || application.status === 'deposee') && campaign.phase === 'candidatures';
  const deadline = formatDeadline(campaignInstants(campaign).intakeClosesAt);

  /** Saves what the form holds now; one request at a time, then again if the person typed meanwhile. */
  const flush = useCallback(async (): Promise<boolean> => {
    window.clearTimeout(timer.current);
    if (conflictRef.current) return false;
    if (inFlight.current) await inFlight.current;
    const next = checkedEdit(draftRef.current).edit;
    if (sameEdit(next, savedRef.current)) {
      setSave((state) => (state.kind === 'pending' ? { kind: 'idle' } : state));
      return true;
    }
    setSave({ kind: 'saving' });
    const attempt = (async () => {
      try {
        const { data } = await call(api.PUT('/v1/applications/{id}', { params: { path: { id: initial.id }, header: ifMatch(versionRef.current) }, body: next }));
        versionRef.current = data.version;
        savedRef.current = next;
        setApplication(data);
        setSave({ kind: 'saved', at: data.updatedAt });
        return true;
      } catch (caught) {
        if (caught instanceof ApiProblem && caught.status === 412) {
          conflictRef.current = true;
          setSave({ kind: 'conflict' });
        } else {
          setSave({ kind: 'refused', error: caught });
        }
        return false;
      }
    })();
    inFlight.current = attempt;
    const ok = await attempt;
    inFlight.current = undefined;
    // Typed during the request: save that too.
    if (ok && !sameEdit(checkedEdit(draftRef.current).edit, savedRef.current)) return flush();
    return ok;
  }, [initial.id]);

  const change = useCallback(
    (patch: Partial<Draft>) => {
      setDraft((current) => {
        const next = { ...current, ...patch };
        draftRef.current = next;
        return next;
      });
      if (conflictRef.current) return;
      setSave({ kind: 'pending' });
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    },
    [flush],
  );

  // Leaving with changes not yet saved: save them, and let the browser warn on a reload or a closed tab.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (!sameEdit(checkedEdit(draftRef.current).edit, savedRef.current)) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      window.clearTimeout(timer.current);
      if (!conflictRef.current && !sameEdit(checkedEdit(draftRef.current).edit, savedRef.current)) void flush();
    };
  }, [flush]);

  /** The other tab's version wins: the form shows what is saved. */
  async function takeTheirs() {
    try {
      const latest = await read(api.GET('/v1/applications/{id}', { params: { path: { id: initial.id } } }));
      const fresh = draftOf(latest);
      versionRef.current = latest.version;
      savedRef.current = checkedEdit(fresh).edit;
      draftRef.current = fresh;
      conflictRef.current = false;
      setApplication(latest);
      setDraft(fresh);
      setSave({ kind: 'saved', at: latest.updatedAt });
    } catch (caught) {
      setError(caught);
    }
  }

  /** This page's version wins: saved over the other one, knowingly. */
  async function keepMine() {
    try {
      const latest = await read(api.GET('/v1/applications/{id}', { params: { path: { id: initial.id } } }));
      versionRef.current = latest.version;
      savedRef.current = checkedEdit(draftOf(latest)).edit;
      conflictRef.current = false;
      await flush();
    } catch (caught) {
      setError(caught);
    }
  }

  async function goToSubmit() {
    setError(undefined);
    if (!(await flush())) return;
    navigate(`/dossiers/${encodeURIComponent(initial.id)}${application.status === 'deposee' ? '' : '/depot'}`);
  }

  // A field shows the API's refusal while it still applies, else the schema's own message for what is typed.
  const unmet = new Set(checklist.filter((rule) => !rule.met).map((rule) => rule.path));
  const refusedFields = error instanceof ApiProblem ? Object.fromEntries(error.errors.filter((entry) => entry.path in problems || unmet.has(entry.path) || error.code !== 'ineligible').map((entry) => [entry.path, entry.message])) : {};
  const saveRefusal = save.kind === 'refused' && save.error instanceof ApiProblem ? Object.fromEntries(save.error.errors.map((entry) => [entry.path, entry.message])) : {};
  const messageOf = (path: string): string | undefined => problems[path] ?? saveRefusal[path] ?? refusedFields[path];
  const stateOf = (path: string) => (messageOf(path) ? ('error' as const) : ('default' as const));

  const input = (path: string, label: string, value: string, onChange: (value: string) => void, more: { hint?: string; type?: string; autoComplete?: string; inputMode?: 'numeric' | 'email' | 'tel' | 'text' } = {}) => (
    <Input
      label={label}
      hintText={more.hint}
      disabled={!editable}
      state={stateOf(path)}
      stateRelatedMessage={messageOf(path)}
      nativeInputProps={{
        id: fieldId(path),
        value,
        onChange: (event) => onChange(event.target.value),
        type: more.type ?? 'text',
        autoComplete: more.autoComplete,
        inputMode: more.inputMode,
      }}
    />
  );

  const textArea = (path: 'exchanges' | 'awarenessMeans', label: string, hint: string) => (
    <Input
      textArea
      label={label}
      hintText={hint}
      disabled={!editable}
      state={stateOf(path)}
      stateRelatedMessage={messageOf(path)}
      nativeTextAreaProps={{ id: fieldId(path), value: draft[path], rows: 5, onChange: (event) => change({ [path]: event.target.value }) }}
    />
  );

  const readiness = (service: 'dmp' | 'mss' | 'ins') => (
    <Select
      label={readinessServices[service]}
      disabled={!editable}
      nativeSelectProps={{ id: fieldId(`readiness.${service}`), value: draft[service], onChange: (event) => change({ [service]: event.target.value as Readiness }) }}
    >
      <option value="">Non renseigné</option>
      {(Object.keys(readinessTitles) as (keyof typeof readinessTitles)[]).map((level) => (
        <option key={level} value={level}>
          {readinessTitles[level]}
        </option>
      ))}
    </Select>
  );

  const categoryGroups = (['PA', 'PH'] as const).map((sector) => ({ sector, categories: esmsCategories.filter((category) => category.sector === sector) }));

  return (
    <>
      <ProblemAlert error={error} fieldLabels={FIELD_LABELS} title={error instanceof ApiProblem && error.code === 'ineligible' ? 'Votre candidature ne peut pas encore être déposée' : undefined} />
      <ConflictAlert visible={save.kind === 'conflict'} onTakeTheirs={takeTheirs} onKeepMine={keepMine} />
      {save.kind === 'refused' && <ProblemAlert error={save.error} title="Vos dernières modifications n'ont pas été enregistrées" fieldLabels={FIELD_LABELS} />}

      <p>
        Dossier n° <strong>{application.id}</strong> — {applicationStatusTitles[application.status]} — campagne « {campaign.title} »
      </p>
      {editable ? (
        <p>
          Vos saisies sont enregistrées au fur et à mesure. Vous pouvez déposer puis modifier votre candidature jusqu'au <strong>{deadline}</strong>.
        </p>
      ) : (
        <Alert
          severity="info"
          small
          description={
            <>
              {campaign.phase === 'candidatures' ? 'Ce dossier ne peut plus être modifié.' : `Les candidatures étaient ouvertes jusqu'au ${deadline} : ce dossier ne peut plus être modifié.`}{' '}
              <Link to={`/dossiers/${encodeURIComponent(application.id)}`}>Suivre mon dossier</Link>
            </>
          }
        />
      )}
      <SaveStatus state={save} />

      <div className="fr-grid-row fr-grid-row--gutters">
        <form className="fr-col-12 fr-col-md-8" noValidate onSubmit={(event) => { event.preventDefault(); void flush(); }}>
          <fieldset className="fr-fieldset" aria-labelledby="section-esms">
            <legend className="fr-fieldset__legend" id="section-esms">
              <h2 className="fr-h4 fr-mb-0">L'établissement ou le service</h2>
            </legend>
            <div className="fr-fieldset__element">
              <p className="fr-mb-2w">
                Numéro FINESS : <strong>{application.finess}</strong> — département {application.department}, ARS {arsName(application.ars)}
              </p>
            </div>
            <div className="fr-fieldset__element">{input('name', FIELD_LABELS.name!, draft.name, (name) => change({ name }), { autoComplete: 'organization' })}</div>
            <div className="fr-fieldset__element">
              <Select
                label={FIELD_LABELS.category}
                hint="La catégorie de l'établissement ou du service au répertoire FINESS"
                disabled={!editable}
                state={stateOf('category')}
                stateRelatedMessage={messageOf('category')}
                nativeSelectProps={{ id: fieldId('category'), value: draft.category, onChange: (event) => change({ category: event.target.value }) }}
              >
                <option value="">Choisir une catégorie</option>
                {categoryGroups.map((group) => (
                  <optgroup key={group.sector} label={sectorTitles[group.sector]}>
                    {group.categories.map((category) => (
                      <option key={category.code} value={category.code}>
                        {category.label} ({category.code}, {modeTitles[category.mode].toLowerCase()})
                      </option>
                    ))}
                  </optgroup>
                ))}
              </Select>
            </div>
            <div className="fr-fieldset__element">
              {input('capacity', 'Capacité (nombre de places ou de personnes accompagnées)', draft.capacity, (capacity) => change({ capacity }), { hint: 'Facultatif ; un nombre entier', inputMode: 'numeric' })}
            </div>
          </fieldset>

          <fieldset className="fr-fieldset" aria-labelledby="section-contact">
            <legend className="fr-fieldset__legend" id="section-contact">
              <h2 className="fr-h4 fr-mb-0">Contact</h2>
            </legend>
            <div className="fr-fieldset__element">{input('contact.name', FIELD_LABELS['contact.name']!, draft.contactName, (contactName) => change({ contactName }), { autoComplete: 'name' })}</div>
            <div className="fr-fieldset__element">
              {input('contact.email', FIELD_LABELS['contact.email']!, draft.contactEmail, (contactEmail) => change({ contactEmail }), { hint: 'Format attendu : nom@domaine.fr ; montrée à votre ARS', type: 'email', autoComplete: 'email', inputMode: 'email' })}
            </div>
            <div className="fr-fieldset__element">
              {input('contact.phone', FIELD_LABELS['contact.phone']!, draft.contactPhone, (contactPhone) => change({ contactPhone }), { hint: 'Facultatif, par exemple 05 56 00 00 00', type: 'tel', autoComplete: 'tel', inputMode: 'tel' })}
            </div>
          </fieldset>

          <fieldset className="fr-fieldset" aria-labelledby="section-dui">
            <legend className="fr-fieldset__legend" id="section-dui">
              <h2 className="fr-h4 fr-mb-0">Dossier usager informatisé (DUI)</h2>
            </legend>
            <div className="fr-fieldset__element">{input('dui.editor', FIELD_LABELS['dui.editor']!, draft.duiEditor, (duiEditor) => change({ duiEditor }))}</div>
            <div className="fr-fieldset__element">{input('dui.product', FIELD_LABELS['dui.product']!, draft.duiProduct, (duiProduct) => change({ duiProduct }))}</div>
            <div className="fr-fieldset__element">
              <Checkbox
                id={fieldId('dui')}
                legend="Capacités du logiciel"
                hintText="Au moins l'une des deux est exigée par l'appel à projets"
                disabled={!editable}
                state={stateOf('dui')}
                stateRelatedMessage={messageOf('dui')}
                options={[
                  { label: 'Logiciel référencé Ségur', nativeInputProps: { checked: draft.segurReferenced, onChange: (event) => change({ segurReferenced: event.target.checked }) } },
                  { label: 'Logiciel capable d’alimenter Mon espace santé', nativeInputProps: { checked: draft.mesCapable, onChange: (event) => change({ mesCapable: event.target.checked }) } },
                ]}
              />
            </div>
          </fieldset>

          <fieldset className="fr-fieldset" aria-labelledby="section-readiness">
            <legend className="fr-fieldset__legend" id="section-readiness">
              <h2 className="fr-h4 fr-mb-0">Où en êtes-vous ?</h2>
            </legend>
            <div className="fr-fieldset__element">{readiness('dmp')}</div>
            <div className="fr-fieldset__element">{readiness('mss')}</div>
            <div className="fr-fieldset__element">{readiness('ins')}</div>
          </fieldset>

          <fieldset className="fr-fieldset" aria-labelledby="section-usages">
            <legend className="fr-fieldset__legend" id="section-usages">
              <h2 className="fr-h4 fr-mb-0">Parcours et usages</h2>
            </legend>
            <div className="fr-fieldset__element">
              <Checkbox
                id={fieldId('pathways')}
                legend="Parcours d’usage visés"
                hintText="Au moins un"
                disabled={!editable}
                state={stateOf('pathways')}
                stateRelatedMessage={messageOf('pathways')}
                options={pathways.map((pathway) => ({
                  label: pathwayTitles[pathway],
                  nativeInputProps: {
                    checked: draft.pathways.includes(pathway),
                    onChange: (event) => change({ pathways: event.target.checked ? [...draft.pathways, pathway] : draft.pathways.filter((p: Pathway) => p !== pathway) }),
                  },
                }))}
              />
            </div>
            <div className="fr-fieldset__element">
              {textArea('exchanges', 'Échanges prévus', 'Les échanges prévus entre les personnes accompagnées et les professionnels, et entre professionnels (documents au DMP, messagerie sécurisée…)')}
            </div>
            <div className="fr-fieldset__element">
              {textArea('awarenessMeans', 'Information et formation', 'Comment vous informerez les personnes accompagnées et leurs proches, et formerez vos équipes')}
            </div>
          </fieldset>

          {editable && (
            <ButtonsGroup
              inlineLayoutWhen="md and up"
              buttons={[
                { children: application.status === 'deposee' ? 'Voir mon dossier déposé' : 'Déposer ma candidature', type: 'button', onClick: () => void goToSubmit(), iconId: 'fr-icon-check-line', iconPosition: 'right' },
                { children: 'Enregistrer maintenant', type: 'submit', priority: 'secondary' },
              ]}
            />
          )}
        </form>

        <aside className="fr-col-12 fr-col-md-4" aria-labelledby="conditions">
          <div className="fr-p-3w" style={{ background: 'var(--background-alt-grey)' }}>
            <h2 id="conditions" className="fr-h5">
              Conditions de l'appel à projets
            </h2>
            <p className="fr-text--sm">
              {checklist.every((rule) => rule.met) ? 'Toutes les conditions sont remplies : vous pouvez déposer.' : `${checklist.filter((rule) => !rule.met).length} condition(s) à remplir avant le dépôt.`}
            </p>
            <ul className="fr-text--sm" style={{ listStyle: 'none', paddingLeft: 0 }}>
              {checklist.map((rule) => (
                <li key={rule.path} className="fr-mb-1w">
                  <span
                    aria-hidden="true"
                    className={rule.met ? 'fr-icon-checkbox-circle-fill fr-icon--sm' : 'fr-icon-close-circle-line fr-icon--sm'}
                    style={{ color: rule.met ? 'var(--text-default-success)' : 'var(--text-default-error)' }}
                  />{' '}
                  <strong>{rule.met ? 'Rempli' : 'À compléter'} :</strong> {rule.met ? rule.message : <a href={`#${fieldId(rule.path)}`}>{rule.message}</a>}
                </li>
              ))}
            </ul>
          </div>
        </aside>
      </div>
    </>
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  const text = (() => {
    switch (state.kind) {
      case 'idle':
        return '';
      case 'pending':
        return 'Modifications en attente d’enregistrement…';
      case 'saving':
        return 'Enregistrement en cours…';
      case 'saved':
        return `Enregistré le ${formatParisDateTime(parseInstant(state.at) ?? new Date())}.`;
      case 'refused':
        return 'Vos dernières modifications n’ont pas été enregistrées.';
      case 'conflict':
        return 'Enregistrement suspendu : le dossier a été modifié ailleurs.';
    }
  })();
  return (
    <p role="status" className="fr-text--sm fr-mb-2w" style={{ minHeight: '1.5rem' }}>
      {text}
    </p>
  );
}

function ConflictAlert({ visible, onTakeTheirs, onKeepMine }: { visible: boolean; onTakeTheirs: () => void; onKeepMine: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (visible) ref.current?.focus();
  }, [visible]);
  if (!visible) return null;
  return (
    <div ref={ref} tabIndex={-1} className="fr-mb-4w">
      <Alert
        severity="warning"
        as="h2"
        title="Ce dossier a été modifié ailleurs"
        description={
          <>
            <p>
              Depuis que vous avez ouvert cette page, le dossier a été enregistré depuis un autre onglet, un autre appareil ou par un collaborateur.
              Rien de ce que vous avez saisi ici n'est perdu : il reste dans cette page, mais n'est plus enregistré tant que vous n'avez pas choisi.
            </p>
            <ButtonsGroup
              inlineLayoutWhen="md and up"
              buttons={[
                { children: 'Garder ma saisie (remplace l’autre version)', onClick: onKeepMine },
                { children: 'Reprendre la version enregistrée (abandonne ma saisie)', priority: 'secondary', onClick: onTakeTheirs },
              ]}
            />
          </>
        }
      />
    </div>
  );
}
