import type { Capacity } from './analysis';
import { operations, type Operation } from './scenario';

/**
 * The AWS bill of one national campaign, from the bench's figures: capacity units per operation (AWS rules
 * on the items really written), billed Lambda time per request (the local median through the HTTP emulator,
 * a proxy), and request counts. Volumes and prices are assumptions, written once here and in the README.
 */
export const campaignVolumes = {
  applications: 30_000,
  pilots: 2_000,
  reportMonths: 8,
  /** From the call for projects (September) to the end of reporting (October of the next year). */
  months: 14,
  /** Applicant views of their file, ARS and national views, over the campaign. */
  readsPerApplication: 10,
  /** Edits of a draft before it is submitted. */
  editsPerApplication: 2,
  /** Pages of 50 read by ARS and national staff while they select. */
  listPages: 20_000,
  /** Reminders the milestone function sends (drafts J-2, ARS digests, conventions J-15/J-3, missing reports). */
  reminderEmails: 15_000,
  /** Requests that start a new Lambda execution environment (low, bursty traffic). */
  coldStartShare: 0.1,
  /** Function logs per request: Powertools JSON lines, EMF metrics, the platform's REPORT line. */
  logBytesPerRequest: 1_500,
  /** Monthly active users summed over the months: applicants during intake (2 months) and at the decision, pilots while they report, staff. */
  cognitoMauMonths: 30_000 * 2 + 30_000 + 2_000 * 8 + 150 * 14,
  /** Customer-managed KMS keys: tables, logs, alarm topic. */
  kmsKeys: 3,
} as const;

/** USD list prices (us-east-1, on-demand, without free tier); eu-west-3 (Paris) is about 10 % higher on most lines. */
export const prices = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
  sesEmail: 0.1 / 1000,
  logsIngestGb: 0.5,
  xrayTrace: 5.0 / 1e6,
  kmsKeyMonth: 1.0,
  cognitoPlusMau: 0.02,
} as const;

const MEMORY_GB = 1; // infra/lib/house-function.ts memorySize 1024

export interface CostInputs {
  /** Per call of each operation (notify: per application notified). */
  readonly capacity: ReadonlyMap<Operation, Capacity>;
  /** Billed time of one call (notify: per application notified). */
  readonly durationMs: ReadonlyMap<Operation, number>;
  /** Write units of one email's ledger item over its life (queued, claimed, sent). */
  readonly ledgerWcuPerEmail: number;
  /** Cold init of the production bundles, process start included (median over functions). */
  readonly coldInitMs: number;
  /** Table and index storage one application leaves, all its items included. */
  readonly storageBytesPerApplication: number;
}

export interface CostLine {
  readonly component: string;
  readonly quantity: string;
  readonly usd: number;
  /** Measured: from the bench's figures; estimate: from the assumptions above only. */
  readonly basis: 'measured' | 'estimate';
}

interface Traffic {
  readonly operation: Operation;
  /** Calls billed as this operation (requests). */
  readonly requests: number;
  /** Times its capacity is consumed (notify: per application, in fewer requests). */
  readonly units: number;
  readonly what: string;
}

function traffic(): Traffic[] {
  const { applications, pilots, reportMonths, readsPerApplication, editsPerApplication, listPages } = campaignVolumes;
  return [
    { operation: operations.create, requests: applications, units: applications, what: 'create' },
    { operation: operations.decide, requests: applications * editsPerApplication, units: applications * editsPerApplication, what: 'edit a draft (as decide: read, then application + history in one transaction)' },
    { operation: operations.submit, requests: applications, units: applications, what: 'submit' },
    { operation: operations.read, requests: applications * readsPerApplication, units: applications * readsPerApplication, what: 'read an application' },
    { operation: operations.list, requests: listPages, units: listPages, what: 'list a page' },
    { operation: operations.decide, requests: applications, units: applications, what: 'review (as decide)' },
    { operation: operations.decide, requests: applications, units: applications, what: 'decide' },
    { operation: operations.notify, requests: 18 * 10, units: applications, what: 'notify (per application)' },
    { operation: operations.signEsms, requests: pilots, units: pilots, what: 'sign (ESMS)' },
    { operation: operations.signArs, requests: pilots, units: pilots, what: 'sign (ARS)' },
    { operation: operations.report, requests: pilots * reportMonths, units: pilots * reportMonths, what: 'report a month' },
    { operation: operations.read, requests: pilots * reportMonths * 2, units: pilots * reportMonths * 2, what: 'usage views (as read)' },
  ];
}

