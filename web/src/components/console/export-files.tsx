import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';

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
