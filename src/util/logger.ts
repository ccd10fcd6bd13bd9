/** Structured fields attached to a log line. Never put tokens, passwords or Authorization headers here. */
export type LogFields = Record<string, unknown>;

/**
 * The logging port used by side-effecting modules: pino-compatible (`logger.info({ key }, 'message')`),
 * so a pino instance or child can be passed as-is. Errors go in the `err` field.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** A logger that drops everything; the default when none is injected. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A logger that records every line in memory, for tests that assert on what was logged. */
export class MemoryLogger implements Logger {
  readonly lines: { level: 'debug' | 'info' | 'warn' | 'error'; fields: LogFields; message: string }[] = [];

  debug(fields: LogFields, message: string): void {
    this.lines.push({ level: 'debug', fields, message });
  }

  info(fields: LogFields, message: string): void {
    this.lines.push({ level: 'info', fields, message });
  }

  warn(fields: LogFields, message: string): void {
    this.lines.push({ level: 'warn', fields, message });
  }

  error(fields: LogFields, message: string): void {
    this.lines.push({ level: 'error', fields, message });
  }
}
