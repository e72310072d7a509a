import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { AlarmStatusWidget, Dashboard, GraphWidget, Stats, TextWidget, type Alarm, type IMetric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { businessMetric } from './metrics';

export interface OperationsDashboardProps {
  readonly dashboardName: string;
  readonly stage: IHttpStage;
  /** Function by capability name (campaigns, …, milestones). */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly table: ITable;
  readonly milestoneDeadLetters: IQueue;
  readonly alarms: readonly Alarm[];
}

const operational = Duration.minutes(5);
/** Programme figures move slowly: hourly sums read better than five-minute spikes. */
const business = Duration.hours(1);

const graph = (title: string, left: IMetric[], width = 8): GraphWidget => new GraphWidget({ title, left, width, height: 6 });

/**
 * One page for the deployment: is the API healthy, are the functions and the table coping, do the
 * emails go out, and what is the programme doing (applications, decisions, usage reports).
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
      widgets: [
        [new TextWidget({ markdown: `# ${props.dashboardName}\nAlarms, then the API, the functions, the table, emails and the programme. Runbook: README.md.`, width: 24, height: 2 })],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 })],
        this.apiRow(props.stage),
        this.functionsRow(props.functions),
        this.tableRow(props.table),
        this.programmeRow(props.milestoneDeadLetters, props.functions.get('milestones')),
      ],
    });
  }

  private apiRow(stage: IHttpStage): IWidget[] {
    return [
      graph('API requests', [stage.metricCount({ period: operational, statistic: Stats.SUM, label: 'requests' })]),
      graph('API 4xx / 5xx', [
        stage.metricClientError({ period: operational, statistic: Stats.SUM, label: '4xx' }),
        stage.metricServerError({ period: operational, statistic: Stats.SUM, label: '5xx' }),
      ]),
      graph('API latency (ms)', [
        stage.metricLatency({ period: operational, statistic: Stats.p(50), label: 'p50' }),
        stage.metricLatency({ period: operational, statistic: Stats.p(99), label: 'p99' }),
        stage.metricIntegrationLatency({ period: operational, statistic: Stats.p(99), label: 'integration p99' }),
      ]),
    ];
  }

  private functionsRow(functions: ReadonlyMap<string, IFunction>): IWidget[] {
    const each = (metric: (fn: IFunction, name: string) => IMetric) => [...functions].map(([name, fn]) => metric(fn, name));
    return [
      graph('Function duration p99 (ms)', each((fn, name) => fn.metricDuration({ period: operational, statistic: Stats.p(99), label: name }))),
      graph('Function duration p50 (ms)', each((fn, name) => fn.metricDuration({ period: operational, statistic: Stats.p(50), label: name }))),
      graph('Function errors and throttles', [
        ...each((fn, name) => fn.metricErrors({ period: operational, statistic: Stats.SUM, label: `${name} errors` })),
        ...each((fn, name) => fn.metricThrottles({ period: operational, statistic: Stats.SUM, label: `${name} throttles` })),
      ]),
    ];
  }

  private tableRow(table: ITable): IWidget[] {
    return [
      graph('DynamoDB consumed capacity', [
        table.metricConsumedReadCapacityUnits({ period: operational, statistic: Stats.SUM, label: 'read units' }),
        table.metricConsumedWriteCapacityUnits({ period: operational, statistic: Stats.SUM, label: 'write units' }),
      ], 12),
      graph('DynamoDB throttles (table)', [
        table.metric('ReadThrottleEvents', { period: operational, statistic: Stats.SUM, label: 'read throttles' }),
        table.metric('WriteThrottleEvents', { period: operational, statistic: Stats.SUM, label: 'write throttles' }),
        table.metricUserErrors({ period: operational, statistic: Stats.SUM, label: 'user errors (account-wide)' }),
      ], 12),
    ];
  }

  private programmeRow(deadLetters: IQueue, milestones: IFunction | undefined): IWidget[] {
    return [
      graph('Emails (per hour)', [
        businessMetric('EmailsSent', { period: business, label: 'sent' }),
        businessMetric('EmailSendFailures', { period: business, label: 'failed' }),
      ]),
      graph('Programme (per hour)', [
        businessMetric('ApplicationsSubmitted', { period: business, label: 'applications submitted' }),
        businessMetric('DecisionsTaken', { period: business, label: 'decisions taken' }),
        businessMetric('UsageFiguresIngested', { period: business, label: 'usage reports ingested' }),
      ]),
      graph('Milestones', [
        ...(milestones ? [milestones.metricInvocations({ period: operational, statistic: Stats.SUM, label: 'runs' })] : []),
        businessMetric('MilestoneTransitions', { period: operational, label: 'transitions' }),
        deadLetters.metricApproximateNumberOfMessagesVisible({ period: operational, statistic: Stats.MAXIMUM, label: 'parked runs (DLQ)' }),
      ]),
    ];
  }
}
