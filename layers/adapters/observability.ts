import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { logger } from './logger';

// Most requests publish no business metric: that is normal here, not a warning for every log line.
const metricsLogger = {
  debug: (message: string, ...rest: unknown[]) => logger.debug(message, ...(rest as [])),
  info: (message: string, ...rest: unknown[]) => logger.info(message, ...(rest as [])),
  warn: (message: string, ...rest: unknown[]) => (message.startsWith('No application metrics') ? logger.debug(message) : logger.warn(message, ...(rest as []))),
  error: (message: string, ...rest: unknown[]) => logger.error(message, ...(rest as [])),
};

/** Business metrics (CloudWatch EMF through the logs): what the programme team watches on the dashboard. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MesPilotes',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mes-pilotes',
  logger: metricsLogger,
});

export type BusinessMetric = 'ApplicationsSubmitted' | 'DecisionsTaken' | 'EmailsSent' | 'EmailSendFailures' | 'EmailMarkSentFailures' | 'UsageFiguresIngested' | 'MilestoneTransitions';

export function count(metric: BusinessMetric, value = 1): void {
  if (value > 0) metrics.addMetric(metric, MetricUnit.Count, value);
}

/** X-Ray tracing in Lambda; a no-op elsewhere (Powertools detects the environment). */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mes-pilotes' });
