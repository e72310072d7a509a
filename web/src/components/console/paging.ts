import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface CursorPages<T> {
  readonly items: readonly T[] | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** 1-based number of the page shown. */
  readonly number: number;
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
  readonly next: () => void;
  readonly previous: () => void;
  readonly reload: () => Promise<void>;
}

/**
 * The API's cursor pages, one screen at a time (never everything at once). A filtered query may answer a short or
 * even empty page with a cursor: a screen reads on, at most `maxRequests` pages, until it holds `screenSize` items.
 * `keep` filters on what the API cannot (the sector and mode of a file).
 */
export function useCursorPages<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
  { screenSize = 50, maxRequests = 5, keep = () => true }: { screenSize?: number; maxRequests?: number; keep?: (item: T) => boolean } = {},
): CursorPages<T> {
  // starts[i] is the cursor the i-th screen starts from.
  const [starts, setStarts] = useState<(string | undefined)[]>([undefined]);
  const [index, setIndex] = useState(0);
  // What was read, and for which query and screen: a page never shows the answer to other filters.
  const [loaded, setLoaded] = useState<{ key: string; items: readonly T[]; nextCursor: string | null }>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keepRef = useRef(keep);
  keepRef.current = keep;

  useEffect(() => {
    setStarts([undefined]);
    setIndex(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const start = starts[index];
  const key = JSON.stringify([...deps, index, start ?? null]);
  // Only the latest read shows its answer (filters changed while a page was on its way).
  const sequence = useRef(0);
  const read = useCallback(async () => {
    const mine = ++sequence.current;
    setLoading(true);
    try {
      const collected: T[] = [];
      let cursor = start;
      let requests = 0;
      let last: string | null = null;
      do {
        const page = await loadRef.current(cursor);
        requests += 1;
        collected.push(...page.items.filter((item) => keepRef.current(item)));
        last = page.nextCursor;
        cursor = page.nextCursor ?? undefined;
      } while (last && collected.length < screenSize && requests < maxRequests);
      if (mine !== sequence.current) return;
      setLoaded({ key, items: collected, nextCursor: last });
      setError(undefined);
    } catch (caught) {
      if (mine === sequence.current) setError(caught);
    } finally {
      if (mine === sequence.current) setLoading(false);
    }
  }, [key, screenSize, maxRequests]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void read();
  }, [read]);

  const current = loaded?.key === key ? loaded : undefined;
  const nextCursor = current?.nextCursor ?? null;
  return {
    items: current?.items,
    error,
    loading: loading || (!current && !error),
    number: index + 1,
    hasNext: nextCursor !== null,
    hasPrevious: index > 0,
    next: () => {
      if (!nextCursor) return;
      setStarts((known) => [...known.slice(0, index + 1), nextCursor]);
      setIndex(index + 1);
    },
    previous: () => setIndex(Math.max(0, index - 1)),
    reload: read,
  };
}
