import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { formatCount } from '@domain/labels';
import { arsName } from '@domain/regions';
import { useState } from 'react';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { downloadFile } from '../../components/console/download';
import { useRegion } from '../../components/console/region-context';

const exportsList = [
  { file: 'applications.csv', title: 'Candidatures', description: 'Un dossier par ligne : établissement, catégorie, contact, DUI, parcours, note moyenne, décision.' },
  { file: 'usage.csv', title: "Chiffres d'usage", description: 'Un mois déclaré par pilote et par ligne, avec chaque indicateur.' },
  { file: 'funding.csv', title: 'Financement', description: 'Un pilote par ligne : montant, versements et statut du second versement.' },
] as const;

/** The region's CSV files (separator ";", UTF-8 with BOM: they open as they are in a spreadsheet). */
export default function ExportsPage() {
  const { campaign, ars, scope } = useRegion();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ name: string; bytes: number }>();

  async function download(file: string) {
    setBusy(file);
    setError(undefined);
    setDone(undefined);
    try {
      const query = scope.kind === 'national' ? `?ars=${ars}` : '';
      setDone(await downloadFile(`/v1/campaigns/${encodeURIComponent(campaign.id)}/exports/${file}${query}`, `${campaign.id}-${ars}-${file}`));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <PageHeading title={`Exports — ${arsName(ars)}`}>Exports</PageHeading>
      <p>Les fichiers CSV de la région (séparateur point-virgule, encodage UTF-8), pour un tableur ou un traitement statistique.</p>
      <ProblemAlert error={error} title="Le fichier n'a pas pu être téléchargé" />
      {done && <Alert severity="success" small className="fr-mb-2w" description={`Fichier ${done.name} téléchargé (${formatCount(Math.max(1, Math.round(done.bytes / 1024)))} Ko).`} />}
      <ul className="fr-raw-list">
        {exportsList.map((entry) => (
          <li key={entry.file} className="fr-mb-3w">
            <h2 className="fr-h5 fr-mb-1w">{entry.title}</h2>
            <p className="fr-mb-1w">{entry.description}</p>
            <Button priority="secondary" iconId="fr-icon-download-line" disabled={busy !== undefined} onClick={() => void download(entry.file)}>
              {busy === entry.file ? 'Téléchargement…' : `Télécharger ${entry.title.toLowerCase()} (CSV)`}
            </Button>
          </li>
        ))}
      </ul>
    </>
  );
}
