import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on a free port that accepts everything and counts what arrives: per
 * Message-ID header and per recipient, with the time of the latest message. Only the headers are
 * read, so the sink costs little next to the sender it measures.
 */
export async function startSmtpSink() {
  const byMessageId = new Map<string, number>();
  const byRecipient = new Map<string, number>();
  const counts = { received: 0, lastAt: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    // The sender's pool keeps a few connections open; allow more than it will ever use.
    maxClients: 1000,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        // Long headers are folded onto several lines; unfold them before reading.
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const messageId = /^Message-ID:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
        byMessageId.set(messageId, (byMessageId.get(messageId) ?? 0) + 1);
        for (const r of session.envelope.rcptTo) {
          const to = r.address.toLowerCase();
          byRecipient.set(to, (byRecipient.get(to) ?? 0) + 1);
        }
        counts.received++;
        counts.lastAt = performance.now();
        cb();
      });
    },
  });
  // A client that resets its connection must not throw out of the benchmark.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    byMessageId,
    byRecipient,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
