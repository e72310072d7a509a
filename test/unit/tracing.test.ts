import { mainTable } from '../../layers/adapters/tables';

const adapterEnv = {
  [mainTable.envVar]: 'table',
  MAIL_FROM: 'ne-pas-repondre@mes-pilotes.example',
  SCHEDULE_GROUP_NAME: 'group',
  MILESTONE_FUNCTION_ARN: 'function',
  SCHEDULER_ROLE_ARN: 'role',
  SCHEDULER_DLQ_ARN: 'queue',
  ATTACHMENTS_BUCKET: 'attachments',
  AWS_REGION: 'eu-west-3',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * Loads the four AWS adapters afresh, as in Lambda (AWS_EXECUTION_ENV) with tracing on or off, with the
 * tracer's captureAWSv3Client watched: what it was handed, what it gave back, whether the tracer was loaded.
 */
function loadAdapters(traceEnabled: boolean): {
  captured: { client: string; same: boolean }[];
  dynamoClient: unknown;
  tracerLoaded: boolean;
  mailer: typeof import('../../layers/adapters/mailer');
  attachments: typeof import('../../layers/adapters/attachment-store');
} {
  const env: Record<string, string> = { ...adapterEnv, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: String(traceEnabled) };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const captured: { client: string; same: boolean }[] = [];
  let dynamoClient: unknown;
  let tracerLoaded = false;
  let mailer: typeof import('../../layers/adapters/mailer') | undefined;
  let attachments: typeof import('../../layers/adapters/attachment-store') | undefined;
  try {
    jest.isolateModules(() => {
      const { Tracer } = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
      const original = Tracer.prototype.captureAWSv3Client;
      jest.spyOn(Tracer.prototype, 'captureAWSv3Client').mockImplementation(function <T>(this: InstanceType<typeof Tracer>, service: T): T {
        // Outside Lambda, X-Ray has no segment to hang subsegments on: record the call, keep the client as is.
        const result = (traceEnabled ? service : original.call(this, service)) as T;
        captured.push({ client: (service as object).constructor.name, same: result === service });
        return result;
      });
      dynamoClient = (require('../../layers/adapters/dynamo') as typeof import('../../layers/adapters/dynamo')).dynamoClient;
      mailer = require('../../layers/adapters/mailer') as typeof import('../../layers/adapters/mailer');
      require('../../layers/adapters/scheduler');
      attachments = require('../../layers/adapters/attachment-store') as typeof import('../../layers/adapters/attachment-store');
      tracerLoaded = (require('../../layers/adapters/observability') as typeof import('../../layers/adapters/observability')).tracingEnabled;
    });
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return { captured, dynamoClient, tracerLoaded, mailer: mailer!, attachments: attachments! };
}

afterEach(() => jest.restoreAllMocks());

describe('tracing of the AWS calls', () => {
  it('hands the DynamoDB and Scheduler clients to the Powertools tracer in Lambda, the SES v2 client with the first email, the S3 client with the first bucket call', async () => {
    const { captured, tracerLoaded, mailer, attachments } = loadAdapters(true);
    expect(tracerLoaded).toBe(true);
    expect(captured.map((entry) => entry.client).sort()).toEqual(['DynamoDBClient', 'SchedulerClient']);
    // The SES and S3 clients are loaded when a call needs them, not at import: once each, traced.
    const first = await mailer.sesClient();
    expect(await mailer.sesClient()).toBe(first);
    const s3 = await attachments.s3Client();
    expect(await attachments.s3Client()).toBe(s3);
    expect(captured.map((entry) => entry.client).sort()).toEqual(['DynamoDBClient', 'S3Client', 'SESv2Client', 'SchedulerClient']);
  });

  it('neither loads the tracer nor touches a client where tracing is off (the local stack sets POWERTOOLS_TRACE_ENABLED=false)', () => {
    const { captured, dynamoClient, tracerLoaded } = loadAdapters(false);
    expect(tracerLoaded).toBe(false);
    expect(captured).toHaveLength(0);
    // Untouched: the document client and the capacity meter sit on the very client the SDK built.
    expect((dynamoClient as { constructor: { name: string } }).constructor.name).toBe('DynamoDBClient');
  });
});

describe('business metrics', () => {
  /** observability.ts loaded afresh, with what it writes to stdout (Powertools prints EMF there) kept. */
  function loadObservability(): { observability: typeof import('../../layers/adapters/observability'); emitted: string[] } {
    const emitted: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      emitted.push(String(chunk));
      return true;
    });
    let observability: typeof import('../../layers/adapters/observability') | undefined;
    jest.isolateModules(() => {
      observability = require('../../layers/adapters/observability') as typeof import('../../layers/adapters/observability');
    });
    return { observability: observability!, emitted };
  }

  it('publishes the metrics counted during an invocation as one EMF record when it ends', async () => {
    const { observability, emitted } = loadObservability();
    observability.count('EmailsSent');
    observability.count('EmailsSent', 2);
    observability.count('DecisionsTaken', 0);
    await observability.metricsMiddleware().after!({} as never);
    const records = emitted.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ EmailsSent: [1, 2], service: 'mes-pilotes' });
    expect(records[0]).not.toHaveProperty('DecisionsTaken');
    expect((records[0]!._aws as { CloudWatchMetrics: { Namespace: string; Metrics: unknown[] }[] }).CloudWatchMetrics[0]).toEqual({
      Namespace: 'MesPilotes',
      Dimensions: [['service']],
      Metrics: [{ Name: 'EmailsSent', Unit: 'Count' }],
    });
  });

  it('leaves the answer of every invocation as the handler gave it, metrics counted or not', async () => {
    const { observability } = loadObservability();
    const middy = (require('@middy/core') as typeof import('@middy/core')).default;
    const handler = middy(async (event: { counts: boolean }) => {
      if (event.counts) observability.count('DecisionsTaken');
      return { statusCode: 201, body: '{}' };
    }).use(observability.metricsMiddleware());
    for (const counts of [false, true, true, false]) expect(await handler({ counts }, {} as never)).toEqual({ statusCode: 201, body: '{}' });
  });

  it('publishes the metrics of a failed invocation too, and nothing at all for an invocation that counted none', async () => {
    const { observability, emitted } = loadObservability();
    await observability.metricsMiddleware().after!({} as never);
    expect(emitted.filter((line) => line.includes('"_aws"'))).toHaveLength(0);
    observability.count('EmailSendFailures');
    await observability.metricsMiddleware().onError!({} as never);
    expect(emitted.filter((line) => line.includes('"EmailSendFailures":1'))).toHaveLength(1);
  });
});
