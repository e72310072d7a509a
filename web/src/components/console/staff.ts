import { isArsCode, type ArsCode } from '@domain/regions';
import type { Session } from '../../api/auth';

/** Who the console serves: the reviewers of one ARS, or the national team (every region). */
export type StaffScope = { readonly kind: 'ars'; readonly ars: ArsCode } | { readonly kind: 'national' };

/** Read from the token's groups, as the API reads them (`ars-NAQ`, `national`); null for anyone else. */
export function staffScope(session: Session | null): StaffScope | null {
  if (!session) return null;
  if (session.groups.includes('national')) return { kind: 'national' };
  for (const group of session.groups) {
    const code = group.startsWith('ars-') ? group.slice(4) : '';
    if (isArsCode(code)) return { kind: 'ars', ars: code };
  }
  return null;
}

/** An ARS reviewer works on its own region only; the national team on any. */
export const mayWorkOn = (scope: StaffScope, ars: string): boolean => isArsCode(ars) && (scope.kind === 'national' || scope.ars === ars);

/** The console's addresses, in one place. */
export const consolePaths = {
  home: '/instruction',
  region: (campaignId: string, ars: string) => `/instruction/${encodeURIComponent(campaignId)}/${ars}`,
  file: (campaignId: string, ars: string, id: string) => `/instruction/${encodeURIComponent(campaignId)}/${ars}/dossiers/${encodeURIComponent(id)}`,
  section: (campaignId: string, ars: string, section: string) => `/instruction/${encodeURIComponent(campaignId)}/${ars}/${section}`,
  pilot: (campaignId: string, ars: string, finess: string) => `/instruction/${encodeURIComponent(campaignId)}/${ars}/pilotes/${encodeURIComponent(finess)}`,
  national: '/national',
  newCampaign: '/national/campagnes/nouvelle',
  campaign: (campaignId: string) => `/national/campagnes/${encodeURIComponent(campaignId)}`,
  nationalDashboard: (campaignId: string) => `/national/campagnes/${encodeURIComponent(campaignId)}/tableau-de-bord`,
};
