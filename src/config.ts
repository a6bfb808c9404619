import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: embedded defaults (data, tools) live beside the code. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`)
    .optional();

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MONGODB_URI: optionalUrl(['mongodb:', 'mongodb+srv:']),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, '.data')),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v) => (v === 'true' ? 1 : v === 'false' ? false : Number(v)))
    .refine((v) => v === false || (Number.isInteger(v) && v >= 0), 'must be true, false or a hop count'),
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  SIGNIN_LIMIT_PER_IP: z.coerce.number().int().positive().default(30),
  SIGNIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  STATUS_LIMIT_PER_IP: z.coerce.number().int().positive().default(20),
  STATUS_LIMIT_PER_CODE: z.coerce.number().int().positive().default(10),
  DEVICE_LOAN_DAYS: z.coerce.number().int().positive().default(92),
  DEVICE_STALE_STOCK_DAYS: z.coerce.number().int().positive().default(14),
  DASHBOARD_REFRESH_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  PERSONAL_CODE_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(200_000),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().trim().min(3).default('Izglītības pārvalde <no-reply@localhost>'),
  SMS_URL: optionalUrl(['http:', 'https:']),
  SMS_TOKEN: z.string().min(1).optional(),
  SMS_SENDER: z.string().trim().min(1).max(11).default('Izglitiba'),
  SMS_PER_SECOND: z.coerce.number().int().positive().default(10),
  SMS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SMS_RECEIPT_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  NOTIFY_RETRY_MS: z.coerce.number().int().positive().default(30_000),
  NOTIFY_IMPORT_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  FERRETDB_POSTGRESQL_URL: z.union([z.literal('none'), optionalUrl(['postgres:', 'postgresql:'])]).optional(),
});

/** The PostgreSQL on these machines: FerretDB makes a database of its own there per DATA_DIR. */
export const defaultPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  mongodbUri: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  sessionSecret: string | undefined;
  logLevel: string;
  trustProxy: number | false;
  publicUrl: string | undefined;
  limits: { signinPerIp: number; signinPerAccount: number; statusPerIp: number; statusPerCode: number };
  devices: { loanDays: number; staleStockDays: number };
  /** How often the worker counts the dashboard's figures again. */
  dashboardRefreshSeconds: number;
  personalCodeKey: string | undefined;
  imports: { maxBytes: number; maxRows: number };
  /** Channels left undefined are not configured: their messages go to the outbox. */
  notifications: {
    smtpUrl: string | undefined;
    mailFrom: string;
    sms: { url: string; token: string; sender: string; perSecond: number; timeoutMs: number } | undefined;
    smsReceiptToken: string | undefined;
    attempts: number;
    retryMs: number;
    /** How long new events may wait for running imports before their messages are made anyway. */
    importWaitMs: number;
  };
  /** Where the embedded FerretDB stores its data; null: SQLite under DATA_DIR. */
  ferretdbPostgresUrl: string | null;
};

/** Thrown when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; a missing or malformed setting stops start-up naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`MONGODB_URI=`) means unset, as it does for most tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.SMS_URL && !e.SMS_TOKEN) throw new ConfigError('Invalid configuration:\n  SMS_TOKEN: required when SMS_URL is set');
  // Several API processes must sign cookies alike; a secret kept in one machine's DATA_DIR cannot be that.
  for (const name of ['SESSION_SECRET', 'PERSONAL_CODE_KEY'] as const) {
    if (e.NODE_ENV === 'production' && !e[name]) throw new ConfigError(`Invalid configuration:\n  ${name}: required when NODE_ENV=production`);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL,
    limits: {
      signinPerIp: e.SIGNIN_LIMIT_PER_IP,
      signinPerAccount: e.SIGNIN_LIMIT_PER_ACCOUNT,
      statusPerIp: e.STATUS_LIMIT_PER_IP,
      statusPerCode: e.STATUS_LIMIT_PER_CODE,
    },
    devices: { loanDays: e.DEVICE_LOAN_DAYS, staleStockDays: e.DEVICE_STALE_STOCK_DAYS },
    dashboardRefreshSeconds: e.DASHBOARD_REFRESH_SECONDS,
    personalCodeKey: e.PERSONAL_CODE_KEY,
    imports: { maxBytes: e.IMPORT_MAX_BYTES, maxRows: e.IMPORT_MAX_ROWS },
    notifications: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      sms: e.SMS_URL ? { url: e.SMS_URL, token: e.SMS_TOKEN ?? '', sender: e.SMS_SENDER, perSecond: e.SMS_PER_SECOND, timeoutMs: e.SMS_TIMEOUT_MS } : undefined,
      smsReceiptToken: e.SMS_RECEIPT_TOKEN,
      attempts: e.NOTIFY_ATTEMPTS,
      retryMs: e.NOTIFY_RETRY_MS,
      importWaitMs: e.NOTIFY_IMPORT_WAIT_SECONDS * 1000,
    },
    ferretdbPostgresUrl: e.FERRETDB_POSTGRESQL_URL === 'none' ? null : (e.FERRETDB_POSTGRESQL_URL ?? defaultPostgresUrl),
  };
}

/** The environment for a child process of ours (the supervisor passes resolved connections on). */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
