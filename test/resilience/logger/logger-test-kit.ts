import { createLogger } from '../../../src/resilience/logger/app-logger.js';
import type { AppLoggerOptions } from '../../../src/resilience/logger/logger-options.js';

/** A logger writing into an array, and its lines read back as JSON. */
export function capturedLogger(options: Partial<AppLoggerOptions> = {}) {
  const chunks: string[] = [];
  const logger = createLogger({
    name: 'app',
    env: {},
    destination: { write: (chunk: string) => chunks.push(chunk) },
    ...options,
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, chunks, lines };
}
