import type * as S3 from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DOWNLOAD_VALID_SECONDS,
  MAX_ATTACHMENTS,
  SCAN_STATUS_TAG,
  UPLOAD_VALID_SECONDS,
  statusOf,
  type Attachment,
  type AttachmentStatus,
} from '../domain/attachment';
import { toParisIso } from '../domain/calendar';
import { DomainError } from '../domain/errors';
import { requiredEnv } from './config';
import { dynamo, dynamoClient, mainTableName } from './dynamo';
import { lazyClient } from './observability';
import { presignedGet, presignedPost, type BucketAddress, type Signing } from './s3-presign';
import { transact } from './transactions';

/**
 * Attachments: their metadata under the application's partition of the main table, their bytes in the
 * private attachments bucket.
 * - attachments of an application ..... pk APP#<id>  sk ATTACHMENT#<attachmentId>
 * - how many an application holds ..... pk APP#<id>  sk ATTACHMENTS  (count, ADD in the create/delete transaction)
 */
const attachmentKey = (applicationId: string, id: string) => ({ pk: `APP#${applicationId}`, sk: `ATTACHMENT#${id}` });
const counterKey = (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'ATTACHMENTS' });

const attachmentsBucket = requiredEnv('ATTACHMENTS_BUCKET');
/** Set only by the local stack (infra/local/s3-local.ts); path-style addresses, as s3rver serves. */
const endpoint = process.env.S3_ENDPOINT;

/**
 * The S3 client, for the calls the bucket answers (delete, list, tags): loaded with the first request that
 * makes one. The presigned forms, which most requests need, are signed without it (s3-presign.ts).
 */
export const s3Client = lazyClient(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('@aws-sdk/client-s3') as typeof S3,
  ({ S3Client }) => new S3Client(endpoint ? { endpoint, forcePathStyle: true, maxAttempts: 3 } : { maxAttempts: 3 }),
);

/** The bucket's address, and the function's own credentials and the time to sign with (S3 checks expiry against real time). */
async function signer(): Promise<{ address: BucketAddress; by: Signing }> {
  const [region, credentials] = await Promise.all([dynamoClient.config.region(), dynamoClient.config.credentials()]);
  return { address: { bucket: attachmentsBucket, region, ...(endpoint ? { endpoint } : {}) }, by: { credentials, now: new Date() } };
}

export const objectKeyFor = (applicationId: string, id: string): string => `applications/${applicationId}/${id}`;

function fromItem(item: Record<string, unknown>): Attachment {
  const { pk: _pk, sk: _sk, type: _type, ...attachment } = item;
  return attachment as unknown as Attachment;
}

const isMissing = (error: unknown): boolean => {
  const name = (error as { name?: string }).name;
  return name === 'NotFound' || name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
};

