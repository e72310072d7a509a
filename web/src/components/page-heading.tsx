import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

const SERVICE = 'Mes pilotes — Mon espace santé en ESMS';

// After a navigation inside the app, focus goes to the new page's title so that a screen reader announces
// it and the keyboard starts from there; on the first page loaded the browser's usual order holds.
let lastLocationKey: string | undefined;

/** The page's one h1, which also names the browser tab. */
export function PageHeading({ children, title }: { children: ReactNode; title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  const text = title ?? (typeof children === 'string' ? children : undefined);
  useEffect(() => {
    if (text) document.title = `${text} — ${SERVICE}`;
  }, [text]);
  useEffect(() => {
    if (location.key === lastLocationKey) return;
    const firstPage = lastLocationKey === undefined;
    lastLocationKey = location.key;
    if (!firstPage) ref.current?.focus();
  }, [location.key]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
