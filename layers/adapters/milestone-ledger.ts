import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { toParisIso } from '../domain/calendar';
import { dynamo, mainTableName } from './dynamo';

/**
 * One item per (campaign, step) completed, so later runs skip finished steps with a single read: the work a
 * run reads stays proportional to the work due, not to the size of the tables.
 */
const stepKey = (campaignId: string, step: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: `STEP#${step}` });

export async function stepDone(campaignId: string, step: string): Promise<boolean> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: mainTableName, Key: stepKey(campaignId, step), ConsistentRead: true }));
  return Item !== undefined;
}

/** Written only once every transition and email of the step is recorded; a run that dies before leaves it undone. */
export async function markStepDone(campaignId: string, step: string, at: Date): Promise<void> {
  await dynamo.send(new PutCommand({ TableName: mainTableName, Item: { ...stepKey(campaignId, step), type: 'milestone_step', doneAt: toParisIso(at) } }));
}
