import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import {
  attachmentContentTypes,
  attachmentStatusLabels,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type AttachmentStatus,
} from '@domain/attachment';
import { useEffect, useRef, useState } from 'react';
import { accessToken } from '../api/auth';
import { api, ApiProblem, call, problemOf, read, type Schemas } from '../api/client';
import { when } from './format';
import { ProblemAlert } from './problem-alert';
import { useResource } from './use-resource';

type Attachment = Schemas['AttachmentList']['items'][number];

const severity: Record<AttachmentStatus, 'new' | 'success' | 'info' | 'error'> = { en_attente: 'new', en_analyse: 'info', sain: 'success', infecte: 'error' };
const explanations: Partial<Record<AttachmentStatus, string>> = {
  en_analyse: "Le fichier est en cours d'analyse antivirus : il sera consultable une fois l'analyse terminée.",
  infecte: "L'analyse antivirus a détecté un logiciel malveillant dans ce fichier : il a été refusé et personne ne peut le télécharger. Supprimez-le, puis déposez une version saine.",
  en_attente: "Le fichier n'a pas été reçu : supprimez cette ligne puis déposez-le de nouveau.",
};

const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo` : `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('fr-FR')} Ko`;

const typeText: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

const pathOf = (applicationId: string, attachmentId: string): string =>
  `/v1/applications/${encodeURIComponent(applicationId)}/attachments/${encodeURIComponent(attachmentId)}`;

/** The API answers 303 to a short-lived link of the bucket; fetch follows it (without our token) and the browser saves the file. */
async function downloadAttachment(applicationId: string, attachment: Attachment): Promise<void> {
  const token = accessToken();
  let response: Response;
  try {
    response = await fetch(pathOf(applicationId, attachment.id), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiProblem(0, 'Le fichier ne peut pas être téléchargé pour le moment : vérifiez votre connexion puis réessayez.');
  }
  if (!response.ok) throw await problemOf(response, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function AttachmentRow({ applicationId, attachment, onDelete }: { applicationId: string; attachment: Attachment; onDelete?: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const explanation = explanations[attachment.status];
  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <li className="fr-mb-2w">
      <p className="fr-mb-1v">
        <strong>{attachment.name}</strong> — {typeText[attachment.contentType] ?? attachment.contentType}, {sizeText(attachment.size)}{' '}
        <Badge small noIcon severity={severity[attachment.status]}>
          {attachmentStatusLabels[attachment.status]}
        </Badge>
      </p>
      {attachment.uploadedAt && <p className="fr-text--sm fr-mb-1v">Reçu le {when(attachment.uploadedAt)}</p>}
      {explanation && <p className={`fr-text--sm fr-mb-1v${attachment.status === 'infecte' ? ' fr-error-text' : ''}`}>{explanation}</p>}
      <div className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
        {attachment.status === 'sain' && (
          <Button
            priority="tertiary"
            size="small"
            iconId="fr-icon-download-line"
            iconPosition="left"
            disabled={busy}
            onClick={() => void run(() => downloadAttachment(applicationId, attachment))}
            nativeButtonProps={{ 'aria-label': `Télécharger ${attachment.name}` }}
          >
            Télécharger
          </Button>
        )}
        {onDelete && (
          <Button
            priority="tertiary no outline"
            size="small"
            iconId="fr-icon-delete-line"
            iconPosition="left"
            disabled={busy}
            onClick={() => void run(onDelete)}
            nativeButtonProps={{ 'aria-label': `Supprimer ${attachment.name}` }}
          >
            Supprimer
          </Button>
        )}
      </div>
      <ProblemAlert error={error} title="L'action sur ce fichier n'a pas abouti" />
    </li>
  );
}

const settled = (items: readonly Attachment[]): boolean => items.every((item) => item.status === 'sain' || item.status === 'infecte' || item.status === 'en_attente');

/** The list, read again every 2 seconds while a file is being scanned. */
function useAttachments(applicationId: string) {
  const list = useResource(() => read(api.GET('/v1/applications/{id}/attachments', { params: { path: { id: applicationId } } })), [applicationId]);
  const scanning = list.data !== undefined && !settled(list.data.items);
  useEffect(() => {
    if (!scanning) return undefined;
    const timer = setTimeout(() => void list.reload(), 2000);
    return () => clearTimeout(timer);
  }, [scanning, list]);
  return list;
}

/** The browser's form POST to the bucket: the presigned fields, then the file (S3 reads fields up to the file). */
async function sendToBucket(upload: { url: string; fields: Record<string, string> }, file: File): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', file);
  let response: Response;
  try {
    response = await fetch(upload.url, { method: 'POST', body: form });
  } catch {
    throw new ApiProblem(0, "Le fichier n'a pas pu être envoyé : vérifiez votre connexion puis réessayez.");
  }
  if (!response.ok) throw new ApiProblem(response.status, "Le stockage a refusé le fichier (taille ou type différent de celui annoncé) : réessayez avec le même fichier.");
}

function checkFile(file: File): string | undefined {
  if (!(attachmentContentTypes as readonly string[]).includes(file.type)) return `« ${file.name} » n'est ni un PDF, ni une image JPEG ou PNG.`;
  if (file.size === 0) return `« ${file.name} » est vide.`;
  if (file.size > MAX_ATTACHMENT_BYTES) return `« ${file.name} » dépasse 10 Mo (${sizeText(file.size)}).`;
  return undefined;
}

