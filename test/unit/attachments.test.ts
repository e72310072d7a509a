import { checkPostPolicy, parseMultipart, policySignature } from '../../infra/local/s3-local';
import { assertClean, assertRoomFor, attachmentCreateSchema, MAX_ATTACHMENT_BYTES, statusOf } from '../../layers/domain/attachment';
import { DomainError } from '../../layers/domain/errors';

describe('the status of an attachment', () => {
  it.each([
    [false, undefined, 'en_attente'],
    [true, undefined, 'en_analyse'],
    [true, 'NO_THREATS_FOUND', 'sain'],
    [true, 'THREATS_FOUND', 'infecte'],
    // Not known to be clean: never downloadable.
    [true, 'UNSUPPORTED', 'en_analyse'],
    [true, 'ACCESS_DENIED', 'en_analyse'],
    [true, 'FAILED', 'en_analyse'],
  ] as const)('uploaded %s, tag %s: %s', (uploaded, tag, status) => {
    expect(statusOf(uploaded, tag)).toBe(status);
  });

  it('only a clean one may be downloaded', () => {
    expect(() => assertClean('sain')).not.toThrow();
    for (const status of ['en_attente', 'en_analyse', 'infecte'] as const) {
      expect(() => assertClean(status)).toThrow(expect.objectContaining({ code: 'attachment_not_clean' }) as unknown as DomainError);
    }
  });

  it('ten per application', () => {
    expect(() => assertRoomFor(9)).not.toThrow();
    expect(() => assertRoomFor(10)).toThrow(expect.objectContaining({ code: 'too_many_attachments' }) as unknown as DomainError);
  });

  it('PDF, JPEG or PNG, from 1 byte to 10 MB', () => {
    const ok = (body: unknown) => attachmentCreateSchema.safeParse(body).success;
    expect(ok({ name: 'a.pdf', contentType: 'application/pdf', size: MAX_ATTACHMENT_BYTES })).toBe(true);
    expect(ok({ name: 'a.png', contentType: 'image/png', size: 1 })).toBe(true);
    expect(ok({ name: 'a.pdf', contentType: 'application/pdf', size: MAX_ATTACHMENT_BYTES + 1 })).toBe(false);
    expect(ok({ name: 'a.gif', contentType: 'image/gif', size: 10 })).toBe(false);
    expect(ok({ name: 'a/b.pdf', contentType: 'application/pdf', size: 10 })).toBe(false);
    expect(ok({ name: 'a.pdf', contentType: 'application/pdf', size: 1.5 })).toBe(false);
  });
});

describe("the local S3's check of a presigned POST (what s3rver does not do)", () => {
  const secret = 'local';
  const date = '20261201';
  const expiration = new Date(Date.now() + 60_000).toISOString();
  const policyOf = (conditions: unknown[], until = expiration) => Buffer.from(JSON.stringify({ expiration: until, conditions })).toString('base64');
  const conditions = [{ bucket: 'b' }, { key: 'applications/A/PJ-1' }, ['content-length-range', 10, 10], ['eq', '$Content-Type', 'application/pdf'], { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' }, { 'X-Amz-Credential': `local/${date}/eu-west-3/s3/aws4_request` }, { 'X-Amz-Date': `${date}T000000Z` }];
  const form = (policy: string, file: Buffer, overrides: Record<string, string> = {}) => {
    const fields: Record<string, string> = {
      key: 'applications/A/PJ-1',
      'Content-Type': 'application/pdf',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `local/${date}/eu-west-3/s3/aws4_request`,
      'X-Amz-Date': `${date}T000000Z`,
      Policy: policy,
      'X-Amz-Signature': policySignature(secret, date, 'eu-west-3', policy),
      ...overrides,
    };
    return [...Object.entries(fields).map(([name, value]) => ({ name, data: Buffer.from(value) })), { name: 'file', filename: 'f', data: file }];
  };
  const check = (parts: ReturnType<typeof form>) => checkPostPolicy(parts, 'b', { accessKeyId: 'local', secretAccessKey: secret });

  it('stores the declared file', () => {
    expect(check(form(policyOf(conditions), Buffer.alloc(10)))).toBeUndefined();
  });

  it.each([
    ['a larger file', form(policyOf(conditions), Buffer.alloc(11)), 'EntityTooLarge'],
    ['a smaller file', form(policyOf(conditions), Buffer.alloc(9)), 'EntityTooSmall'],
    ['another type', form(policyOf(conditions), Buffer.alloc(10), { 'Content-Type': 'text/html' }), 'AccessDenied'],
    ['another key', form(policyOf(conditions), Buffer.alloc(10), { key: 'applications/B/PJ-2' }), 'AccessDenied'],
    ['a field the policy does not name', form(policyOf(conditions), Buffer.alloc(10), { acl: 'public-read' }), 'AccessDenied'],
    ['an expired policy', form(policyOf(conditions, new Date(Date.now() - 1000).toISOString()), Buffer.alloc(10)), 'AccessDenied'],
    ['a forged signature', form(policyOf(conditions), Buffer.alloc(10), { 'X-Amz-Signature': '0'.repeat(64) }), 'AccessDenied'],
    ['another access key', form(policyOf(conditions), Buffer.alloc(10), { 'X-Amz-Credential': `other/${date}/eu-west-3/s3/aws4_request` }), 'InvalidAccessKeyId'],
  ])('refuses %s', (_label, parts, code) => {
    expect(check(parts)?.code).toBe(code);
  });

  it('reads a multipart body as the browser sends it', async () => {
    const body = new FormData();
    body.append('key', 'applications/A/PJ-1');
    body.append('file', new Blob([Buffer.from('%PDF-1.4\r\n--not-a-boundary\r\n')], { type: 'application/pdf' }), 'f.pdf');
    const request = new Request('http://localhost/', { method: 'POST', body });
    const parts = parseMultipart(Buffer.from(await request.arrayBuffer()), request.headers.get('content-type')!);
    expect(parts?.map((part) => [part.name, part.data.toString()])).toEqual([
      ['key', 'applications/A/PJ-1'],
      ['file', '%PDF-1.4\r\n--not-a-boundary\r\n'],
    ]);
  });
});
