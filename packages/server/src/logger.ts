import pino, { type Logger } from 'pino';

/** Logs go to stderr; stdout is for results (CLI) only. */
export function createLogger(level = 'info'): Logger {
  return pino({ level }, pino.destination(2));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
