import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import './http/types.ts';
import { securityHeaders } from './http/security.ts';
import { detectLanguage, languageRoutes } from './http/language.ts';
import { requireDependencies } from './http/dependencies.ts';
import { errorHandler, notFoundHandler } from './http/errorHandler.ts';
import { healthRoutes } from './ops/health.ts';
import { sessionMiddleware } from './auth/session.ts';
import { authenticate } from './auth/passport.ts';
import { csrfGuard } from './auth/csrf.ts';
import { signinLimiters, statusLimiters } from './auth/rateLimit.ts';
import { sessionApiRoutes } from './auth/routes.ts';
import { authPages } from './auth/pages.ts';
import { institutionApiRoutes } from './institutions/routes.ts';
import { institutionPages } from './institutions/pages.ts';
import { userApiRoutes } from './users/routes.ts';
import { userPages } from './users/pages.ts';
import { auditRoutes } from './audit/routes.ts';
import { statusApiBeforeSession, statusRoutes } from './status/routes.ts';
import { dashboardPages } from './dashboard/pages.ts';
import { childRoutes } from './pupils/routes.ts';
import { homePages } from './web/pages.ts';
import { importApiRoutes } from './imports/routes.ts';
import { importPages } from './imports/pages.ts';
import { needApiRoutes } from './devices/routes.ts';
import { stockApiRoutes } from './devices/stockRoutes.ts';
import { allocationApiRoutes } from './devices/allocationRoutes.ts';
import { devicePages } from './devices/pages.ts';
import { deviceStatusLookup } from './devices/statusLookup.ts';
import type { DeviceSettings } from './devices/settings.ts';
import { registerStatusLookup } from './status/registry.ts';
import { resolvePersonalCodeKey } from './infra/secrets.ts';
import type { ImportQueue } from './imports/jobs.ts';
import { kindergartenApiRoutes } from './kindergartens/routes.ts';
import { foodPeriodApiRoutes } from './foodcards/routes.ts';
import { foodCardApiRoutes } from './foodcards/cardRoutes.ts';
import { foodCardStatusLookup } from './foodcards/statusLookup.ts';
import { foodCardCodeDomain } from './foodcards/referenceCode.ts';
import { foodcardPages } from './foodcards/pages.ts';
import { familyStatusApiRoutes } from './foodcards/statusRoutes.ts';
import { familyStatusPages } from './foodcards/statusPages.ts';
import { kindergartenStatusLookup } from './kindergartens/statusLookup.ts';
import { placementCodeDomain } from './kindergartens/referenceCode.ts';
import { deviceCodeDomain } from './devices/referenceCode.ts';
import { kindergartenPages } from './kindergartens/pages.ts';
import type { MessageQueue, NotifyDeps } from './notifications/deps.ts';
import { configuredChannels, publicBaseUrl } from './notifications/channels/index.ts';
import { notificationApiRoutes } from './notifications/routes.ts';
import { notificationPages } from './notifications/pages.ts';
import { optOutPages } from './notifications/optOutPages.ts';
import { deviceListExports } from './devices/listExports.ts';
import { kindergartenListExports } from './kindergartens/listExports.ts';
import { foodcardListExports } from './foodcards/listExports.ts';
import { notificationListExports } from './notifications/listExports.ts';
import { reportPages } from './reports/pages.ts';

export type AppDeps = { config: Config; redis: Redis; redisPrefix: string; sessionSecret: string; logger: Logger; importQueue: ImportQueue; messageQueue: MessageQueue };

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'web', 'assets');

