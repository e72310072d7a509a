import { formatParisDateTime, parseInstant } from '@domain/calendar';

/** An instant of the API as people read it, in Paris time: "1er novembre 2023 à 14 h 05". */
export const when = (instant: string): string => {
  const parsed = parseInstant(instant);
  return parsed ? formatParisDateTime(parsed) : instant;
};
