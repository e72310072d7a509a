/**
 * The local S3 of the attachments: s3rver behind a small gate that does what s3rver does not.
 *
 * s3rver 3.7.1 stores a browser form POST without reading its policy (no signature, expiration, `Content-Type`
 * or `content-length-range` check) and answers no CORS on it. The gate in front checks the POST policy as S3
 * does (SigV4 signature over the policy, expiration, every condition, every form field covered by one) before
 * it hands the upload to s3rver, answers CORS for the web app's origin, and passes every other request
 * (the SDK's calls, presigned GETs, which s3rver checks itself) through untouched.
 *
 * Once an object is stored, the emulated scanner tags it as GuardDuty Malware Protection for S3 does
 * (`GuardDutyMalwareScanStatus`: `THREATS_FOUND` when it holds the EICAR test string, else `NO_THREATS_FOUND`),
 * after `scanDelayMs`, so that the API sees the object unscanned first, as in AWS.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { SCAN_STATUS_TAG, type ScanStatusTag } from '../../layers/domain/attachment';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverInstance;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] }) => void): void;
}

/** The EICAR anti-malware test file: every scanner flags it, and it harms nothing. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export interface ScanResult {
  readonly bucket: string;
  readonly key: string;
  readonly status: ScanStatusTag;
}

export interface LocalS3Options {
  readonly port: number;
  readonly bucket: string;
  /** The credentials the functions sign with (the local stack's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** Origins whose form POSTs (the web app's uploads) get CORS answers. */
  readonly allowedOrigins: readonly string[];
  /** Where objects live; undefined: a temporary directory removed on stop. */
  readonly directory?: string;
  readonly scanDelayMs?: number;
  /** Called after each scan, as EventBridge delivers GuardDuty's scan result event. */
  readonly onScanResult?: (result: ScanResult) => Promise<void> | void;
}

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const xmlError = (res: ServerResponse, status: number, code: string, message: string, cors: Record<string, string>): void => {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message.replace(/[<>&]/g, ' ')}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), ...cors });
  res.end(body);
};

interface FormPart {
  readonly name: string;
  readonly filename?: string;
  readonly data: Buffer;
}

/** A multipart/form-data body read whole (S3 takes at most one file, the last part that counts). */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return undefined;
  const delimiter = Buffer.from(`--${mark}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF before the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = part.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*?\bname="([^"]*)"(?:[^\r\n]*?\bfilename="([^"]*)")?/i.exec(headers);
    if (!disposition) return undefined;
    parts.push({ name: disposition[1]!, filename: disposition[2], data: part.subarray(split + 4) });
    start = next;
  }
  return parts;
}

const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** The SigV4 signature of a POST policy (AWS: "Calculating a signature", POST policy). */
export function policySignature(secretAccessKey: string, date: string, region: string, policy: string): string {
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(policy, 'utf8').digest('hex');
}

type Refusal = { status: number; code: string; message: string };
type Condition = Record<string, string> | [string, string | number, string | number];

/** What S3 answers to a browser form POST, or undefined when it may be stored. */
export function checkPostPolicy(parts: readonly FormPart[], bucket: string, options: Pick<LocalS3Options, 'accessKeyId' | 'secretAccessKey'>, at = new Date()): Refusal | undefined {
  const fileIndex = parts.findIndex((part) => part.name === 'file');
  if (fileIndex < 0) return { status: 400, code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.' };
  const fields = new Map<string, string>();
  // Fields after the file are ignored, as S3 does.
  for (const part of parts.slice(0, fileIndex)) fields.set(part.name.toLowerCase(), part.data.toString('utf8'));
  const file = parts[fileIndex]!.data;
  const denied = (message: string): Refusal => ({ status: 403, code: 'AccessDenied', message });
  const policyText = fields.get('policy');
  const credential = fields.get('x-amz-credential');
  const signature = fields.get('x-amz-signature');
  if (!policyText || !credential || !signature || fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') return denied('Bucket POST must contain a SigV4-signed policy.');
  const [accessKeyId, date, region] = credential.split('/');
  if (accessKeyId !== options.accessKeyId || !date || !region) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  const expected = Buffer.from(policySignature(options.secretAccessKey, date, region, policyText));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return denied('The request signature we calculated does not match the signature you provided.');
  let policy: { expiration?: string; conditions?: Condition[] };
  try {
    policy = JSON.parse(Buffer.from(policyText, 'base64').toString('utf8')) as typeof policy;
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  const expiration = Date.parse(policy.expiration ?? '');
  if (!Number.isFinite(expiration) || at.getTime() > expiration) return denied('Invalid according to Policy: Policy expired.');
  const covered = new Set(['policy', 'x-amz-signature', 'file']);
  const valueOf = (name: string) => (name.toLowerCase() === 'bucket' ? bucket : fields.get(name.toLowerCase()));
  for (const condition of policy.conditions ?? []) {
    if (Array.isArray(condition)) {
      const [operator, first, second] = condition;
      if (operator === 'content-length-range') {
        if (file.length < Number(first)) return { status: 400, code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size.' };
        if (file.length > Number(second)) return { status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size.' };
        continue;
      }
      const name = String(first).replace(/^\$/, '');
      covered.add(name.toLowerCase());
      const value = valueOf(name) ?? '';
      if (operator === 'eq' && value !== String(second)) return denied(`Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${String(second)}"]`);
      if (operator === 'starts-with' && !value.startsWith(String(second))) return denied(`Invalid according to Policy: Policy Condition failed: ["starts-with", "$${name}", "${String(second)}"]`);
      continue;
    }
    for (const [name, wanted] of Object.entries(condition)) {
      covered.add(name.toLowerCase());
      if (valueOf(name) !== wanted) return denied(`Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${wanted}"]`);
    }
  }
  const extra = [...fields.keys()].find((name) => !covered.has(name) && !name.startsWith('x-ignore-'));
  if (extra) return denied(`Invalid according to Policy: Extra input fields: ${extra}`);
  return undefined;
}

