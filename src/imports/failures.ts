/**
 * Failures worth another go: a technical one (the database or Redis away through all the retries).
 * A file the service could not read fails the same way every time; it needs a corrected upload.
 */
export const retryableFailure = (code: string | null | undefined) => code === 'internal';
