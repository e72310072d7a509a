import { Duration } from 'aws-cdk-lib';
import { Metric, Stats, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import type { BusinessMetric } from '../../layers/adapters/observability';

/**
 * Powertools settings every function gets. Its Metrics utility writes EMF lines to the function's
 * logs, which CloudWatch turns into metrics: no cloudwatch:PutMetricData permission is needed.
 */
export const powertools = {
  serviceName: 'mes-pilotes',
  metricsNamespace: 'MesPilotes',
  logLevel: 'INFO',
} as const;

export const powertoolsEnvironment: Readonly<Record<string, string>> = {
  POWERTOOLS_SERVICE_NAME: powertools.serviceName,
  POWERTOOLS_METRICS_NAMESPACE: powertools.metricsNamespace,
  POWERTOOLS_LOG_LEVEL: powertools.logLevel,
};

/** A metric the application counts (layers/adapters/observability.ts), summed; Powertools adds the `service` dimension. */
export function businessMetric(name: BusinessMetric, options: MetricOptions = {}): Metric {
  return new Metric({
    namespace: powertools.metricsNamespace,
    metricName: name,
    dimensionsMap: { service: powertools.serviceName },
    statistic: Stats.SUM,
    period: Duration.minutes(5),
    ...options,
  });
}
