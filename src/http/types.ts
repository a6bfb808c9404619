import type { Lang } from '../i18n/index.ts';

declare global {
  namespace Express {
    interface Request {
      /** The reader's language (cookie `lang`, Latvian by default). */
      lang: Lang;
      /** How the request was authenticated, when it was. */
      authVia?: 'session' | 'token';
      /** Set by the CSRF guard on requests that carry a session. */
      csrfToken?: (overwrite?: boolean) => string;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    /** The reference codes a parent has checked on this device, so one page shows all of them. */
    statusCodes?: string[];
  }
}

export {};
