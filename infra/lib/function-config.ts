import { Duration, Fn } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionName } from '../../layers/http/routes';
import type { BoundTable } from './data-stack';
import type { Deployment } from './deployment';
import { HouseFunction, type MilestoneScheduleTarget } from './house-function';

/**
 * What each function may touch beyond its own logs. The route table says which HTTP functions
 * exist; this says what AWS permissions each one needs, so a grant is a one-word change here.
 */
export const scheduledFunctionNames = ['milestones'] as const;
export type ScheduledFunctionName = (typeof scheduledFunctionNames)[number];
export type AnyFunctionName = FunctionName | ScheduledFunctionName;

/** Functions that send email through SES (acknowledgements, decisions, reminders). */
const emailSenders: ReadonlySet<string> = new Set(['milestones', 'applications', 'selection', 'conventions', 'attachments']);

/** Functions that only read the tables; every other function reads and writes. */
const readOnlyFunctions: ReadonlySet<string> = new Set(['exports', 'documents']);

/** Functions that touch no table at all (the API documentation). */
const tableFreeFunctions: ReadonlySet<string> = new Set(['docs']);

/** Functions that keep a campaign's one-time milestone schedules in step (create and patch a campaign). */
const milestoneSchedulers: ReadonlySet<string> = new Set(['campaigns']);

/**
 * Functions that draw PDFs (layers/documents): the documents function, and every function that delivers the email
 * ledger, since it may send an acknowledgement with its receipt (layers/adapters/email-attachments.ts). Their
 * bundle carries the fonts (layers/documents/pdf.ts fontsDir), and pdf-lib and fontkit as lazy modules.
 */
const pdfRenderers: ReadonlySet<string> = new Set(['documents', ...emailSenders]);

/**
 * Packages a function loads only when a request needs them, kept out of its cold start (HouseFunctionProps.lazyModules).
 * The code loads them with `require` (the bundle's banner defines it), not `import()`: Node's ESM loader first scans
 * a CommonJS file for its export names, which measured 2 to 3 times the CPU of requiring it (the S3 client 165 ms
 * against 66 ms, exceljs 243 ms against 90 ms, pdf-lib 137 ms against 54 ms), paid by the request that loads it.
 */
const pdfModules = ['pdf-lib', '@pdf-lib/fontkit'] as const;
export const lazyModulesOf: Readonly<Partial<Record<string, readonly string[]>>> = {
  exports: ['exceljs'],
  ...Object.fromEntries([...pdfRenderers].map((fn) => [fn, pdfModules])),
  // A PDF renderer (it sends email), and the S3 client of its delete, list and tags calls (layers/adapters/attachment-store.ts).
  attachments: [...pdfModules, '@aws-sdk/client-s3'],
  // Its repositories reach the ledger's code (and through it the receipt's) though it sends no email: kept out of index.mjs all the same.
  usage: pdfModules,
};

/**
 * Every function's lazy modules: its own; the X-Ray SDK under the Powertools tracer, which
 * layers/adapters/observability.ts loads only where tracing is on (about 110 KiB less to parse at each cold start
 * where it is off; in Lambda it is loaded from beside index.mjs at import); the SES client, which
 * layers/adapters/mailer.ts loads with the first email.
 */
export const lazyModulesFor = (fn: string): readonly string[] => ['aws-xray-sdk-core', '@aws-sdk/client-sesv2', ...(lazyModulesOf[fn] ?? [])];

/** Functions that register DUI vendors' clients for pilots: they accept only the deployment's own clients. */
const reportingClientRegistrars: ReadonlySet<string> = new Set(['usage']);

const isScheduled = (fn: AnyFunctionName): boolean => (scheduledFunctionNames as readonly string[]).includes(fn);

export interface FunctionConfig {
  readonly sendsEmail: boolean;
  readonly tableAccess: 'none' | 'read' | 'readWrite';
  readonly schedulesMilestones: boolean;
  readonly registersReportingClients: boolean;
  readonly timeout: Duration;
}

export function functionConfig(fn: AnyFunctionName): FunctionConfig {
  return {
    sendsEmail: emailSenders.has(fn),
    tableAccess: tableFreeFunctions.has(fn) ? 'none' : readOnlyFunctions.has(fn) ? 'read' : 'readWrite',
    schedulesMilestones: milestoneSchedulers.has(fn),
    registersReportingClients: reportingClientRegistrars.has(fn),
    // An HTTP integration gives up after 30 s anyway; a scheduled run may walk a whole campaign.
    timeout: isScheduled(fn) ? Duration.minutes(5) : Duration.seconds(15),
  };
}

export const constructIdOf = (fn: string): string => fn.replace(/(^|-)(\w)/g, (_, _dash: string, c: string) => c.toUpperCase());

export interface CapabilityFunctionProps {
  readonly deployment: Deployment;
  readonly tables: readonly BoundTable[];
  readonly logsKey: IKey;
  /** Required when the function's config says it schedules milestones. */
  readonly milestoneSchedules?: MilestoneScheduleTarget;
  /** The client ids of the deployment's DUI vendors; required when the function registers reporting clients. */
  readonly duiClientIds?: readonly string[];
  /** For asynchronously invoked functions (the milestone function). */
  readonly deadLetterQueue?: IQueue;
}

/** The function of one capability with the permissions its config grants, and nothing more. */
export function addCapabilityFunction(scope: Construct, fn: AnyFunctionName, props: CapabilityFunctionProps): HouseFunction {
  const config = functionConfig(fn);
  const handler = new HouseFunction(scope, `${constructIdOf(fn)}Function`, {
    fn,
    deployment: props.deployment,
    timeout: config.timeout,
    logsKey: props.logsKey,
    deadLetterQueue: props.deadLetterQueue,
    lazyModules: lazyModulesFor(fn),
    bundledFolders: pdfRenderers.has(fn) ? ['layers/documents/fonts'] : undefined,
  });
  const { tableAccess } = config;
  if (tableAccess !== 'none') for (const { table, definition } of props.tables) handler.bindTable({ table, definition, access: tableAccess });
  if (config.sendsEmail) handler.allowSendingEmailAs(props.deployment.senderEmail);
  if (config.schedulesMilestones) {
    if (!props.milestoneSchedules) throw new Error(`The ${fn} function schedules milestones: pass it the milestone schedule target`);
    handler.allowSchedulingMilestones(props.milestoneSchedules);
  }
  if (config.registersReportingClients) {
    if (!props.duiClientIds) throw new Error(`The ${fn} function registers reporting clients: pass it the DUI vendors' client ids`);
    // The env contract of layers/adapters/config.ts (duiClientIds).
    handler.addEnvironment('DUI_CLIENT_IDS', Fn.join(',', [...props.duiClientIds]));
  }
  return handler;
}
