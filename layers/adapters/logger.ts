import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools). The correlation id is API Gateway's request id. No personal data goes
 * in here: ids, codes and counts only (no names, emails or free text from applicants).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mes-pilotes' });
