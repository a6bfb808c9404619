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
