import { formatDeadline, formatParisDate, parseInstant } from '@domain/calendar';
import { formatCount } from '@domain/labels';
import { isSecret, publishable } from '@domain/statistical-secrecy';

/** A count of the API: a number, or "NS" when the API was asked for publishable figures. */
export type ApiCount = number | 'NS';

/** A count as shown: "NS" below the statistical-secrecy threshold when the page shows publishable figures. */
export const shownCount = (count: ApiCount, publishableOnly: boolean): string => {
  const value = publishableOnly && count !== 'NS' ? publishable(count) : count;
  return value === 'NS' ? 'NS' : formatCount(value);
};

/** Whether a count is hidden when the page shows publishable figures. */
export const hiddenCount = (count: ApiCount, publishableOnly: boolean): boolean => count === 'NS' || (publishableOnly && isSecret(count));

const plural = (count: number, one: string, many: string): string => `${formatCount(count)} ${count > 1 ? many : one}`;

/** "3 retenues sur 5"; without a quota, "3 retenues (pas de quota)". */
export const quotaText = (retained: ApiCount, quota: number | undefined): string => {
  const text = retained === 'NS' ? 'NS retenues' : plural(retained, 'retenue', 'retenues');
  return quota === undefined ? `${text} (pas de quota pour la région)` : `${text} sur ${formatCount(quota)}`;
};

export { plural };

/** "mars 2024" from "2024-03", through the calendar module's own French dates. */
export const monthText = (month: string): string => formatParisDate(`${month}-01`).replace(/^1er /, '');

/** An exclusive end of the API as the last minute still allowed, in Paris time (the raw text if unreadable). */
export const deadlineText = (instant: string): string => {
  const parsed = parseInstant(instant);
  return parsed ? formatDeadline(parsed) : instant;
};
