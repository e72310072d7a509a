import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledFolderCommands, esmRequireBanner, lazyModuleCommands, repoRoot } from '../../infra/lib/house-function';

/**
 * A function that draws PDFs, as Lambda runs it: an ESM bundle with pdf-lib and fontkit as lazy modules beside it
 * and the fonts copied next to index.mjs (infra/lib/function-config.ts), read from LAMBDA_TASK_ROOT.
 */
describe('the PDF renderer in a function bundle', () => {
  const output = mkdtempSync(join(tmpdir(), 'pdf-bundle-'));
  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('draws a readable receipt with the bundled fonts and lazy modules only', () => {
    const entry = join(output, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { renderReceipt } from '${join(repoRoot, 'layers/documents/receipt')}';`,
        `import { newCampaign } from '${join(repoRoot, 'layers/domain/campaign')}';`,
        `import { defaultCampaign } from '${join(repoRoot, 'layers/domain/default-campaign')}';`,
        "const campaign = newCampaign(defaultCampaign, new Date('2023-08-01T00:00:00+02:00'));",
        "const application = { id: 'MES-BUNDLE1', campaignId: campaign.id, finess: '330000423', name: 'EHPAD du bundle', ars: 'NAQ', status: 'deposee', submittedAt: '2023-10-12T14:05:00+02:00', version: 2, createdAt: '2023-10-12T14:00:00+02:00', updatedAt: '2023-10-12T14:05:00+02:00' } as never;",
        'export const receipt = () => renderReceipt(application, campaign);',
      ].join('\n'),
    );
    const esbuild = join(repoRoot, 'node_modules', '.bin', 'esbuild');
    execFileSync(esbuild, [entry, '--bundle', '--platform=node', '--target=node20', '--format=esm', '--main-fields=module,main', '--external:pdf-lib', '--external:@pdf-lib/fontkit', `--banner:js=${esmRequireBanner}`, '--log-level=warning', `--outfile=${join(output, 'index.mjs')}`], { stdio: 'pipe' });
    for (const command of [...lazyModuleCommands('pdf-lib', output, 'node20'), ...lazyModuleCommands('@pdf-lib/fontkit', output, 'node20'), ...bundledFolderCommands('layers/documents/fonts', output)]) {
      execFileSync('bash', ['-c', command], { stdio: 'pipe' });
    }
    expect(readdirSync(join(output, 'fonts')).sort()).toEqual(['Marianne-Bold.ttf', 'Marianne-Regular.ttf']);
    const script = "import('./index.mjs').then(async (m) => process.stdout.write(Buffer.from(await m.receipt()).toString('base64')));";
    // From the output folder, as in Lambda: no repository node_modules above a temp dir, the fonts from LAMBDA_TASK_ROOT.
    const pdf = Buffer.from(execFileSync(process.execPath, ['-e', script], { cwd: output, encoding: 'utf8', env: { ...process.env, LAMBDA_TASK_ROOT: output } }), 'base64');
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
    expect(text).toContain('Récépissé de dépôt');
    expect(text).toContain('Numéro de dossier MES-BUNDLE1');
    expect(execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8')).toMatch(/Marianne-Regular\s+CID TrueType\s+Identity-H\s+yes/);
  });
});
