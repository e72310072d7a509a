import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';

export type ExportFormat = 'csv' | 'xlsx';

/** What each format is asked as, in the Accept header of the download. */
export const exportMediaTypes: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The API path of one export: the region for national staff, and `publishable=true` for figures meant to be published. */
export function exportPath(campaignId: string, name: string, format: ExportFormat, options: { ars?: string; publishable: boolean }): string {
  const query = new URLSearchParams({ ...(options.ars ? { ars: options.ars } : {}), ...(options.publishable ? { publishable: 'true' } : {}) }).toString();
  return `/v1/campaigns/${encodeURIComponent(campaignId)}/exports/${name}.${format}${query ? `?${query}` : ''}`;
}

/** The exports' "publishable" switch: the API writes counts of 1 to 4 as "NS" in the files. */
export function PublishableExportsSwitch({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <ToggleSwitch
      label="Chiffres publiables (secret statistique)"
      helperText="Dans les fichiers, les effectifs de 1 à 4 (valeurs déclarées, totaux des objectifs) sont remplacés par « NS » (non significatif)."
      checked={checked}
      onChange={onChange}
      showCheckedHint={false}
      className="fr-mb-3w"
    />
  );
}

/** The two downloads of one export, CSV then XLSX, side by side from medium screens up. */
export function ExportButtons({ title, busy, disabled, onDownload }: { title: string; busy: ExportFormat | undefined; disabled: boolean; onDownload: (format: ExportFormat) => void }) {
  const label = (format: ExportFormat) => (busy === format ? 'Téléchargement…' : `Télécharger ${title.toLowerCase()} (${format.toUpperCase()})`);
  const button = (format: ExportFormat) => ({
    children: label(format),
    priority: 'secondary' as const,
    iconId: 'fr-icon-download-line' as const,
    disabled,
    onClick: () => onDownload(format),
  });
  return (
    <ButtonsGroup
      inlineLayoutWhen="md and up"
      buttons={[button('csv'), button('xlsx')]}
    />
  );
}
