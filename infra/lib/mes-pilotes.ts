import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Alarms } from './alarms';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { DataStack } from './data-stack';
import { deploymentFromContext, stackName, type Deployment } from './deployment';
import { NotificationsStack } from './notifications-stack';
import { SchedulesStack } from './schedules-stack';

export interface MesPilotes {
  readonly deployment: Deployment;
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly api: ApiStack;
  readonly schedules: SchedulesStack;
  readonly notifications: NotificationsStack;
}

/**
 * The whole platform for the deployment named by the `ars` context: one stack per concern, each
 * named `MesPilotes-<ARS>-<Concern>`, checked by cdk-nag's AwsSolutions pack on every synth.
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
  const auth = new AuthStack(app, stackName(deployment, 'Auth'), props('Auth'));
  const notifications = new NotificationsStack(app, stackName(deployment, 'Notifications'), props('Notifications'));
  const api = new ApiStack(app, stackName(deployment, 'Api'), { ...props('Api'), tables: data.tables, auth });
  const schedules = new SchedulesStack(app, stackName(deployment, 'Schedules'), { ...props('Schedules'), tables: data.tables });

  const apiAlarms = new Alarms(api, 'Alarms', { alarmTopicArn: deployment.alarmTopicArn });
  apiAlarms.forHttpApi(api.api);
  for (const [fn, handler] of api.functions) apiAlarms.forFunction(fn, handler);
  const scheduleAlarms = new Alarms(schedules, 'Alarms', { alarmTopicArn: deployment.alarmTopicArn });
  scheduleAlarms.forFunction('milestones', schedules.milestones);
  scheduleAlarms.forDeadLetterQueue('MilestonesDeadLetters', schedules.deadLetterQueue);

  Tags.of(app).add('project', 'mes-pilotes');
  Tags.of(app).add('deployment', deployment.scope);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { deployment, data, auth, api, schedules, notifications };
}
