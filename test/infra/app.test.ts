import { Stack } from 'aws-cdk-lib';
import { arsCodes } from '../../layers/domain/regions';
import { DeploymentContextError } from '../../infra/lib/deployment';
import { buildWithoutBundling } from './app-fixture';

const concerns = ['Data', 'Auth', 'Notifications', 'Api', 'Schedules', 'Monitoring', 'Web'];
const stackNamesOf = (context: Record<string, unknown>) =>
  buildWithoutBundling(context)
    .api.node.root.node.children.filter(Stack.isStack)
    .map((stack) => stack.stackName);

describe('the stacks', () => {
  it('carry the ARS code in their names, one per concern', () => {
    expect(stackNamesOf({ ars: 'NAQ' }).sort()).toEqual(concerns.map((concern) => `MesPilotes-NAQ-${concern}`).sort());
  });

  it('carry "national" for the national deployment', () => {
    expect(stackNamesOf({ ars: 'national' })).toContain('MesPilotes-national-Api');
  });

  it('are built for every ARS code', () => {
    for (const code of arsCodes) expect(stackNamesOf({ ars: code })).toContain(`MesPilotes-${code}-Data`);
  });

  it('go to eu-west-3 unless told otherwise', () => {
    expect(buildWithoutBundling({ ars: 'NAQ' }).data.region).toBe('eu-west-3');
    expect(buildWithoutBundling({ ars: 'NAQ', region: 'eu-west-1' }).data.region).toBe('eu-west-1');
  });
});

describe('the ars context', () => {
  it('is required', () => {
    expect(() => buildWithoutBundling({})).toThrow(DeploymentContextError);
    expect(() => buildWithoutBundling({})).toThrow(/Missing context "ars": pass -c ars=<CODE> with one of ARA, .*NAQ.*, or -c ars=national/);
  });

  it.each([['XYZ'], ['naq'], ['ars-NAQ'], ['National']])('refuses %s with a clear error', (ars) => {
    expect(() => buildWithoutBundling({ ars })).toThrow(`Invalid context "ars" ("${ars}")`);
  });
});

describe('the other context values', () => {
  it('refuse what cannot be right', () => {
    expect(() => buildWithoutBundling({ ars: 'NAQ', region: 'Paris' })).toThrow(/not an AWS region/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', senderEmail: 'nobody' })).toThrow(/not an email address/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', alarmTopicArn: 'topic' })).toThrow(/SNS topic ARN/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', webCallbackUrls: 'https://ok.example/cb, nope' })).toThrow(/not a URL: "nope"/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', duiVendors: 'editeur-a,Éditeur B' })).toThrow(/Context "duiVendors" holds "Éditeur B", not a vendor name/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', duiVendors: 'editeur-a,editeur-a' })).toThrow(/names "editeur-a" twice/);
    expect(() => buildWithoutBundling({ ars: 'NAQ', duiVendors: 'editeur-1,editeur1' })).toThrow(/differ by more than dashes/);
  });

  it('send alarms to the topic when one is given, and create none', () => {
    const topic = 'arn:aws:sns:eu-west-3:123456789012:ops';
    const { monitoring } = buildWithoutBundling({ ars: 'NAQ', alarmTopicArn: topic });
    const alarms = monitoring.alarms.alarms;
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      const l1 = alarm.node.defaultChild as { alarmActions?: unknown; okActions?: unknown };
      expect(monitoring.resolve(l1.alarmActions)).toEqual([topic]);
      expect(monitoring.resolve(l1.okActions)).toEqual([topic]);
    }
    expect(monitoring.node.findAll().filter((c) => c.node.id === 'AlarmTopicKey')).toEqual([]);
  });
});
