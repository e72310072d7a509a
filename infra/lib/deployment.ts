import type { Node } from 'constructs';
import type { DeploymentScope } from '../../layers/adapters/config';
import { isArsMailboxTemplate } from '../../layers/domain/ars-mailbox';
import { arsCodes, isArsCode } from '../../layers/domain/regions';
import { DuiVendorsError, parseDuiVendors } from './dui-vendors';

/** What one deployment of the platform is: one ARS (or the national team) in one AWS region. */
export interface Deployment {
  readonly scope: DeploymentScope;
  readonly region: string;
  /** Undefined offline: the stacks stay account-agnostic until `cdk deploy` resolves it. */
  readonly account?: string;
  readonly senderEmail: string;
  /** The ARS's own mailboxes, `{code}` standing for the ARS code in lower case (context `arsMailbox`). */
  readonly arsMailbox: string;
  readonly alarmTopicArn?: string;
  /**
   * The host name the web app is served on: a custom domain (with `webCertificateArn`), or the
   * distribution's own `dxxxx.cloudfront.net` once the first deploy has told it. Undefined before then.
   */
  readonly webDomain?: string;
  /** ACM certificate for a custom `webDomain`; CloudFront only takes certificates from us-east-1. */
  readonly webCertificateArn?: string;
  /**
   * Where Cognito may send the web client back after sign-in (authorisation code + PKCE):
   * `https://<webDomain>/connexion/retour`, plus any given with `-c webCallbackUrls=a,b`.
   */
  readonly webCallbackUrls: readonly string[];
  /** Prefix of the Cognito domain that serves the OAuth token endpoint; unique per AWS region. */
  readonly authDomainPrefix: string;
  /**
   * The DUI vendors (context `duiVendors`, comma-separated; default `dui-local-a,dui-local-b`): one machine
   * client each, so a vendor's tokens name it and reach only the pilots registered for its client.
   */
  readonly duiVendors: readonly string[];
}

export const defaultRegion = 'eu-west-3';
export const defaultSenderEmail = 'ne-pas-repondre@mes-pilotes.example';
/** RFC 2606 `.example`: until `-c arsMailbox=` says the real mailboxes, no email goes to a guessed government address. */
export const defaultArsMailbox = 'ars-{code}-mes@mes-pilotes.example';
/** The web app's sign-in return path: CALLBACK_PATH of web/src/api/auth.ts (test/infra/web.test.ts checks they agree). */
export const webCallbackPath = '/connexion/retour';
// Before the first deploy tells the distribution's domain, the code flow still needs one return URL.
const placeholderWebCallbackUrl = `http://localhost:3000${webCallbackPath}`;

/** A wrong `-c` value: the CLI prints the message alone, no stack trace. */
export class DeploymentContextError extends Error {
  override readonly name = 'DeploymentContextError';
}

const usage = `pass -c ars=<CODE> with one of ${arsCodes.join(', ')}, or -c ars=national`;

function parseScope(value: unknown): DeploymentScope {
  if (value === undefined || value === '') throw new DeploymentContextError(`Missing context "ars": ${usage}.`);
  if (typeof value === 'string' && (value === 'national' || isArsCode(value))) return value;
  throw new DeploymentContextError(`Invalid context "ars" (${JSON.stringify(value)}): ${usage}.`);
}

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new DeploymentContextError(`Context "${key}" must be a string, got ${JSON.stringify(value)}.`);
  return value;
}

/** Reads and checks the `-c key=value` context once, so a typo fails the synth instead of a deploy. */
export function deploymentFromContext(node: Node): Deployment {
  const scope = parseScope(node.tryGetContext('ars'));
  const region = optionalString(node, 'region') ?? defaultRegion;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new DeploymentContextError(`Context "region" is not an AWS region: "${region}".`);
  const senderEmail = optionalString(node, 'senderEmail') ?? defaultSenderEmail;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(senderEmail)) throw new DeploymentContextError(`Context "senderEmail" is not an email address: "${senderEmail}".`);
  const arsMailbox = optionalString(node, 'arsMailbox') ?? defaultArsMailbox;
  if (!isArsMailboxTemplate(arsMailbox)) throw new DeploymentContextError(`Context "arsMailbox" must be an address with {code} before the @, got "${arsMailbox}".`);
  const alarmTopicArn = optionalString(node, 'alarmTopicArn');
  if (alarmTopicArn !== undefined && !/^arn:aws[a-z-]*:sns:/.test(alarmTopicArn)) {
    throw new DeploymentContextError(`Context "alarmTopicArn" must be an SNS topic ARN, got "${alarmTopicArn}".`);
  }
  const { webDomain, webCertificateArn } = webDomainFromContext(node);
  const extraCallbackUrls = optionalString(node, 'webCallbackUrls')?.split(',').map((url) => url.trim()) ?? [];
  for (const url of extraCallbackUrls) {
    if (!URL.canParse(url)) throw new DeploymentContextError(`Context "webCallbackUrls" holds a value that is not a URL: "${url}".`);
  }
  const ownCallbackUrls = webDomain === undefined ? [] : [`https://${webDomain}${webCallbackPath}`];
  const webCallbackUrls = [...ownCallbackUrls, ...extraCallbackUrls];
  return {
    scope,
    region,
    account: process.env.CDK_DEFAULT_ACCOUNT,
    senderEmail,
    arsMailbox,
    alarmTopicArn,
    webDomain,
    webCertificateArn,
    webCallbackUrls: webCallbackUrls.length > 0 ? webCallbackUrls : [placeholderWebCallbackUrl],
    authDomainPrefix: optionalString(node, 'authDomainPrefix') ?? `mes-pilotes-${scope.toLowerCase()}`,
    duiVendors: duiVendorsFromContext(node),
  };
}

function duiVendorsFromContext(node: Node): readonly string[] {
  try {
    return parseDuiVendors(node.tryGetContext('duiVendors'), 'Context "duiVendors"');
  } catch (error) {
    if (error instanceof DuiVendorsError) throw new DeploymentContextError(error.message);
    throw error;
  }
}

function webDomainFromContext(node: Node): Pick<Deployment, 'webDomain' | 'webCertificateArn'> {
  const webDomain = optionalString(node, 'webDomain')?.toLowerCase();
  if (webDomain !== undefined && !/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(webDomain)) {
    throw new DeploymentContextError(`Context "webDomain" must be a host name such as d1234abcd.cloudfront.net, got "${webDomain}".`);
  }
  const webCertificateArn = optionalString(node, 'webCertificateArn');
  if (webCertificateArn !== undefined && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(webCertificateArn)) {
    throw new DeploymentContextError(`Context "webCertificateArn" must be an ACM certificate ARN in us-east-1 (CloudFront's region), got "${webCertificateArn}".`);
  }
  if (webCertificateArn !== undefined && webDomain === undefined) {
    throw new DeploymentContextError('Context "webCertificateArn" needs "webDomain", the name the certificate is for.');
  }
  if (webDomain !== undefined && !webDomain.endsWith('.cloudfront.net') && webCertificateArn === undefined) {
    throw new DeploymentContextError(`Context "webDomain" ${webDomain} is a custom domain: pass -c webCertificateArn=<ACM certificate in us-east-1> too.`);
  }
  return { webDomain, webCertificateArn };
}

/** `MesPilotes-NAQ-Data`: the ARS code is in every stack name so two regions never collide in one account. */
export const stackName = (deployment: Pick<Deployment, 'scope'>, concern: string): string =>
  `MesPilotes-${deployment.scope}-${concern}`;
