import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { resolveConnections, type Connections } from './infra/connections.ts';

/**
 * Start-up shared by the entry points (API, worker, CLI): parse the environment, make a logger,
 * resolve the database and Redis. A configuration error ends the process with the message alone.
 */
export async function bootstrap(name: string, opts: { needRedis?: boolean; logToStderr?: boolean } = {}): Promise<{ config: Config; logger: Logger; connections: Connections }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(opts.logToStderr ? 'warn' : config.logLevel, name, opts.logToStderr);
  try {
    const connections = await resolveConnections(config, opts);
    return { config, logger, connections };
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}

/** Runs `close` once on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function onShutdown(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => handler('SIGTERM'));
  process.on('SIGINT', () => handler('SIGINT'));
}