/** Builds the Express app (no listen): API, pages and the public area. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, redisPrefix, logger } = deps;
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');

  app.use(securityHeaders());
  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || (req.url ?? '').startsWith('/assets/') },
      // Only the path: query strings may one day carry search terms about children.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(detectLanguage);
  app.use('/assets', express.static(assetsDir, { maxAge: '1h', index: false }));
  app.use(healthRoutes(redis));

  app.use(requireDependencies(redis));
  app.use(express.json({ limit: '100kb' }));
  // The parents' JSON status lookup without a session cookie or bearer token is answered before
  // the session, passport and CSRF layers, which do nothing for it but cost CPU on every lookup
  // (see statusApiBeforeSession); any other request to it takes the usual way through statusRoutes.
  const statusLimits = statusLimiters(redis, redisPrefix, config.limits.statusPerIp, config.limits.statusPerCode);
  app.use(statusApiBeforeSession(statusLimits));
  app.use(authenticate(sessionMiddleware(redis, redisPrefix, deps.sessionSecret)));
  // Device forms that carry a whole list (an allocation proposal, a shipment typed in, many ticked
  // needs) and a kindergarten's daily return (every group, each child ticked) get a larger body
  // and parameter allowance, only once the sender is known to be staff; the general parser below
  // then skips them. Both run before the CSRF check, which reads `_csrf`.
  const listForms = express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 50_000 });
  app.use(['/devices/allocation/confirm', '/devices/shipments', '/devices/approve', '/devices/deliveries', '/kindergartens/:code/attendance'], (req, res, next) =>
    req.user ? listForms(req, res, next) : next(),
  );
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(csrfGuard);

  const signinLimits = signinLimiters(redis, redisPrefix, config.limits.signinPerIp, config.limits.signinPerAccount);
  app.use(languageRoutes('auto'));
  app.use(sessionApiRoutes(signinLimits));
  app.use(authPages(signinLimits));
  registerStatusLookup('device', deviceCodeDomain, deviceStatusLookup);
  registerStatusLookup('kindergarten', placementCodeDomain, kindergartenStatusLookup);
  registerStatusLookup('foodcard', foodCardCodeDomain, foodCardStatusLookup);
  app.use(statusRoutes(statusLimits));
  const devices: DeviceSettings = {
    personalCodeKey: resolvePersonalCodeKey(config.personalCodeKey, config.dataDir),
    loanDays: config.devices.loanDays,
    staleStockDays: config.devices.staleStockDays,
  };
  app.use(homePages());
  // List exports (`<list path>.xlsx`) before the pages: `/kindergartens/:code` would take `requests.xlsx`.
  app.use(deviceListExports());
  app.use(kindergartenListExports());
  app.use(foodcardListExports());
  app.use(notificationListExports());
  app.use(reportPages());
  app.use(dashboardPages({ redis, redisPrefix, staleStockDays: devices.staleStockDays }));
  app.use(childRoutes({ personalCodeKey: devices.personalCodeKey }));
  app.use(institutionApiRoutes());
  app.use(institutionPages());
  app.use(userApiRoutes());
  app.use(userPages());
  app.use(auditRoutes({ personalCodeKey: devices.personalCodeKey }));
  app.use(importApiRoutes(deps.importQueue, config.imports.maxBytes));
  app.use(importPages(deps.importQueue, config.imports.maxBytes));
  app.use(needApiRoutes(devices));
  app.use(stockApiRoutes(devices));
  app.use(allocationApiRoutes(devices));
  app.use(devicePages(devices));
  app.use(kindergartenApiRoutes({ personalCodeKey: devices.personalCodeKey }));
  app.use(foodPeriodApiRoutes());
  app.use(foodCardApiRoutes());
  app.use(foodcardPages());
  app.use(familyStatusApiRoutes({ personalCodeKey: devices.personalCodeKey }));
  app.use(familyStatusPages({ personalCodeKey: devices.personalCodeKey }));
  app.use(kindergartenPages({ personalCodeKey: devices.personalCodeKey }));
  const notify: NotifyDeps = {
    key: devices.personalCodeKey,
    baseUrl: publicBaseUrl(config),
    configured: configuredChannels(config.notifications),
    queue: deps.messageQueue,
    now: () => new Date(),
  };
  app.use(notificationApiRoutes(notify, config.notifications.smsReceiptToken));
  app.use(notificationPages(notify));
  app.use(optOutPages());

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
