import type { ChannelName } from '../model.ts';

/** What a channel is given: the message's own id (for the provider's reference), address and text. */
export type Outgoing = { id: string; to: string; subject: string; body: string };

/** `delivered` when the channel already knows the message arrived; otherwise it was only accepted. */
export type SendResult = { providerId: string | null; delivered: boolean };

/**
 * A way to send: SMTP, an SMS provider, or the outbox. Failures throw DeliveryFailed saying whether
 * to retry, whether the address is wrong, and whether the message may have gone out anyway.
 */
export interface Channel {
  readonly name: ChannelName;
  send(message: Outgoing): Promise<SendResult>;
  close(): Promise<void>;
}

/** The channels this process has: SMTP and SMS when configured; the outbox always. */
export type Channels = Partial<Record<ChannelName, Channel>>;