const millions = (value: number): string => `${(value / 1e6).toFixed(2)} M`;

export function campaignBill(inputs: CostInputs): { lines: CostLine[]; total: number; missing: string[] } {
  const missing = new Set<string>();
  let rcu = 0;
  let wcu = 0;
  let requests = 0;
  let gbSeconds = 0;
  for (const entry of traffic()) {
    const capacity = inputs.capacity.get(entry.operation);
    const duration = inputs.durationMs.get(entry.operation);
    if (!capacity || duration === undefined) {
      missing.add(entry.operation);
      continue;
    }
    rcu += capacity.rcu * entry.units;
    wcu += capacity.wcu * entry.units;
    requests += entry.requests;
    gbSeconds += (Math.ceil(duration * (entry.units / entry.requests)) / 1000) * MEMORY_GB * entry.requests;
  }
  const v = campaignVolumes;
  wcu += v.reminderEmails * inputs.ledgerWcuPerEmail;
  const initGbSeconds = requests * v.coldStartShare * (inputs.coldInitMs / 1000) * MEMORY_GB;
  const emails = v.applications * 2 + v.pilots * 2 + v.reminderEmails;
  const storageGb = (inputs.storageBytesPerApplication * v.applications) / 1024 ** 3;
  const logGb = (requests * v.logBytesPerRequest) / 1024 ** 3;
  const lines: CostLine[] = [
    { component: 'DynamoDB writes', quantity: `${millions(wcu)} WRU`, usd: wcu * prices.dynamoWriteUnit, basis: 'measured' },
    { component: 'DynamoDB reads', quantity: `${millions(rcu)} RRU`, usd: rcu * prices.dynamoReadUnit, basis: 'measured' },
    {
      component: 'DynamoDB storage + PITR',
      quantity: `${storageGb.toFixed(2)} GB × ${v.months} months`,
      usd: storageGb * v.months * (prices.dynamoStorageGbMonth + prices.dynamoPitrGbMonth),
      basis: 'measured',
    },
    { component: 'Lambda requests', quantity: millions(requests), usd: requests * prices.lambdaRequest, basis: 'measured' },
    {
      component: 'Lambda duration (arm64, 1 GB, INIT included)',
      quantity: `${Math.round(gbSeconds + initGbSeconds).toLocaleString('en')} GB-s`,
      usd: (gbSeconds + initGbSeconds) * prices.lambdaArmGbSecond,
      basis: 'measured',
    },
    { component: 'API Gateway HTTP API', quantity: millions(requests), usd: requests * prices.httpApiRequest, basis: 'measured' },
    { component: 'SES', quantity: `${emails.toLocaleString('en')} emails`, usd: emails * prices.sesEmail, basis: 'estimate' },
    { component: 'CloudWatch Logs ingestion', quantity: `${logGb.toFixed(2)} GB`, usd: logGb * prices.logsIngestGb, basis: 'estimate' },
    { component: 'X-Ray (every request traced, upper bound)', quantity: millions(requests), usd: requests * prices.xrayTrace, basis: 'estimate' },
    { component: 'KMS customer-managed keys', quantity: `${v.kmsKeys} keys × ${v.months} months`, usd: v.kmsKeys * v.months * prices.kmsKeyMonth, basis: 'estimate' },
    { component: 'Cognito (Plus feature plan)', quantity: `${v.cognitoMauMonths.toLocaleString('en')} MAU-months`, usd: v.cognitoMauMonths * prices.cognitoPlusMau, basis: 'estimate' },
  ];
  return { lines, total: lines.reduce((sum, line) => sum + line.usd, 0), missing: [...missing] };
}
