import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lazyModuleCommands } from '../../infra/lib/house-function';

/**
 * A lazy module (HouseFunctionProps.lazyModules) is bundled beside the function's index.mjs by the commands the
 * CDK runs after bundling: run them and load the result as the function's `await import('exceljs')` would.
 */
describe('lazy modules of a function', () => {
  const output = mkdtempSync(join(tmpdir(), 'lazy-module-'));
  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('bundles exceljs alone into node_modules/exceljs, which writes a workbook', async () => {
    for (const command of lazyModuleCommands('exceljs', output, 'node24')) execFileSync('bash', ['-c', command], { stdio: 'pipe' });
    expect(JSON.parse(readFileSync(join(output, 'node_modules', 'exceljs', 'package.json'), 'utf8'))).toEqual({ name: 'exceljs', main: 'index.js' });
    const script = "const { Workbook } = require('exceljs'); const w = new Workbook(); w.addWorksheet('a').addRow([1, new Date(0)]); w.xlsx.writeBuffer().then((b) => process.stdout.write(Buffer.from(b).subarray(0, 2).toString()));";
    // Run from the output folder, where Node resolves `exceljs` to the bundled copy only (no repository node_modules above a temp dir).
    expect(execFileSync(process.execPath, ['-e', script], { cwd: output, encoding: 'utf8' })).toBe('PK');
  });

  it("bundles the S3 client alone, which the attachments function's ESM code loads with `import()` and reads through its default", () => {
    for (const command of lazyModuleCommands('@aws-sdk/client-s3', output, 'node24')) execFileSync('bash', ['-c', command], { stdio: 'pipe' });
    // As layers/adapters/observability.ts lazyClient reads it: the CommonJS bundle's exports under `default`.
    const script = [
      "const loaded = await import('@aws-sdk/client-s3');",
      'const sdk = loaded.default ?? loaded;',
      "const client = new sdk.S3Client({ region: 'eu-west-3', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });",
      "const names = ['DeleteObjectCommand', 'ListObjectsV2Command', 'GetObjectTaggingCommand'].filter((name) => typeof sdk[name] === 'function');",
      "process.stdout.write(JSON.stringify({ region: await client.config.region(), names }));",
    ].join(' ');
    const result = execFileSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], { cwd: output, encoding: 'utf8' });
    expect(JSON.parse(result)).toEqual({ region: 'eu-west-3', names: ['DeleteObjectCommand', 'ListObjectsV2Command', 'GetObjectTaggingCommand'] });
  });
});
