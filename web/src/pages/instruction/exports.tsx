import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { formatCount } from '@domain/labels';
import { arsName } from '@domain/regions';
import { useState } from 'react';
import { PageHeading } from '../../components/page-heading';
import { ProblemAlert } from '../../components/problem-alert';
import { downloadFile } from '../../components/console/download';
import { ExportButtons, exportMediaTypes, exportPath, type ExportFormat } from '../../components/console/export-files';
import { PublishableSwitch } from '../../components/console/dashboard-view';
import { useRegion } from '../../components/console/region-context';

const exportsList = [
  { file: 'applications', title: 'Candidatures', description: 'Un dossier par ligne : établissement, catégorie, contact, DUI, parcours, note moyenne, décision.' },
  { file: 'usage', title: "Chiffres d'usage", description: 'Un mois déclaré par pilote et par ligne, avec chaque indicateur.' },
  { file: 'funding', title: 'Financement', description: 'Un pilote par ligne : montant, versements et statut du second versement.' },
] as const;

/** The region's files, as CSV (separator ";", UTF-8 with BOM: they open as they are in a spreadsheet) or XLSX (typed cells). */
export default function ExportsPage() {
  const { campaign, ars, scope } = useRegion();
  const [busy, setBusy] = useState<{ file: string; format: ExportFormat }>();
  const [publishable, setPublishable] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ name: string; bytes: number }>();

  async function download(file: string, format: ExportFormat) {
    setBusy({ file, format });
    setError(undefined);
    setDone(undefined);
    try {
      const path = exportPath(campaign.id, file, format, { ars: scope.kind === 'national' ? ars : undefined, publishable });
      setDone(await downloadFile(path, `${campaign.id}-${ars}-${file}.${format}`, exportMediaTypes[format]));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <PageHeading title={`Exports — ${arsName(ars)}`}>Exports</PageHeading>
      <p>
        Les fichiers de la région, pour un tableur ou un traitement statistique : en CSV (séparateur point-virgule, encodage UTF-8) ou en XLSX (nombres et
        dates typés, dates et heures de Paris). Le numéro FINESS y figure en 9 caractères, sans espaces.
      </p>
      <PublishableSwitch
        checked={publishable}
        onChange={setPublishable}
        helperText="Dans les fichiers, les effectifs de 1 à 4 (valeurs déclarées, totaux des objectifs) sont remplacés par « NS » (non significatif)."
      />
      <ProblemAlert error={error} title="Le fichier n'a pas pu être téléchargé" />
      {done && <Alert severity="success" small className="fr-mb-2w" description={`Fichier ${done.name} téléchargé (${formatCount(Math.max(1, Math.round(done.bytes / 1024)))} Ko).`} />}
      <ul className="fr-raw-list">
        {exportsList.map((entry) => (
          <li key={entry.file} className="fr-mb-3w">
            <h2 className="fr-h5 fr-mb-1w">{entry.title}</h2>
            <p className="fr-mb-1w">{entry.description}</p>
            <ExportButtons title={entry.title} busy={busy?.file === entry.file ? busy.format : undefined} disabled={busy !== undefined} onDownload={(format) => void download(entry.file, format)} />
          </li>
        ))}
      </ul>
    </>
  );
}
