import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { presignedGet, presignedPost, type BucketAddress } from '../../layers/adapters/s3-presign';

/**
 * layers/adapters/s3-presign.ts signs the attachments' upload form and download link without the S3 client.
 * What it produces is what the AWS SDK's own presigners produce for the same input, byte for byte: the
 * same fields, policy and signature; the same URL, query and signature. The SDK is the reference here only.
 */
const now = new Date('2026-12-02T10:15:30.123Z');
const bucket = 'mes-pilotes-paca-attachments';
const key = 'applications/APP-7K2M9Q4R/PJ-3F8H1K2M4N6P8R0T2V4W';
const disposition = `attachment; filename="Projet d_etablissement.pdf"; filename*=UTF-8''${encodeURIComponent("Projet d'établissement.pdf")}`;
const post = {
  conditions: [
    ['content-length-range', 204_800, 204_800],
    ['eq', '$Content-Type', 'application/pdf'],
  ],
  fields: { 'Content-Type': 'application/pdf' },
  expiresSeconds: 900,
};

const roleCredentials = { accessKeyId: 'ASIAEXAMPLEROLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjE/+tok==' };
const userCredentials = { accessKeyId: 'AKIAEXAMPLEUSER', secretAccessKey: 'je9MtnFEMI/K7MDENG+bPxRfiCYzEXAMPLE' };

const cases: { name: string; address: BucketAddress; credentials: typeof userCredentials & { sessionToken?: string } }[] = [
  { name: 'in AWS (virtual-hosted, a role session)', address: { bucket, region: 'eu-west-3' }, credentials: roleCredentials },
  { name: 'in AWS without a session token', address: { bucket, region: 'eu-west-3' }, credentials: userCredentials },
  { name: 'on the local stack (path-style endpoint)', address: { bucket, region: 'eu-west-3', endpoint: 'http://127.0.0.1:4569' }, credentials: userCredentials },
];

const sdkClient = ({ address, credentials }: (typeof cases)[number]) =>
  new S3Client({ region: address.region, credentials, ...(address.endpoint ? { endpoint: address.endpoint, forcePathStyle: true } : {}) });

afterEach(() => jest.restoreAllMocks());

describe.each(cases)('presigned forms $name', (setting) => {
  it("the upload form has the SDK's url, fields, policy and signature", async () => {
    jest.spyOn(Date, 'now').mockReturnValue(now.getTime());
    const expected = await createPresignedPost(sdkClient(setting), { Bucket: bucket, Key: key, Conditions: post.conditions as never, Fields: post.fields, Expires: post.expiresSeconds });
    const actual = await presignedPost(setting.address, { key, ...post }, { credentials: setting.credentials, now });
    expect(actual).toEqual(expected);
    expect(Object.keys(actual.fields)).toEqual(Object.keys(expected.fields));
    // Read back: the policy binds the key, the exact size and the type, and expires 15 minutes on.
    const policy = JSON.parse(Buffer.from(actual.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.expiration).toBe('2026-12-02T10:30:30Z');
    expect(policy.conditions).toEqual(expect.arrayContaining([{ key }, ['content-length-range', 204_800, 204_800], { bucket }]));
  });

  it("the download link is the SDK's GetObject presigned URL", async () => {
    const expected = await getSignedUrl(
      sdkClient(setting),
      new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: 'application/pdf', ResponseContentDisposition: disposition }),
      { expiresIn: 300, signingDate: now },
    );
    const actual = await presignedGet(setting.address, { key, responseContentType: 'application/pdf', responseContentDisposition: disposition, expiresSeconds: 300 }, { credentials: setting.credentials, now });
    expect(actual).toBe(expected);
    expect(new URL(actual).searchParams.get('X-Amz-Expires')).toBe('300');
  });
});

it('a signature depends on the secret: another key gives another signature (the comparison above is not vacuous)', async () => {
  const address = { bucket, region: 'eu-west-3' };
  const one = await presignedPost(address, { key, ...post }, { credentials: userCredentials, now });
  const other = await presignedPost(address, { key, ...post }, { credentials: { ...userCredentials, secretAccessKey: 'another' }, now });
  expect(other.fields.Policy).toBe(one.fields.Policy);
  expect(other.fields['X-Amz-Signature']).not.toBe(one.fields['X-Amz-Signature']);
});
