import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { DataStack } from './data-stack';
import { deploymentFromContext, stackName, type Deployment } from './deployment';
import { MonitoringStack } from './monitoring-stack';
import { NotificationsStack } from './notifications-stack';
import { SchedulesStack } from './schedules-stack';
import { WebStack } from './web-stack';

export interface MesPilotes {
  readonly deployment: Deployment;
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly api: ApiStack;
  readonly schedules: SchedulesStack;
  readonly notifications: NotificationsStack;
  readonly monitoring: MonitoringStack;
  readonly web: WebStack;
}

/**
 * The whole platform for the deployment named by the `ars` context: one stack per concern, each
 * named `MesPilotes-<ARS>-<Concern>`, checked on every synth by cdk-nag's AwsSolutions pack and its
 * HIPAA Security pack (the programme handles health-related data).
 *
 * Dependencies run one way: Data ← Auth ← Api ← Web, Data ← Schedules ← Api ← Monitoring
 * (Notifications stands apart). The Web stack serves the web app and, on the same origin, the API.
 * The campaigns function (Api) owns the one-time schedules that target the milestone function, so the
 * milestone function, its schedule group, Scheduler role and DLQ live in Schedules and are handed over.
 */
export function buildMesPilotes(app: App): MesPilotes {
  const deployment = deploymentFromContext(app.node);
  const env = { account: deployment.account, region: deployment.region };
  const props = (concern: string) => ({
    env,
    deployment,
    stackName: stackName(deployment, concern),
    description: `mes-pilotes ${deployment.scope}: ${concern.toLowerCase()}`,
  });

  const data = new DataStack(app, stackName(deployment, 'Data'), props('Data'));
  const shared = { tables: data.tables, logsKey: data.logsKey };
  const auth = new AuthStack(app, stackName(deployment, 'Auth'), { ...props('Auth'), logsKey: data.logsKey });
  const notifications = new NotificationsStack(app, stackName(deployment, 'Notifications'), props('Notifications'));
  const schedules = new SchedulesStack(app, stackName(deployment, 'Schedules'), { ...props('Schedules'), ...shared });
  const api = new ApiStack(app, stackName(deployment, 'Api'), {
    ...props('Api'),
    ...shared,
    auth,
    milestoneSchedules: schedules.milestoneSchedules,
  });
  const monitoring = new MonitoringStack(app, stackName(deployment, 'Monitoring'), {
    ...props('Monitoring'),
    stage: api.stage,
    functions: new Map([...api.functions, ['milestones', schedules.milestones]]),
    tables: data.tables,
    milestoneDeadLetters: schedules.deadLetterQueue,
  });
  const web = new WebStack(app, stackName(deployment, 'Web'), { ...props('Web'), auth, httpApi: api.api, logsKey: data.logsKey, uploadOrigins: [api.attachments.uploadOrigin] });

  Tags.of(app).add('project', 'mes-pilotes');
  Tags.of(app).add('deployment', deployment.scope);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new HIPAASecurityChecks(app, { verbose: true }));
  return { deployment, data, auth, api, schedules, notifications, monitoring, web };
}
