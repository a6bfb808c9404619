/**
 * How the HTTP side hands an import to the background worker. The entry point (server.ts) wires it
 * to the BullMQ queue in jobs/queues.ts, so src/ never depends on jobs/. The payload is the id only.
 */
export type ImportQueue = { enqueueImport(importId: string): Promise<void> };
