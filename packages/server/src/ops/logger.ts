import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACT_PATHS } from './log-safety.ts';

/** The process logger: JSON lines at LOG_LEVEL, with credentials redacted wherever a caller puts them. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'unmogrowp' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
