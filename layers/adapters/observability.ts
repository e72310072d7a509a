import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import { logger } from './logger';

// Most requests publish no business metric: that is normal here, not a warning for every log line.
const metricsLogger = {
  debug: (message: string, ...rest: unknown[]) => logger.debug(message, ...(rest as [])),
  info: (message: string, ...rest: unknown[]) => logger.info(message, ...(rest as [])),
  warn: (message: string, ...rest: unknown[]) => (message.startsWith('No application metrics') ? logger.debug(message) : logger.warn(message, ...(rest as []))),
  error: (message: string, ...rest: unknown[]) => logger.error(message, ...(rest as [])),
};

/**
 * Business metrics (CloudWatch EMF through the logs): what the programme team watches on the dashboard.
 * Powertools Metrics is built with the first metric counted: most requests count none (reads, refusals), and a
 * cold start that counts none does not evaluate it. `require`, not `import`, for the same reason as the tracer below.
 */
let businessMetrics: Metrics | undefined;
const countUnit: (typeof import('@aws-lambda-powertools/metrics').MetricUnit)['Count'] = 'Count';
function metricsOfProcess(): Metrics {
  if (!businessMetrics) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Metrics } = require('@aws-lambda-powertools/metrics') as typeof import('@aws-lambda-powertools/metrics');
    businessMetrics = new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MesPilotes',
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mes-pilotes',
      logger: metricsLogger,
    });
  }
  return businessMetrics;
}

export type BusinessMetric = 'ApplicationsSubmitted' | 'DecisionsTaken' | 'EmailsSent' | 'EmailSendFailures' | 'EmailMarkSentFailures' | 'UsageFiguresIngested' | 'MilestoneTransitions';

export function count(metric: BusinessMetric, value = 1): void {
  if (value > 0) metricsOfProcess().addMetric(metric, countUnit, value);
}

/** The metrics counted during an invocation, published at its end, answer or error (Powertools' logMetrics does the same). */
export const metricsMiddleware = (): MiddlewareObj => {
  // Nothing returned: a value an `after` middleware returns would replace the answer (publishStoredMetrics returns the Metrics).
  const publish = (): void => {
    businessMetrics?.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};

/**
 * X-Ray tracing is on in Lambda unless POWERTOOLS_TRACE_ENABLED=false, decided as Powertools decides it (an
 * execution environment, not SAM's or Amplify's mock). Only then is the Powertools tracer loaded: with the
 * X-Ray SDK under it, it is about a fifth of a function's cold init, for nothing where it would trace
 * nothing (the local stack, the tests, the bench). `require`, not `import`: esbuild keeps it inside this
 * branch, evaluated only when taken; the X-Ray SDK it requires is not even in index.mjs, but bundled beside it
 * (infra/lib/function-config.ts lazyModulesFor).
 */
const env = process.env;
export const tracingEnabled =
  (env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false' && (env.AWS_EXECUTION_ENV ?? '') !== '' && env.AWS_EXECUTION_ENV !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === '';

const powertoolsTracer: Tracer | undefined = tracingEnabled
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports
    new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'mes-pilotes' })
  : undefined;

/** Each AWS client goes through here: traced (a subsegment per call) where tracing is on, untouched elsewhere. */
export const tracer = {
  captureAWSv3Client: <T>(client: T): T => (powertoolsTracer ? powertoolsTracer.captureAWSv3Client(client) : client),
};

/**
 * An AWS client a function rarely needs, built with the first call that does and then kept, traced like the
 * others. Its package is bundled beside index.mjs (infra/lib/function-config.ts lazyModulesOf), so that no cold
 * start parses it; `load` is a `require` of that package (see lazyModulesOf for why not `import()`).
 */
export function lazyClient<Sdk, Client>(load: () => Sdk, create: (sdk: Sdk) => Client): () => { client: Client; sdk: Sdk } {
  let loaded: { client: Client; sdk: Sdk } | undefined;
  return () => {
    if (!loaded) {
      const sdk = load();
      loaded = { client: tracer.captureAWSv3Client(create(sdk)), sdk };
    }
    return loaded;
  };
}

/** The invocation's segment (cold start, response and error as metadata) where tracing is on; a no-op elsewhere (middy refuses an empty one). */
export const tracingMiddleware = (): MiddlewareObj =>
  powertoolsTracer
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware')).captureLambdaHandler(powertoolsTracer)
    : { before: () => undefined };
