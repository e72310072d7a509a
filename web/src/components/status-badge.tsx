import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { ApplicationStatus } from '@domain/application';
import { applicationStatusTitles } from '@domain/labels';

const severity: Record<ApplicationStatus, 'new' | 'success' | 'info' | 'warning' | 'error' | undefined> = {
  brouillon: 'new',
  deposee: 'info',
  en_instruction: 'info',
  retenue: 'success',
  non_retenue: 'error',
  sans_suite: undefined,
};

/** An application's status in words (never the code). */
export function StatusBadge({ status }: { status: ApplicationStatus }) {
  const level = severity[status];
  return (
    <Badge noIcon {...(level ? { severity: level } : {})}>
      {applicationStatusTitles[status]}
    </Badge>
  );
}
