import type request from 'supertest';

type Parser = Parameters<request.Test['parse']>[0];

/**
 * A response body as bytes, for downloads (workbooks); supertest parses only text and JSON by
 * itself. Use with `.buffer(true).parse(bytes)`.
 */
export const bytes: Parser = (res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
