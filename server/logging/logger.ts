import winston from 'winston';
import { redact } from './redact.ts';

export type Logger = winston.Logger;

const redactFormat = winston.format((info) => {
  const cleaned = redact({ ...info }) as Record<string | symbol, unknown>;
  for (const key of Object.keys(info)) {
    (info as Record<string, unknown>)[key] = cleaned[key];
  }
  return info;
});

/** JSON lines on stdout (or into `stream` for tests), every field passed through the redactor. */
export function createLogger(opts: { level: string; stream?: NodeJS.WritableStream; defaultMeta?: Record<string, unknown> }): Logger {
  const transport = opts.stream ? new winston.transports.Stream({ stream: opts.stream }) : new winston.transports.Console();
  return winston.createLogger({
    level: opts.level,
    defaultMeta: opts.defaultMeta,
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    transports: [transport],
  });
}
