import { readFileSync } from 'node:fs';

/** The two files of swagger-ui-dist the documentation page loads, served by the docs function itself. */
export const assetNames = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;
export type AssetName = (typeof assetNames)[number];

export const assetTypes: Record<AssetName, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

export const isAssetName = (name: string | undefined): name is AssetName => (assetNames as readonly string[]).includes(name ?? '');

/**
 * In the Lambda bundle esbuild inlines both files as strings (import attributes `type: 'text'`, no loader
 * configuration needed); there is no node_modules beside the bundle. Under tsx (npm start) and jest, which
 * cannot import a .css or .js file as text, they are read from node_modules. The dynamic imports never run
 * outside Lambda, so Node never sees them.
 */
async function inlined(): Promise<Record<AssetName, string>> {
  const [css, js] = await Promise.all([
    import('swagger-ui-dist/swagger-ui.css', { with: { type: 'text' } }),
    import('swagger-ui-dist/swagger-ui-bundle.js', { with: { type: 'text' } }),
  ]);
  return { 'swagger-ui.css': css.default, 'swagger-ui-bundle.js': js.default };
}

function fromNodeModules(): Record<AssetName, string> {
  const read = (name: AssetName) => readFileSync(require.resolve(`swagger-ui-dist/${name}`), 'utf8');
  return { 'swagger-ui.css': read('swagger-ui.css'), 'swagger-ui-bundle.js': read('swagger-ui-bundle.js') };
}

let loaded: Promise<Record<AssetName, string>> | undefined;

export function swaggerUiAssets(): Promise<Record<AssetName, string>> {
  loaded ??= process.env.LAMBDA_TASK_ROOT ? inlined() : Promise.resolve(fromNodeModules());
  return loaded;
}
