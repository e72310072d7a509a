/**
 * The calendar test campaigns use, in a year of their own so that files sharing one stack never see each
 * other's campaigns: intake January–February, selection until mid-April, conventions until June, then the
 * experimentation to the end of the year. Pure (no stack), so unit tests and the bench can use it too.
 */
export function calendarOf(year: number) {
  return {
    intakeOpensAt: `${year}-01-01T00:00:00+01:00`,
    intakeClosesAt: `${year}-03-01T00:00:00+01:00`,
    selectionEndsAt: `${year}-04-15T00:00:00+02:00`,
    conventionsDueAt: `${year}-06-01T00:00:00+02:00`,
    experimentationStart: `${year}-06-01`,
    experimentationEnd: `${year}-12-31`,
  };
}
