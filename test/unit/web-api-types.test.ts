import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe("the web app's typed API client (web/src/api/schema.d.ts)", () => {
  it('is generated from the current OpenAPI document: run `npm run api:types` when this fails', () => {
    // In a child process: openapi-typescript's dependencies are ESM-only, which this jest project does not load.
    const fresh = execFileSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'web', 'scripts', 'api-types.ts'), '--stdout'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const committed = readFileSync(join(root, 'web', 'src', 'api', 'schema.d.ts'), 'utf8');
    expect(committed === fresh).toBe(true);
  });
});
