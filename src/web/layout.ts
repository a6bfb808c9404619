import type { Request } from 'express';
import { html, type Html } from './html.ts';
import { languages, translator, type Lang } from '../i18n/index.ts';
import type { Actor } from '../auth/actor.ts';

export type PageContext = { lang: Lang; actor: Actor | undefined; csrfToken: () => string | undefined; path: string };

/**
 * What every page needs from the request: language, who is signed in, current path, and the CSRF
 * token, made only when a page has a form (so a plain visit starts no session).
 */
export function pageContext(req: Request): PageContext {
  const csrfToken = () => (typeof req.csrfToken === 'function' && req.session ? req.csrfToken() : undefined);
  return { lang: req.lang, actor: req.user, csrfToken, path: req.originalUrl };
}

function navItems(ctx: PageContext): Array<{ href: string; key: string }> {
  if (!ctx.actor) return [{ href: '/status', key: 'nav.status' }];
  if (ctx.actor.role === 'coordinator') {
    return [
      { href: '/dashboard', key: 'nav.dashboard' },
      { href: '/pupils', key: 'nav.children' },
      { href: '/institutions', key: 'nav.institutions' },
      { href: '/devices', key: 'nav.devices' },
      { href: '/kindergartens', key: 'nav.kindergartens' },
      { href: '/foodcards', key: 'nav.foodcards' },
      { href: '/reports', key: 'nav.reports' },
      { href: '/imports', key: 'nav.imports' },
      { href: '/notifications', key: 'nav.messages' },
      { href: '/users', key: 'nav.users' },
      { href: '/audit', key: 'nav.audit' },
    ];
  }
  return [
    { href: '/dashboard', key: 'nav.dashboard' },
    { href: '/pupils', key: 'nav.children' },
    { href: `/institutions/${encodeURIComponent(ctx.actor.institutionCode ?? '')}`, key: 'nav.myInstitution' },
    { href: '/devices', key: 'nav.devices' },
    // The actor does not know its institution's type, so every head sees this; /kindergartens
    // tells the head of a school that it is for kindergartens.
    { href: '/kindergartens', key: 'nav.kindergartens' },
    { href: '/foodcards', key: 'nav.foodcards' },
    { href: '/imports', key: 'nav.imports' },
  ];
}

/** A hidden CSRF field for forms that change something. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken() ?? ''}">`;
}

/** The page frame: header with navigation per role, language switch, sign-in or sign-out, main content. */
export function layout(ctx: PageContext, title: string, body: Html, head: Html | string = ''): Html {
  const t = translator(ctx.lang);
  const here = encodeURIComponent(ctx.path);
  const path = ctx.path.split('?')[0] ?? ctx.path;
  const current = (href: string) => path === href || (href !== '/' && path.startsWith(href + '/'));
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t('app.name')}</title>
<link rel="stylesheet" href="/assets/app.css">
${head}
</head>
<body>
<a class="skip" href="#main">${t('app.skipToContent')}</a>
<header class="top">
  <a class="brand" href="${ctx.actor ? '/dashboard' : '/'}">${t('app.name')}</a>
  <nav aria-label="${t('nav.main')}">
    <ul>${navItems(ctx).map(
      (i) => html`<li><a href="${i.href}"${current(i.href) ? html` aria-current="page"` : ''}>${t(i.key)}</a></li>`,
    )}</ul>
  </nav>
  <div class="tools">
    <ul class="langs" aria-label="${t('app.language')}">${languages.map(
      (l) => html`<li><a href="/lang/${l}?next=${here}" lang="${l}" hreflang="${l}"${l === ctx.lang ? html` aria-current="true"` : ''} data-lang="${l}">${l.toUpperCase()}</a></li>`,
    )}</ul>
    ${ctx.actor
      ? html`<form method="post" action="/signout" class="signout">${csrfField(ctx)}<span class="who">${ctx.actor.name || ctx.actor.email} · ${t(`roles.${ctx.actor.role}`)}</span> <button type="submit">${t('nav.signOut')}</button></form>`
      : html`<a class="button" href="/signin">${t('nav.signIn')}</a>`}
  </div>
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
<footer>${t('app.footer')}</footer>
</body>
</html>`;
}
