import { createHmac } from 'node:crypto';
import { formatUrl } from '@aws-sdk/core/util';
import { HttpRequest } from '@smithy/core/protocols';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4, createScope, getSigningKey } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * The attachments bucket's two presigned forms, signed with the SigV4 signer every function already loads for
 * DynamoDB: the browser's upload (a form POST bound by a policy) and a download (a GET signed in its query).
 * They are what `@aws-sdk/s3-presigned-post` and `@aws-sdk/s3-request-presigner` produce for the same input
 * (test/unit/s3-presign.test.ts compares them field by field), without the S3 client they need: that client
 * is the attachments function's heaviest part (≈ 140 KiB, measured by `npm run bench:cold`), and the calls it
 * makes (delete, list, tags) are loaded by layers/adapters/attachment-store.ts with the first request that needs them.
 */
export interface BucketAddress {
  readonly bucket: string;
  readonly region: string;
  /** The local stack's S3 (path-style, as s3rver serves); absent in AWS (virtual-hosted, over HTTPS). */
  readonly endpoint?: string;
}

export interface Signing {
  readonly credentials: AwsCredentialIdentity;
  readonly now: Date;
}

const sha256 = Sha256;
/** 2026-12-02T10:15:00.000Z → 2026-12-02T10:15:00Z (the policy's expiration) */
const iso8601 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** 2026-12-02T10:15:00.000Z → 20261202T101500Z (SigV4's date) */
const amzDate = (date: Date): string => iso8601(date).replace(/[-:]/g, '');

/** Where the bucket's objects live: `https://<bucket>.s3.<region>.amazonaws.com`, or `<endpoint>/<bucket>` locally. */
function bucketLocation({ bucket, region, endpoint }: BucketAddress): { protocol: string; hostname: string; port?: number; path: string } {
  const url = new URL(endpoint ?? `https://${bucket}.s3.${region}.amazonaws.com`);
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: endpoint ? `/${bucket}` : '',
  };
}

export interface PostPolicyInput {
  readonly key: string;
  /** Policy conditions beside the fields' own (e.g. `['content-length-range', n, n]`). */
  readonly conditions: readonly unknown[];
  /** Form fields the browser sends as given (each is also a condition of the policy). */
  readonly fields: Readonly<Record<string, string>>;
  readonly expiresSeconds: number;
}

/** A browser form POST: S3 stores the file only if the form matches the signed policy (AWS: "Browser-based uploads using POST"). */
export async function presignedPost(address: BucketAddress, input: PostPolicyInput, { credentials, now }: Signing): Promise<{ url: string; fields: Record<string, string> }> {
  const signingDate = amzDate(now);
  const shortDate = signingDate.slice(0, 8);
  const fields: Record<string, string> = {
    ...input.fields,
    bucket: address.bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${createScope(shortDate, address.region, 's3')}`,
    'X-Amz-Date': signingDate,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  const conditions = [...input.conditions, ...Object.entries(fields).map(([name, value]) => ({ [name]: value })), { key: input.key }];
  const policy = Buffer.from(JSON.stringify({ expiration: iso8601(new Date(now.getTime() + input.expiresSeconds * 1000)), conditions }), 'utf8').toString('base64');
  const signingKey = await getSigningKey(sha256, credentials, shortDate, address.region, 's3');
  const signature = createHmac('sha256', signingKey).update(policy, 'utf8').digest('hex');
  const { protocol, hostname, port, path } = bucketLocation(address);
  return { url: formatUrl(new HttpRequest({ protocol, hostname, port, path: path || '/' })), fields: { ...fields, key: input.key, Policy: policy, 'X-Amz-Signature': signature } };
}

/** A GET of one object, signed in its query string, with the answer's type and file name set by S3. */
export async function presignedGet(
  address: BucketAddress,
  input: { readonly key: string; readonly responseContentType: string; readonly responseContentDisposition: string; readonly expiresSeconds: number },
  { credentials, now }: Signing,
): Promise<string> {
  const { protocol, hostname, port, path } = bucketLocation(address);
  const request = new HttpRequest({
    method: 'GET',
    protocol,
    hostname,
    port,
    path: `${path}/${input.key.split('/').map(encodeURIComponent).join('/')}`,
    query: { 'response-content-disposition': input.responseContentDisposition, 'response-content-type': input.responseContentType, 'x-id': 'GetObject' },
    // As the SDK's GetObject presigns: S3 checks no payload hash on a GET, and answers with the object's checksum.
    headers: { host: port ? `${hostname}:${port}` : hostname, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'x-amz-checksum-mode': 'ENABLED' },
  });
  const signer = new SignatureV4({ service: 's3', region: address.region, credentials, sha256, uriEscapePath: false, applyChecksum: false });
  const signed = await signer.presign(request, { expiresIn: input.expiresSeconds, signingDate: now, unsignableHeaders: new Set(['content-type']), unhoistableHeaders: new Set() });
  return formatUrl(signed);
}
