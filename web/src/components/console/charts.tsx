import { createElement, useEffect, useState } from 'react';
// The library's own build, as a file: through Rollup, the app's tree-shaking hints (vite.config.ts marks calls
// of `z` pure, for zod) would drop calls of its minified functions of the same name, and no chart would draw.
import chartsModuleUrl from '@gouvfr/dsfr-chart/dist/DSFRChart/DSFRChart.js?url';

// The DSFR's charts (@gouvfr/dsfr-chart: web components on Vue and Chart.js, ~200 KB gzip) load only when a
// dashboard shows, in their own chunk. Each chart repeats a table that stays on the page: the table is what
// assistive technologies and the tests read, the chart is for the eye.
let chartsLoading: Promise<boolean> | undefined;
function loadCharts(): Promise<boolean> {
  chartsLoading ??= Promise.all([import(/* @vite-ignore */ chartsModuleUrl), import('@gouvfr/dsfr-chart/css')]).then(
    () => true,
    (error: unknown) => {
      console.error('dsfr-chart did not load', error);
      return false;
    },
  );
  return chartsLoading;
}

function useCharts(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void loadCharts().then((ok) => live && setReady(ok));
    return () => {
      live = false;
    };
  }, []);
  return ready;
}

type ChartTag = 'bar-chart' | 'line-chart' | 'map-chart';

/** A chart with its caption; its content is hidden from assistive technologies, which read the table beside it. */
export function Chart({ tag, title, attributes }: { tag: ChartTag; title: string; attributes: Record<string, string> }) {
  const ready = useCharts();
  if (!ready) return null;
  return (
    <figure className="app-chart fr-my-2w" aria-label={`${title} (graphique : les mêmes chiffres sont dans le tableau qui suit)`}>
      <figcaption className="fr-text--bold fr-mb-1w">{title}</figcaption>
      <div aria-hidden="true">{createElement(tag, attributes)}</div>
    </figure>
  );
}

/** One series of bars: labels and values. */
export function BarChart({ title, labels, values, series }: { title: string; labels: readonly string[]; values: readonly number[]; series: string }) {
  return <Chart tag="bar-chart" title={title} attributes={{ x: JSON.stringify([labels]), y: JSON.stringify([values]), name: JSON.stringify([series]), 'selected-palette': 'categorical' }} />;
}

/** One line over the months. */
export function LineChart({ title, labels, values, series }: { title: string; labels: readonly string[]; values: readonly number[]; series: string }) {
  return <Chart tag="line-chart" title={title} attributes={{ x: JSON.stringify([labels]), y: JSON.stringify([values]), name: JSON.stringify([series]) }} />;
}

/** The regions of France, coloured by a figure (keys: INSEE region codes). */
export function RegionMap({ title, data, value, name }: { title: string; data: Record<string, number>; value: number; name: string }) {
  return <Chart tag="map-chart" title={title} attributes={{ data: JSON.stringify(data), value: String(value), name, level: 'reg', 'selected-palette': 'sequentialAscending' }} />;
}
