/** A polite "loading" line, announced by screen readers. */
export function Loading({ what = 'Chargement en cours…' }: { what?: string }) {
  return (
    <p role="status" className="fr-my-4w">
      {what}
    </p>
  );
}
