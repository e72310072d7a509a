import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { assetNames, swaggerUiAssets } from '../../functions/docs/assets';
import { docsPage, docsPageSecurityPolicy } from '../../functions/docs/page';

const root = resolve(__dirname, '..', '..');
const fromNodeModules = (name: string) => readFileSync(require.resolve(`swagger-ui-dist/${name}`), 'utf8');

describe('the documentation page', () => {
  it('loads Swagger UI from this API only and allows its one inline script by hash', () => {
    expect(docsPage).toContain('<link rel="stylesheet" href="docs/swagger-ui.css">');
    expect(docsPage).toContain('<script src="docs/swagger-ui-bundle.js"></script>');
    expect(docsPage).not.toMatch(/https?:\/\//);
    expect(docsPageSecurityPolicy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
  });

  it('reads the two files from node_modules outside Lambda (tsx, jest)', async () => {
    const assets = await swaggerUiAssets();
    for (const name of assetNames) expect(assets[name]).toBe(fromNodeModules(name));
  });
});

/**
 * The claim behind functions/docs/assets.ts: bundled as HouseFunction bundles (ESM, require shim, AWS SDK
 * external), the docs function carries both files inside its bundle and serves them with no node_modules.
 */
describe('the docs function bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docs-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('inlines the Swagger UI files and serves them from a directory without node_modules', () => {
    buildSync({
      entryPoints: [join(root, 'functions', 'docs', 'handler.ts')],
      outfile: join(dir, 'index.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      mainFields: ['module', 'main'],
      banner: { js: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);" },
      external: ['@aws-sdk/*'],
      minify: true,
      logLevel: 'silent',
    });
    const script = `
      const { handler } = await import(${JSON.stringify(join(dir, 'index.mjs'))});
      const call = (asset) => handler({ version: '2.0', routeKey: 'GET /docs/{asset}', rawPath: '/docs/' + asset, rawQueryString: '', headers: { host: 'api.example' },
        pathParameters: { asset }, isBase64Encoded: false, requestContext: { http: { method: 'GET', path: '/docs/' + asset }, requestId: 'r', routeKey: 'GET /docs/{asset}' } },
        { functionName: 'docs', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 });
      const out = {};
      for (const asset of ${JSON.stringify(assetNames)}) { const r = await call(asset); out[asset] = { status: r.statusCode, type: r.headers['content-type'], body: r.body }; }
      (await import('node:fs')).writeFileSync(${JSON.stringify(join(dir, 'served.json'))}, JSON.stringify(out));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: dir, POWERTOOLS_DEV: 'false', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const served = JSON.parse(readFileSync(join(dir, 'served.json'), 'utf8')) as Record<string, { status: number; type: string; body: string }>;
    expect(served['swagger-ui.css']).toEqual({ status: 200, type: 'text/css; charset=utf-8', body: fromNodeModules('swagger-ui.css') });
    expect(served['swagger-ui-bundle.js']).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', body: fromNodeModules('swagger-ui-bundle.js') });
  });
});
