import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState, type FormEvent } from 'react';
import { api, call, ifMatch, type Application } from '../../api/client';
import { useSession } from '../../components/session';
import { fieldId, fieldMessages, ProblemAlert } from '../../components/problem-alert';
import { when } from '../../components/format';

/** The people the owner invited; a collaborator sees them but only the owner manages them. */
export function Collaborators({ application, onChange }: { application: Application; onChange: (next: Application) => void }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const collaborators = application.collaborators ?? [];
  const iAmCollaborator = collaborators.some((collaborator) => collaborator.email.toLowerCase() === session?.email?.toLowerCase());

  async function invite(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setNotice('');
    try {
      const { data } = await call(api.POST('/v1/applications/{id}/collaborators', { params: { path: { id: application.id }, header: ifMatch(application.version) }, body: { email: email.trim() } }));
      setNotice(`${email.trim()} est invité : il ou elle aura accès au dossier en se connectant avec cette adresse.`);
      setEmail('');
      onChange(data);
    } catch (caught) {
      setError(caught);
    }
  }

  async function remove(address: string) {
    setError(undefined);
    setNotice('');
    try {
      const { data } = await call(api.DELETE('/v1/applications/{id}/collaborators/{email}', { params: { path: { id: application.id, email: address }, header: ifMatch(application.version) } }));
      setNotice(`${address} n'a plus accès au dossier.`);
      onChange(data);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="collaborateurs" className="fr-mt-6w">
      <h2 id="collaborateurs">Collaborateurs</h2>
      <p>
        Les personnes invitées peuvent compléter, déposer ou retirer la candidature, signer la convention et déclarer les usages ; seul le titulaire
        du dossier gère les invitations.
      </p>
      <ProblemAlert error={error} title="La modification des collaborateurs n'a pas abouti" fieldLabels={{ email: 'Adresse électronique' }} />
      <p role="status" className="fr-text--sm">
        {notice}
      </p>
      {collaborators.length === 0 ? (
        <p>Aucun collaborateur pour le moment.</p>
      ) : (
        <ul>
          {collaborators.map((collaborator) => (
            <li key={collaborator.email} className="fr-mb-1w">
              {collaborator.email} — {collaborator.joinedAt ? `a rejoint le dossier le ${when(collaborator.joinedAt)}` : `invité le ${when(collaborator.invitedAt)}, pas encore connecté`}
              {!iAmCollaborator && (
                <Button className="fr-ml-2w" size="small" priority="tertiary" onClick={() => void remove(collaborator.email)}>
                  Retirer <span className="fr-sr-only">{collaborator.email}</span>
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!iAmCollaborator && (
        <form onSubmit={invite} noValidate className="fr-mt-2w">
          <Input
            label="Adresse électronique de la personne à inviter"
            hintText="Format attendu : nom@domaine.fr"
            state={fieldMessages(error).email ? 'error' : 'default'}
            stateRelatedMessage={fieldMessages(error).email}
            nativeInputProps={{ id: fieldId('email'), type: 'email', autoComplete: 'email', value: email, onChange: (event) => setEmail(event.target.value) }}
          />
          <Button type="submit" priority="secondary" iconId="fr-icon-user-add-line">
            Inviter
          </Button>
        </form>
      )}
    </section>
  );
}
