import { pino, destination, type Logger } from 'pino';

/**
 * Paths never written to logs: credentials, cookies and anything that may carry a child's
 * personal code. Later domains add their fields here rather than trusting call sites.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'personalCode',
  '*.personalCode',
  'token',
  '*.token',
];

/** Creates the process logger; `base` names the process (api, worker, cli). */
export function createLogger(level: string, name: string, toStderr = false): Logger {
  const options = { level, name, redact: { paths: redactPaths, censor: '[redacted]' } };
  // The CLI prints its results on stdout (token:create's token on the last line), so its logs go to stderr.
  return toStderr ? pino(options, destination(2)) : pino(options);
}

export type { Logger };
