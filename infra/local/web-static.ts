/**
 * The web app on the emulator's origin, as CloudFront serves it in AWS: the built files of web/dist, the SPA
 * fallback, long caching for hashed assets, the same security headers, and the runtime configuration.
 * Also the build `npm start` runs when web/dist is missing or older than its sources.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { contentSecurityPolicy, otherSecurityHeaders, referrerPolicy } from '../lib/web-headers';

const root = resolve(__dirname, '..', '..');
export const webDir = join(root, 'web');
export const webDist = join(webDir, 'dist');

/**
 * The headers the Web stack sets on CloudFront (infra/lib/web-headers.ts), the provider on this origin. HSTS is
 * left out: browsers ignore it over plain http, and on localhost it would outlive the stack.
 */
let uploadOrigins: readonly string[] = [];
/** The local S3's origin, where the pages send attachments (set by infra/local/start.ts once it listens). */
export const allowUploadsTo = (origins: readonly string[]): void => void (uploadOrigins = origins);

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // A getter: read each time the headers are spread, after the local S3 has its port.
  get 'content-security-policy'() {
    return contentSecurityPolicy(undefined, uploadOrigins);
  },
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': referrerPolicy,
  ...otherSecurityHeaders,
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
};

// Vite names what it bundles with a content hash: such a file never changes, the rest must be revalidated.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export interface RuntimeConfig {
  readonly oidc: { readonly authority: string; readonly clientId: string; readonly scope: string };
  readonly environment: 'local' | 'aws';
}

export interface WebStatic {
  /** Answers a GET or HEAD for the web app; false when the path is not the web app's (the caller answers 404). */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

function fileIn(dist: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(dist, decoded));
  if (file !== dist && !file.startsWith(dist + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

// Browsers navigating ask for text/html; a script or fetch asking for anything (*/*) gets a 404, not the page.
const acceptsHtml = (req: IncomingMessage): boolean => /text\/html/.test(req.headers.accept ?? '');

const NOT_BUILT = `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Application web non construite — Mes pilotes</title></head>
<body><main><h1>L'application web n'est pas construite</h1>
<p><code>npm start</code> la construit au démarrage quand <code>web/</code> existe : regardez la console pour l'erreur de construction.</p>
<p>L'API répond : <a href="/docs">documentation de l'API</a>, <a href="/local/">points d'accès locaux</a>.</p></main></body></html>`;

export function webStatic(options: { dist?: string; config: RuntimeConfig }): WebStatic {
  const dist = options.dist ?? webDist;
  const configBody = JSON.stringify(options.config);

  function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): void {
    const stats = statSync(file);
    const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cacheControl,
      etag,
      'last-modified': stats.mtime.toUTCString(),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    res.writeHead(200, { ...headers, 'content-length': stats.size });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  return {
    handle(req, res, pathname) {
      const method = (req.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (pathname === '/config.json') {
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(configBody) });
        res.end(method === 'HEAD' ? undefined : configBody);
        return true;
      }
      const index = join(dist, 'index.html');
      const file = pathname === '/' ? undefined : fileIn(dist, pathname);
      if (file) {
        sendFile(req, res, file, pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
        return true;
      }
      // A missing hashed asset or a file the page asks for by script must not be answered with the page.
      if (!acceptsHtml(req) || pathname.startsWith('/assets/')) return false;
      if (!existsSync(index)) {
        res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(method === 'HEAD' ? undefined : NOT_BUILT);
        return true;
      }
      sendFile(req, res, index, REVALIDATE);
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Build

/** What the bundle is made of: the app's own files and the domain modules it imports. */
const BUILD_INPUTS = [join(webDir, 'src'), join(webDir, 'public'), join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), join(webDir, 'package.json'), join(root, 'layers', 'domain')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export type WebBuildState = 'absent' | 'fresh' | 'stale' | 'missing';

/** `absent`: no web app in this checkout; `missing`: never built; `stale`: sources newer than the build. */
export function webBuildState(): WebBuildState {
  if (!existsSync(join(webDir, 'index.html')) && !existsSync(join(webDir, 'src'))) return 'absent';
  const built = join(webDist, 'index.html');
  if (!existsSync(built)) return 'missing';
  const builtAt = statSync(built).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(input) > builtAt) ? 'stale' : 'fresh';
}

/** The build command: the root script `web:build` when the project defines one, else Vite on web/. */
function buildCommand(): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (scripts['web:build']) return ['npm', 'run', '--silent', 'web:build'];
  return [process.execPath, join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(webDir, 'vite.config.ts')];
}

export interface WebBuildResult {
  readonly ok: boolean;
  readonly seconds: number;
  /** The build's output, for the message when it fails. */
  readonly log: string;
  readonly logFile: string;
}

/** Runs the build, its output kept in .local/web-build.log. */
export function buildWebApp(): Promise<WebBuildResult> {
  const [command, ...args] = buildCommand();
  const logFile = join(root, '.local', 'web-build.log');
  mkdirSync(join(root, '.local'), { recursive: true });
  const started = Date.now();
  return new Promise((resolveBuild) => {
    let log = '';
    const child = spawn(command!, args, { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const done = (ok: boolean) => {
      writeFileSync(logFile, log);
      resolveBuild({ ok, seconds: (Date.now() - started) / 1000, log, logFile });
    };
    child.once('error', (error) => {
      log += String(error);
      done(false);
    });
    child.once('exit', (code) => done(code === 0 && existsSync(join(webDist, 'index.html'))));
  });
}
