/** Structured JSON logs on stdout (CloudWatch in AWS). No personal data goes in here: ids and codes only. */
type Level = 'debug' | 'info' | 'warn' | 'error';

const threshold: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const minimum = threshold[(process.env.LOG_LEVEL?.toLowerCase() as Level) ?? 'info'] ?? threshold.info;

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (threshold[level] < minimum) return;
  const line = JSON.stringify({ level, message, timestamp: new Date().toISOString(), service: 'mes-pilotes', ...fields });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}

export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
