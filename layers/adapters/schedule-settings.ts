/**
 * How EventBridge Scheduler runs the milestone function: one definition for the daily run the Schedules
 * stack declares and for the one-time schedules layers/adapters/scheduler.ts writes. No SDK import: the
 * CDK app reads it too.
 */

/** Paris wall-clock time, summer or winter: campaign instants are Paris instants. */
export const milestoneScheduleTimeZone = 'Europe/Paris';

/** Scheduler's retries when it cannot invoke the function, then the dead-letter queue. */
export const milestoneScheduleRetry = { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 } as const;

/**
 * The schedule group the local stack names: there is no EventBridge Scheduler there, its ticker runs the
 * milestone function every minute instead, so the adapter writes no schedule.
 */
export const localTickerScheduleGroup = 'local-ticker';
