import { Button } from '@codegouvfr/react-dsfr/Button';
import { useState } from 'react';
import { downloadFile } from './console/download';
import { ProblemAlert } from './problem-alert';

/**
 * A PDF of the API (receipt, convention), fetched with the person's token and handed to the browser: a link
 * would carry no Authorization header. `name` tells which document when several sit on one page.
 */
export function DocumentDownload({ path, fileName, label, name, size = 'medium' }: { path: string; fileName: string; label: string; name?: string; size?: 'small' | 'medium' }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  async function download() {
    setBusy(true);
    setError(undefined);
    try {
      await downloadFile(path, fileName, 'application/pdf');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button
        priority="tertiary"
        size={size}
        iconId="fr-icon-download-line"
        iconPosition="left"
        disabled={busy}
        onClick={() => void download()}
        nativeButtonProps={{ 'aria-busy': busy, ...(name ? { 'aria-label': `${label} — ${name}` } : {}) }}
      >
        {label}
      </Button>
      <ProblemAlert error={error} title="Le document n'a pas pu être téléchargé" />
    </>
  );
}

export const receiptPath = (applicationId: string): string => `/v1/applications/${encodeURIComponent(applicationId)}/receipt.pdf`;
export const conventionDocumentPath = (conventionId: string): string => `/v1/conventions/${encodeURIComponent(conventionId)}/document.pdf`;