/**
 * The applicant's attachments: the list with each file's scan status, and while the file may change, the
 * DSFR upload field and a delete button per file.
 */
export function ApplicationAttachments({ applicationId, editable }: { applicationId: string; editable: boolean }) {
  const list = useAttachments(applicationId);
  const [error, setError] = useState<unknown>();
  const [invalid, setInvalid] = useState<string>();
  const [sending, setSending] = useState(false);
  const [announce, setAnnounce] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const items = list.data?.items ?? [];
  const full = items.length >= MAX_ATTACHMENTS;

  async function attach(file: File) {
    const problem = checkFile(file);
    setInvalid(problem);
    setError(undefined);
    if (problem) return;
    setSending(true);
    setAnnounce(`Envoi de ${file.name}…`);
    try {
      const { data } = await call(
        api.POST('/v1/applications/{id}/attachments', {
          params: { path: { id: applicationId } },
          body: { name: file.name, contentType: file.type as (typeof attachmentContentTypes)[number], size: file.size },
        }),
      );
      await sendToBucket(data.upload, file);
      setAnnounce(`${file.name} a été reçu : analyse antivirus en cours.`);
    } catch (caught) {
      setError(caught);
      setAnnounce('');
    } finally {
      setSending(false);
      if (input.current) input.current.value = '';
      await list.reload();
    }
  }

  async function remove(attachment: Attachment) {
    const response = await api.DELETE('/v1/applications/{id}/attachments/{attachmentId}', { params: { path: { id: applicationId, attachmentId: attachment.id } } });
    if (!response.response.ok) throw await problemOf(response.response, response.error);
    setAnnounce(`${attachment.name} a été supprimé.`);
    await list.reload();
  }

  return (
    <section className="fr-mt-6w" aria-labelledby="pieces-jointes">
      <h2 id="pieces-jointes">Pièces jointes</h2>
      <p className="fr-sr-only" aria-live="polite">
        {announce}
      </p>
      <ProblemAlert error={list.error} title="Les pièces jointes n'ont pas pu être chargées" />
      {list.data && items.length === 0 && <p>Aucune pièce jointe.</p>}
      {items.length > 0 && (
        <ul className="fr-raw-list">
          {items.map((attachment) => (
            <AttachmentRow key={attachment.id} applicationId={applicationId} attachment={attachment} onDelete={editable ? () => remove(attachment) : undefined} />
          ))}
        </ul>
      )}
      {editable && list.data && (
        <>
          <Upload
            label="Ajouter une pièce jointe"
            hint={`PDF, JPEG ou PNG, 10 Mo au plus ; ${MAX_ATTACHMENTS} fichiers par dossier. Chaque fichier est analysé par un antivirus avant de pouvoir être consulté.`}
            disabled={sending || full}
            state={invalid ? 'error' : 'default'}
            stateRelatedMessage={invalid}
            nativeInputProps={{
              ref: input,
              accept: attachmentContentTypes.join(','),
              onChange: (event) => {
                const file = event.currentTarget.files?.[0];
                if (file) void attach(file);
              },
            }}
          />
          {full && <p className="fr-text--sm">Ce dossier compte déjà {MAX_ATTACHMENTS} pièces jointes : supprimez-en une pour en ajouter une autre.</p>}
          <ProblemAlert error={error} title="Le fichier n'a pas été ajouté" />
        </>
      )}
    </section>
  );
}

/** What the ARS (and national staff) see of a file's attachments: each with its status, a download for clean ones. */
export function ReviewAttachments({ applicationId }: { applicationId: string }) {
  const list = useAttachments(applicationId);
  const items = list.data?.items ?? [];
  return (
    <section className="fr-mt-4w" aria-labelledby="pieces-jointes">
      <h2 id="pieces-jointes">Pièces jointes</h2>
      <ProblemAlert error={list.error} title="Les pièces jointes n'ont pas pu être chargées" />
      {list.data && items.length === 0 && <p>Le porteur n'a joint aucun fichier.</p>}
      {items.length > 0 && (
        <ul className="fr-raw-list">
          {items.map((attachment) => (
            <AttachmentRow key={attachment.id} applicationId={applicationId} attachment={attachment} />
          ))}
        </ul>
      )}
    </section>
  );
}
