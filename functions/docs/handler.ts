import { gzipSync } from 'node:zlib';
import { notFound } from '../../layers/domain/errors';
import { httpHandler } from '../../layers/http/handler';
import { openApiDocument, type OpenApiDocument } from '../../layers/http/openapi';
import { json, type HttpRequest, type HttpResponse } from '../../layers/http/request';
import { assetTypes, isAssetName, swaggerUiAssets, type AssetName } from './assets';
import { docsPage, docsPageSecurityPolicy } from './page';

/** Set by the deployment to Cognito's /oauth2/token; the document shows a placeholder without it. */
const tokenUrl = process.env.TOKEN_URL || undefined;

/**
 * The deployment's public URL, from its configuration: never from the request's Host or X-Forwarded-Proto,
 * which a client chooses (and which would make one document per value).
 */
const serverUrl = process.env.PUBLIC_API_URL || undefined;

// One document per process, built at the first request.
let document: OpenApiDocument | undefined;
const theDocument = (): OpenApiDocument => (document ??= openApiDocument({ serverUrl, tokenUrl }));

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
  'GET /v1/openapi.json': async () => json(200, theDocument(), { 'cache-control': 'public, max-age=300' }),

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
