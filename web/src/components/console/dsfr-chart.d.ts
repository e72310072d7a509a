// @gouvfr/dsfr-chart ships no types: its modules only register the custom elements (and their CSS).
declare module '@gouvfr/dsfr-chart';
declare module '@gouvfr/dsfr-chart/css';
declare module '@gouvfr/dsfr-chart/dist/DSFRChart/DSFRChart.js?url' {
  const url: string;
  export default url;
}
