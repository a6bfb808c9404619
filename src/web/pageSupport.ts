import type { Request, Response } from 'express';
import { translator } from '../i18n/index.ts';
import type { Html } from './html.ts';
import { layout, pageContext } from './layout.ts';
import type { FormError, View } from './forms.ts';

/** The page context and translator of a request. */
export function viewOf(req: Request): View {
  const ctx = pageContext(req);
  return { ctx, t: translator(ctx.lang) };
}

/** Sends a whole page in the layout. */
export function send(res: Response, v: View, title: string, body: Html, status = 200): void {
  res.status(status).type('html').send(layout(v.ctx, title, body).value);
}

export const ip = (req: Request) => req.ip ?? null;

/** A refusal the page itself makes (a day that cannot be read, a line without a name). */
export const pageNote = (message: string, code = 'invalid_input', fields: string[] = []): FormError => ({ status: 400, code, message, fields });

/**
 * An error's fields renamed from the service's paths (`groups.2.present`) to the form's own
 * field names, so the right inputs are marked; paths the form does not know are dropped.
 */
export function renameFields(error: FormError, rename: (field: string) => string | null): FormError {
  return { ...error, fields: [...new Set(error.fields.map(rename).filter((f): f is string => !!f))] };
}