function readAll(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts s3rver on a private port, the gate on `port`, the bucket, and the emulated scanner. */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'mes-pilotes-s3-'));
  DUMMY_ACCOUNT.createKeyPair(options.accessKeyId, options.secretAccessKey);
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: options.bucket }] });
  const { port: innerPort } = await s3rver.run();
  const inner = `http://127.0.0.1:${innerPort}`;
  const client = new S3Client({
    endpoint: inner,
    forcePathStyle: true,
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
  });

  const pending = new Set<NodeJS.Timeout>();
  const scan = async (bucket: string, key: string) => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      const status: ScanStatusTag = bytes.includes(EICAR) ? 'THREATS_FOUND' : 'NO_THREATS_FOUND';
      await client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [{ Key: SCAN_STATUS_TAG, Value: status }] } }));
      await options.onScanResult?.({ bucket, key, status });
    } catch (error) {
      // A deleted object is not scanned (GuardDuty reports it as skipped); anything else is said.
      if ((error as { name?: string }).name !== 'NoSuchKey') console.error(JSON.stringify({ level: 'error', message: 'local scanner failed', key, error: String(error) }));
    }
  };
  s3rver.on('event', (event) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated')) continue;
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      const timer = setTimeout(() => {
        pending.delete(timer);
        void scan(record.s3.bucket.name, key);
      }, options.scanDelayMs ?? 300);
      pending.add(timer);
    }
  });

  const allowed = new Set(options.allowedOrigins);
  const corsOf = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    return origin && allowed.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': 'ETag' } : {};
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const upstream = httpRequest(`${inner}${req.url ?? '/'}`, { method: req.method, headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...corsOf(req) });
      answer.pipe(res);
    });
    upstream.on('error', (error) => xmlError(res, 502, 'InternalError', String(error), corsOf(req)));
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const cors = corsOf(req);
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'OPTIONS') {
        // The form POST of the web app is a simple request; a preflight is answered for the allowed origin only.
        if (!cors['access-control-allow-origin']) return xmlError(res, 403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.', {});
        res.writeHead(200, { ...cors, 'access-control-allow-methods': 'POST, GET', 'access-control-allow-headers': '*', 'access-control-max-age': '3000', 'content-length': 0 });
        return res.end();
      }
      const bucket = /^\/([^/]+)\/?$/.exec(path)?.[1];
      const contentType = req.headers['content-type'] ?? '';
      if (req.method !== 'POST' || !bucket || !/^multipart\/form-data/i.test(contentType)) return forward(req, res);
      // S3 refuses a form POST over 5 GB; ours are bound far below by their policy, read whole up to 20 MB.
      const body = await readAll(req, 20 * 1024 * 1024);
      if (body === 'too_large') return xmlError(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', cors);
      const parts = parseMultipart(body, contentType);
      if (!parts) return xmlError(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', cors);
      const refusal = checkPostPolicy(parts, decodeURIComponent(bucket), options);
      if (refusal) return xmlError(res, refusal.status, refusal.code, refusal.message, cors);
      forward(req, res, body);
    })().catch((error: unknown) => xmlError(res, 500, 'InternalError', String(error), {}));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} is already in use: set S3_PORT to another port.`) : error),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    endpoint: `http://localhost:${port}`,
    port,
    async stop() {
      for (const timer of pending) clearTimeout(timer);
      await new Promise((done) => server.close(done));
      await s3rver.close().catch(() => undefined);
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** The EventBridge event GuardDuty sends after a scan, as the attachments function receives it in AWS. */
export function scanResultEvent(result: ScanResult) {
  return {
    version: '0',
    id: `local-scan-${Date.now()}`,
    source: 'aws.guardduty' as const,
    'detail-type': 'GuardDuty Malware Protection Object Scan Result' as const,
    time: new Date().toISOString(),
    region: process.env.AWS_REGION ?? 'eu-west-3',
    resources: [],
    detail: {
      schemaVersion: '1.0',
      scanStatus: 'COMPLETED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: { bucketName: result.bucket, objectKey: result.key },
      scanResultDetails: { scanResultStatus: result.status, threats: result.status === 'THREATS_FOUND' ? [{ name: 'EICAR-Test-File (not a virus)' }] : null },
    },
  };
}
