import type { Channel } from './types.ts';

/**
 * With neither SMTP nor SMS configured (the embedded default), messages stop here: the message
 * record itself is the outbox, which coordinators read in the web pages.
 */
export function outboxChannel(): Channel {
  return { name: 'outbox', send: async () => ({ providerId: null, delivered: false }), close: async () => {} };
}
