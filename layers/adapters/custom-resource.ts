import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { logger } from './logger';

/** An event CloudFormation sends a function that backs a custom resource (never API Gateway's shape). */
export const isCloudFormationEvent = (event: unknown): event is CloudFormationCustomResourceEvent =>
  typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event && 'StackId' in event && 'LogicalResourceId' in event;

// CloudFormation's pre-signed response URLs are S3's; a forged event must not make the function PUT elsewhere.
const isCloudFormationResponseUrl = (url: URL): boolean => url.protocol === 'https:' && url.hostname.endsWith('.amazonaws.com');

/** Kept from the function's time for the answer itself: Lambda's timeout would leave CloudFormation unanswered. */
export const answerReserveMs = 2_000;

/**
 * Runs `work` on Create and Update (Delete does nothing) and always answers at the event's response URL,
 * failure included: an unanswered custom resource holds the deployment for an hour. A failure, or work
 * still running when the function's time is nearly spent, fails the deployment, which CloudFormation
 * rolls back.
 */
export async function answerCloudFormation(
  event: CloudFormationCustomResourceEvent,
  context: Pick<Context, 'logStreamName' | 'getRemainingTimeInMillis'>,
  work: () => Promise<Record<string, string>>,
): Promise<void> {
  const url = new URL(event.ResponseURL);
  if (!isCloudFormationResponseUrl(url)) throw new Error('Custom resource event with a response URL that is not CloudFormation\'s');
  let answer: { Status: 'SUCCESS' | 'FAILED'; Reason?: string; Data?: Record<string, string> };
  const budgetMs = Math.max(0, context.getRemainingTimeInMillis() - answerReserveMs);
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Not done within ${budgetMs} ms, the function's time less the answer's`)), budgetMs);
  });
  try {
    answer = { Status: 'SUCCESS', Data: event.RequestType === 'Delete' ? {} : await Promise.race([work(), outOfTime]) };
  } catch (error) {
    logger.error('custom resource failed', { logicalResourceId: event.LogicalResourceId, requestType: event.RequestType, error: error instanceof Error ? error : String(error) });
    answer = { Status: 'FAILED', Reason: `${error instanceof Error ? error.message : String(error)} (log stream ${context.logStreamName})`.slice(0, 1000) };
  } finally {
    clearTimeout(timer);
  }
  const body = JSON.stringify({
    ...answer,
    // Kept from one update to the next: a new id would make CloudFormation delete the "old" resource.
    PhysicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  // An empty content type, as cfn-response sends it: the URL's signature leaves the header out.
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!response.ok) throw new Error(`CloudFormation refused the custom resource's answer: ${response.status}`);
}
