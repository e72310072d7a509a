// The two swagger-ui-dist files functions/docs/assets.ts imports as text (import attributes `type: 'text'`).
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