export const attachmentStore = {
  async list(applicationId: string): Promise<Attachment[]> {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: mainTableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `APP#${applicationId}`, ':prefix': 'ATTACHMENT#' },
      }),
    );
    return (page.Items ?? []).map(fromItem).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  },

  async get(applicationId: string, id: string): Promise<Attachment | undefined> {
    const found = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: attachmentKey(applicationId, id) }));
    return found.Item ? fromItem(found.Item) : undefined;
  },

  /** The attachment and the application's count, in one transaction: the eleventh is refused, even in a race. */
  async create(attachment: Attachment): Promise<void> {
    await transact(
      [
        {
          Update: {
            TableName: mainTableName,
            Key: counterKey(attachment.applicationId),
            UpdateExpression: 'ADD #count :one SET #type = :type',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
            ExpressionAttributeNames: { '#count': 'count', '#type': 'type' },
            ExpressionAttributeValues: { ':one': 1, ':max': MAX_ATTACHMENTS, ':type': 'attachment_count' },
          },
        },
        {
          Put: {
            TableName: mainTableName,
            Item: { ...attachmentKey(attachment.applicationId, attachment.id), type: 'attachment', ...attachment },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      () => new DomainError('too_many_attachments', `Un dossier compte au plus ${MAX_ATTACHMENTS} pièces jointes : supprimez-en une avant d'en ajouter une autre.`),
    );
  },

  /** The item and its place in the count, then the object (its noncurrent version expires by the bucket's lifecycle). */
  async remove(attachment: Attachment): Promise<void> {
    await transact(
      [
        { Delete: { TableName: mainTableName, Key: attachmentKey(attachment.applicationId, attachment.id), ConditionExpression: 'attribute_exists(pk)' } },
        {
          Update: {
            TableName: mainTableName,
            Key: counterKey(attachment.applicationId),
            UpdateExpression: 'ADD #count :minus',
            ConditionExpression: '#count > :zero',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
          },
        },
      ],
      () => new DomainError('not_found', "La pièce jointe demandée n'existe pas ou ne vous est pas accessible."),
    );
    const { client, sdk } = s3Client();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: attachmentsBucket, Key: attachment.key }));
  },

  /**
   * The status now: a final one kept in the item, else what the bucket says (no object yet, or the tag
   * GuardDuty puts once it has scanned it). A final result is kept so that later reads ask S3 nothing.
   */
  async statusOf(attachment: Attachment): Promise<{ status: AttachmentStatus; uploadedAt?: string }> {
    if (attachment.status && attachment.uploadedAt) return { status: attachment.status, uploadedAt: attachment.uploadedAt };
    // A listing, not HeadObject: the bucket policy denies s3:GetObject (which HEAD needs) on an object not yet found clean.
    const { client, sdk } = s3Client();
    const listed = await client.send(new sdk.ListObjectsV2Command({ Bucket: attachmentsBucket, Prefix: attachment.key, MaxKeys: 1 }));
    const object = listed.Contents?.find((entry) => entry.Key === attachment.key);
    if (!object) return { status: 'en_attente' };
    const uploadedAt = toParisIso(object.LastModified ?? new Date());
    let tags;
    try {
      tags = await client.send(new sdk.GetObjectTaggingCommand({ Bucket: attachmentsBucket, Key: attachment.key }));
    } catch (error) {
      // Deleted between the two calls.
      if (isMissing(error)) return { status: 'en_attente' };
      throw error;
    }
    const status = statusOf(true, tags.TagSet?.find((tag) => tag.Key === SCAN_STATUS_TAG)?.Value);
    if (status === 'sain' || status === 'infecte') {
      await dynamo
        .send(
          new UpdateCommand({
            TableName: mainTableName,
            Key: attachmentKey(attachment.applicationId, attachment.id),
            UpdateExpression: 'SET #status = :status, uploadedAt = :uploadedAt',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':uploadedAt': uploadedAt },
          }),
        )
        .catch((error: unknown) => {
          // Deleted meanwhile: nothing to keep.
          if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        });
    }
    return { status, uploadedAt };
  },

  /** The scan's final result, kept in the item (GuardDuty's event may arrive before anyone reads the list). */
  async keepStatus(attachment: Attachment, status: 'sain' | 'infecte'): Promise<void> {
    await dynamo
      .send(
        new UpdateCommand({
          TableName: mainTableName,
          Key: attachmentKey(attachment.applicationId, attachment.id),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      )
      .catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  },

  /** A browser form POST bound to this key, type and exact size, valid 15 minutes. */
  async presignUpload(attachment: Attachment): Promise<{ url: string; fields: Record<string, string> }> {
    const { address, by } = await signer();
    const conditions = [
      ['content-length-range', attachment.size, attachment.size],
      ['eq', '$Content-Type', attachment.contentType],
    ];
    return presignedPost(address, { key: attachment.key, conditions, fields: { 'Content-Type': attachment.contentType }, expiresSeconds: UPLOAD_VALID_SECONDS }, by);
  },

  /** A GET of the object valid 5 minutes, saved under its name. */
  async presignDownload(attachment: Attachment): Promise<string> {
    const ascii = attachment.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    const { address, by } = await signer();
    return presignedGet(
      address,
      {
        key: attachment.key,
        responseContentType: attachment.contentType,
        responseContentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
        expiresSeconds: DOWNLOAD_VALID_SECONDS,
      },
      by,
    );
  },

  /** The application's object keys this store knows, for the scan-result event (which names only the key). */
  parseKey(key: string): { applicationId: string; id: string } | undefined {
    const match = /^applications\/([^/]+)\/([^/]+)$/.exec(key);
    return match ? { applicationId: match[1]!, id: match[2]! } : undefined;
  },
};

export const isObjectMissing = isMissing;
