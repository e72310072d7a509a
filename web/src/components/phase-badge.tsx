import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { Phase } from '@domain/campaign';
import { phaseTitles } from '@domain/labels';

const severity: Record<Phase, 'new' | 'success' | 'info' | 'warning' | undefined> = {
  a_venir: 'new',
  candidatures: 'success',
  selection: 'info',
  conventionnement: 'info',
  experimentation: 'info',
  cloturee: undefined,
};

export function PhaseBadge({ phase }: { phase: Phase }) {
  const level = severity[phase];
  return (
    <Badge noIcon {...(level ? { severity: level } : {})}>
      {phaseTitles[phase]}
    </Badge>
  );
}
