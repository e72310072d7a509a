import { readReply } from '../../../infra/local/reply';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

interface StackInfo {
  apiUrl: string;
  dynamodbEndpoint: string;
  sesUrl: string;
  tableName: string;
}

const stackFile = join(resolve(__dirname, '..', '..', '..'), '.local', 'test-stack.json');
import { GATEWAY_NOT_FOUND, GATEWAY_UNAUTHORIZED } from '../../../infra/lib/authorizer';

export const stack: StackInfo = JSON.parse(process.env.MES_TEST_STACK ?? readFileSync(stackFile, 'utf8')) as StackInfo;

export const dynamo = DynamoDBDocumentClient.from(
  new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'eu-west-3', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
);

export type { Reply as ApiResponse } from '../../../infra/local/reply';
import type { Reply as ApiResponse } from '../../../infra/local/reply';

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed and oversized bodies. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export const api = (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => callApi(stack.apiUrl, method, path, options);

/** The same client against another stack (e.g. a regional deployment started by one test file). */
export async function callApi(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  return readReply(response);
}

export interface TokenClaims {
  sub: string;
  email?: string;
  /** The `email_verified` claim; the local stack defaults it to true. */
  emailVerified?: boolean;
  groups?: string[];
  clientId?: string;
  scope?: string;
}

export async function token(claims: TokenClaims): Promise<string> {
  const response = await api('POST', '/local/token', { body: claims });
  if (response.status !== 200) throw new Error(`token: ${response.status} ${response.text}`);
  return response.json.token as string;
}

export const roles = {
  national: () => token({ sub: 'national-1', email: 'equipe@national.local', groups: ['national'] }),
  ars: (code: string, sub = `ars-${code.toLowerCase()}-1`) => token({ sub, email: `instruction@ars-${code.toLowerCase()}.local`, groups: [`ars-${code}`] }),
  candidat: (sub: string, email = `${sub}@esms.local`) => token({ sub, email, groups: ['candidat'] }),
};

export async function setClock(now: string | null): Promise<void> {
  const response = await api('PUT', '/local/clock', { body: { now } });
  if (response.status !== 200) throw new Error(`clock: ${response.status} ${response.text}`);
}

/** Runs the milestone function at the simulated now, for one campaign (as its schedule would) or all. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runMilestones(campaignId?: string): Promise<any> {
  const response = await api('POST', '/local/milestones/run', campaignId ? { body: { campaignId } } : {});
  if (response.status !== 200) throw new Error(`milestones: ${response.status} ${response.text}`);
  return response.json;
}

export async function setFaults(faults: { sesFailures?: number; deathAfterEmails?: number | null; usageDeathsAfterCommit?: number; markSentFailures?: number }): Promise<void> {
  const response = await api('PUT', '/local/faults', { body: faults });
  if (response.status !== 200) throw new Error(`faults: ${response.status} ${response.text}`);
}

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export async function inbox(): Promise<StoredEmail[]> {
  const response = await fetch(`${stack.sesUrl}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

export async function clearInbox(): Promise<void> {
  await fetch(`${stack.sesUrl}/clear-store`, { method: 'POST' });
}

/** Every item of the table, for "nothing was written" assertions (a test-only full read). */
export async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  return items;
}

/** A snapshot of the table, to compare before and after a refused request. */
export async function tableSnapshot(): Promise<string> {
  const items = await allItems();
  return JSON.stringify(items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort());
}

/**
 * A refusal of API.md. A 401 is API Gateway's own (its JWT authorizer answers before any function, with
 * `{"message":"Unauthorized"}`), so it has no problem code: `code` is then `unauthenticated` for the reader.
 */
export function expectProblem(response: ApiResponse, status: number, code: string): void {
  if (status === 401) return expectGatewayUnauthorized(response);
  expect({ status: response.status, code: response.json?.code }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(typeof response.json.detail).toBe('string');
  expect(response.json.status).toBe(status);
}

/** What API Gateway's JWT authorizer answers to a missing or refused token, locally as in AWS. */
export function expectGatewayUnauthorized(response: ApiResponse): void {
  expect({ status: response.status, body: response.json }).toEqual({ status: 401, body: GATEWAY_UNAUTHORIZED });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
}

/** What API Gateway answers for a route it does not have (no function runs). */
export function expectGatewayNotFound(response: ApiResponse): void {
  expect({ status: response.status, body: response.json }).toEqual({ status: 404, body: GATEWAY_NOT_FOUND });
}
