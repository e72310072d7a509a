import { gzipSync } from 'node:zlib';
import { notFound } from '../../layers/domain/errors';
import { httpHandler } from '../../layers/http/handler';
import { openApiDocument, type OpenApiDocument } from '../../layers/http/openapi';
import { json, type HttpRequest, type HttpResponse } from '../../layers/http/request';
import { assetTypes, isAssetName, swaggerUiAssets, type AssetName } from './assets';
import { docsPage, docsPageSecurityPolicy } from './page';

/** Set by the deployment to Cognito's /oauth2/token; the document shows a placeholder without it. */
const tokenUrl = process.env.TOKEN_URL || undefined;

// One document per host the API is reached by (its own domain, a custom domain, localhost).
const documents = new Map<string, OpenApiDocument>();

function serverUrlOf(request: HttpRequest): string | undefined {
  const host = request.headers.host;
  if (!host) return undefined;
  const local = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
  return `${request.headers['x-forwarded-proto'] ?? (local ? 'http' : 'https')}://${host}`;
}

function documentFor(serverUrl: string | undefined): OpenApiDocument {
  const key = serverUrl ?? '';
  let document = documents.get(key);
  if (!document) {
    document = openApiDocument({ serverUrl, tokenUrl });
    documents.set(key, document);
  }
  return document;
}

const CACHE_ASSETS = 'public, max-age=86400';
const gzipped = new Map<AssetName, string>();

/** Swagger UI's bundle is 1.7 MB: gzip it (base64, as API Gateway expects binary bodies) when the client accepts it. */
async function asset(request: HttpRequest, name: AssetName): Promise<HttpResponse> {
  const text = (await swaggerUiAssets())[name];
  const headers = { 'content-type': assetTypes[name], 'cache-control': CACHE_ASSETS, 'x-content-type-options': 'nosniff', vary: 'accept-encoding' };
  if (!/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return { statusCode: 200, headers, body: text };
  if (!gzipped.has(name)) gzipped.set(name, gzipSync(text).toString('base64'));
  return { statusCode: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: gzipped.get(name)!, isBase64Encoded: true };
}

export const handler = httpHandler('docs', {
  'GET /v1/openapi.json': async (request) => json(200, documentFor(serverUrlOf(request)), { 'cache-control': 'public, max-age=300' }),

  'GET /docs': async () => ({
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'content-security-policy': docsPageSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: docsPage,
  }),

  'GET /docs/{asset}': async (request) => {
    const name = request.params.asset;
    if (!isAssetName(name)) throw notFound('Ce fichier');
    return asset(request, name);
  },
});
