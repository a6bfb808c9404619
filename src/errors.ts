/**
 * The one error family. `code` is stable (tests, clients and i18n keys rely on it); `expose` says
 * whether the message may be shown to the caller. Messages are i18n keys under `errors.`.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly expose: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message?: string, details?: Record<string, unknown>) {
    super(message ?? code);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.expose = status < 500;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(code = 'invalid_input', message?: string, details?: Record<string, unknown>) {
    super(400, code, message, details);
  }
}
export class Unauthenticated extends AppError {
  constructor(code = 'unauthenticated', message?: string) {
    super(401, code, message);
  }
}
export class Forbidden extends AppError {
  constructor(code = 'forbidden', message?: string) {
    super(403, code, message);
  }
}
export class NotFound extends AppError {
  constructor(code = 'not_found', message?: string) {
    super(404, code, message);
  }
}
export class Conflict extends AppError {
  constructor(code = 'conflict', message?: string, details?: Record<string, unknown>) {
    super(409, code, message, details);
  }
}
export class TooManyRequests extends AppError {
  constructor(code = 'too_many_requests', message?: string) {
    super(429, code, message);
  }
}
export class Unavailable extends AppError {
  constructor(code = 'unavailable', message?: string) {
    super(503, code, message);
  }
}

/**
 * A message that a channel (SMTP server, SMS provider) did not take. `permanent` stops the retries
 * at once; `contactProblem` says the address itself is wrong (a bounce, an invalid number), which
 * becomes a task to fix the contact; `outcomeUnknown` says it may have gone out, so it must not be
 * resent by itself.
 */
export class DeliveryFailed extends AppError {
  readonly permanent: boolean;
  readonly contactProblem: boolean;
  readonly outcomeUnknown: boolean;
  constructor(code: string, message: string, opts: { permanent?: boolean; contactProblem?: boolean; outcomeUnknown?: boolean } = {}) {
    super(502, code, message);
    this.permanent = opts.permanent ?? false;
    this.contactProblem = opts.contactProblem ?? false;
    this.outcomeUnknown = opts.outcomeUnknown ?? false;
  }
}
