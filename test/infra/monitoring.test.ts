import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { api5xxRateThresholdPercent } from '../../infra/lib/alarms';
import { logicalIdOf, synthesise } from './app-fixture';

const built = synthesise({ ars: 'NAQ' });
const { api, schedules, data, monitoring, templates } = built;
const template = templates.monitoring;
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties);
const topicRef = { Ref: logicalIdOf(monitoring.alarmTopic) };

/** A value another stack exports to this one: `Ref` (names) or `GetAtt` of the construct. */
const imported = (stack: string, construct: IConstruct, what = 'Ref') => ({
  'Fn::ImportValue': expect.stringMatching(new RegExp(`^MesPilotes-NAQ-${stack}:ExportsOutput${what}${logicalIdOf(construct)}`)),
});
const alarmNamed = (name: string) => {
  const alarm = alarms.find((a) => a.AlarmName === `mes-pilotes-naq-${name}`);
  if (!alarm) throw new Error(`No alarm mes-pilotes-naq-${name} among ${alarms.map((a) => a.AlarmName).join(', ')}`);
  return alarm;
};
const metricsOf = (alarm: Record<string, any>) => (alarm.Metrics ?? []) as Array<{ Id: string; Expression?: string; MetricStat?: Record<string, any> }>;

describe('the alarm topic created when none is given', () => {
  it('is encrypted with a key of its own that CloudWatch may use', () => {
    const topic = resources[topicRef.Ref]!;
    expect(topic).toMatchObject({ Type: 'AWS::SNS::Topic', Properties: { TopicName: 'mes-pilotes-naq-alarms' } });
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    expect(resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
    expect(resources[keyId]!.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
  });

  it('takes TLS only, and alarms of this deployment', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('is an output, for subscriptions', () => {
    template.hasOutput('AlarmTopicArn', { Value: topicRef });
  });
});

describe('every alarm', () => {
  it('tells the topic when it fires and when it clears', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect({ name: alarm.AlarmName, actions: alarm.AlarmActions, ok: alarm.OKActions }).toEqual({ name: alarm.AlarmName, actions: [topicRef], ok: [topicRef] });
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('is one of those listed below, and each of those exists', () => {
    const functions = [...api.functions.keys(), 'milestones'];
    const expected = [
      'api-5xx-rate',
      ...functions.flatMap((fn) => [`${fn}-errors`, `${fn}-throttles`]),
      'milestones-dead-letters',
      'email-send-failures',
      'main-table-read-throttles',
      'main-table-write-throttles',
    ].map((name) => `mes-pilotes-naq-${name}`);
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(expected.sort());
  });
});

describe('the alarms', () => {
  it('watch the 5xx rate of the API stage', () => {
    const alarm = alarmNamed('api-5xx-rate');
    expect(alarm).toMatchObject({ Threshold: api5xxRateThresholdPercent, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
    const metrics = metricsOf(alarm);
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    const stageDimensions = [
      { Name: 'ApiId', Value: imported('Api', api.api) },
      { Name: 'Stage', Value: '$default' },
    ];
    for (const [id, metricName] of [['errors', '5xx'], ['requests', 'Count']] as const) {
      expect(metrics.find((m) => m.Id === id)?.MetricStat).toEqual({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: expect.arrayContaining(stageDimensions) },
        Period: 300,
        Stat: 'Sum',
      });
    }
  });

  it.each([...api.functions.keys(), 'milestones'])('watch errors and throttles of the %s function', (fn) => {
    const handler = fn === 'milestones' ? schedules.milestones : api.functions.get(fn as never)!;
    const stack = fn === 'milestones' ? 'Schedules' : 'Api';
    for (const [suffix, metricName] of [['errors', 'Errors'], ['throttles', 'Throttles']] as const) {
      expect(alarmNamed(`${fn}-${suffix}`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Dimensions: [{ Name: 'FunctionName', Value: imported(stack, handler) }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('fire as soon as a milestone run lands in the dead-letter queue', () => {
    expect(alarmNamed('milestones-dead-letters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: imported('Schedules', schedules.deadLetterQueue, 'FnGetAtt') }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire on an email SES failed to send (the application\'s EmailSendFailures metric)', () => {
    expect(alarmNamed('email-send-failures')).toMatchObject({
      Namespace: 'MesPilotes',
      MetricName: 'EmailSendFailures',
      Dimensions: [{ Name: 'service', Value: 'mes-pilotes' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each([['read', 'ReadThrottleEvents'], ['write', 'WriteThrottleEvents']])('fire on DynamoDB %s throttles of the table or any index', (kind, metricName) => {
    const table = data.tables.find((t) => t.definition.id === 'Main')!;
    const metrics = metricsOf(alarmNamed(`main-table-${kind}-throttles`));
    const stats = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
    expect(stats).toHaveLength(1 + table.definition.globalIndexes.length);
    for (const metric of stats) {
      expect(metric).toMatchObject({ Namespace: 'AWS/DynamoDB', MetricName: metricName });
      expect(metric.Dimensions).toContainEqual({ Name: 'TableName', Value: imported('Data', table.table) });
    }
    const indexes = stats.flatMap((m) => m.Dimensions.filter((d: { Name: string }) => d.Name === 'GlobalSecondaryIndexName').map((d: { Value: string }) => d.Value));
    expect(indexes.sort()).toEqual(table.definition.globalIndexes.map((index) => index.indexName).sort());
    expect(metrics.find((m) => m.Expression)?.Expression).toMatch(/^FILL\(table, 0\)( \+ FILL\(index\d, 0\))+$/);
  });
});

describe('the dashboard', () => {
  const dashboards = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  /** The dashboard body with every token written `<Ref>` or `<Import>`. */
  const body = () => {
    const parts = dashboards[0]!.Properties.DashboardBody['Fn::Join'][1] as Array<string | Record<string, any>>;
    const text = parts.map((part) => (typeof part === 'string' ? part : 'Fn::ImportValue' in part ? String(part['Fn::ImportValue']) : '<token>')).join('');
    return JSON.parse(text) as { widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }> };
  };
  const graphs = () => body().widgets.filter((w) => w.properties.metrics);
  /** `Namespace/MetricName` of each line of the graph titled `title`, with its stat. */
  const linesOf = (title: string) => {
    const graph = graphs().find((w) => w.properties.title === title);
    if (!graph) throw new Error(`No graph "${title}" among ${graphs().map((w) => w.properties.title).join(', ')}`);
    return graph.properties.metrics!.map((line) => {
      const options = line[line.length - 1] as { stat?: string };
      return `${String(line[0])}/${String(line[1])} ${options.stat}`;
    });
  };

  it('exists, named after the deployment', () => {
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('mes-pilotes-naq');
  });

  it('shows API requests, 4xx and 5xx, latency p50 and p99', () => {
    expect(linesOf('API requests')).toEqual(['AWS/ApiGateway/Count Sum']);
    expect(linesOf('API 4xx / 5xx')).toEqual(['AWS/ApiGateway/4xx Sum', 'AWS/ApiGateway/5xx Sum']);
    expect(linesOf('API latency (ms)')).toEqual(expect.arrayContaining(['AWS/ApiGateway/Latency p50', 'AWS/ApiGateway/Latency p99']));
  });

  it('shows duration, errors and throttles of every function', () => {
    const count = api.functions.size + 1;
    expect(linesOf('Function duration p99 (ms)')).toEqual(Array(count).fill('AWS/Lambda/Duration p99'));
    expect(linesOf('Function errors and throttles').filter((line) => line === 'AWS/Lambda/Errors Sum')).toHaveLength(count);
    const text = JSON.stringify(body());
    for (const handler of [...api.functions.values(), schedules.milestones]) expect(text).toContain(`ExportsOutputRef${logicalIdOf(handler)}`);
  });

  it('shows DynamoDB consumed capacity', () => {
    expect(linesOf('DynamoDB consumed capacity')).toEqual(['AWS/DynamoDB/ConsumedReadCapacityUnits Sum', 'AWS/DynamoDB/ConsumedWriteCapacityUnits Sum']);
  });

  it('shows emails sent and failed, applications submitted, decisions and usage reports ingested', () => {
    expect(linesOf('Emails (per hour)')).toEqual(['MesPilotes/EmailsSent Sum', 'MesPilotes/EmailSendFailures Sum']);
    expect(linesOf('Programme (per hour)')).toEqual(['MesPilotes/ApplicationsSubmitted Sum', 'MesPilotes/DecisionsTaken Sum', 'MesPilotes/UsageFiguresIngested Sum']);
  });

  it('shows the milestone runs and the dead-letter queue, and the state of every alarm', () => {
    expect(linesOf('Milestones')).toEqual(expect.arrayContaining(['AWS/Lambda/Invocations Sum', 'AWS/SQS/ApproximateNumberOfMessagesVisible Maximum']));
    const alarmWidget = body().widgets.find((w) => w.properties.title === 'Alarms') as { properties: { alarms: unknown[] } } | undefined;
    expect(alarmWidget?.properties.alarms).toHaveLength(alarms.length);
  });
});
