import { Router, type RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import { languages, toLang } from '../i18n/index.ts';

export const languageCookie = 'lang';

/** Reads the remembered language from its cookie; Latvian when none is set. */
export const detectLanguage: RequestHandler = (req, _res, next) => {
  const cookies = parseCookie(req.headers.cookie ?? '');
  req.lang = toLang(cookies[languageCookie]);
  next();
};

/** Only same-site relative paths, so the switch cannot be used to send people elsewhere. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/** GET /lang/:lang remembers the choice for a year and returns to the page the reader was on. */
export function languageRoutes(secureCookies: boolean | 'auto'): Router {
  const router = Router();
  router.get('/lang/:lang', (req, res) => {
    const lang = String(req.params.lang);
    if (languages.includes(lang as never)) {
      res.cookie(languageCookie, lang, {
        maxAge: 365 * 24 * 3600 * 1000,
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies === 'auto' ? req.secure : secureCookies,
        path: '/',
      });
    }
    res.redirect(303, safeNext(req.query.next));
  });
  return router;
}
