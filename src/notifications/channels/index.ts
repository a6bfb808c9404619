import type { Config } from '../../config.ts';
import { emailChannel } from './email.ts';
import { outboxChannel } from './outbox.ts';
import { smsChannel } from './sms.ts';
import type { Channels } from './types.ts';

/** The channels the configuration names; the outbox is always there. */
export function channelsFromConfig(n: Config['notifications']): Channels {
  return {
    outbox: outboxChannel(),
    ...(n.smtpUrl ? { email: emailChannel(n.smtpUrl, n.mailFrom) } : {}),
    ...(n.sms ? { sms: smsChannel(n.sms) } : {}),
  };
}

/** Which channels exist, as building messages needs to know. */
export function configuredChannels(n: Config['notifications']): { email: boolean; sms: boolean } {
  return { email: !!n.smtpUrl, sms: !!n.sms };
}

/** Where the links in messages point: PUBLIC_URL, else this machine's own address. */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  return (config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`).replace(/\/+$/, '');
}
