import http from 'node:http';
import express from 'express';

/**
 * The floor for scripts/bench/status: a bare Express app in a process of its own that answers
 * POST /api/status after express.json() with a constant body shaped like a real answer, so the
 * same load generator measures it exactly as it measures the real API. No database, Redis,
 * session, rate limit or logging: what is left is Node's HTTP, Express routing and JSON.
 */
const answer = {
  items: [{ kind: 'device', firstName: 'Anna', status: 'approved', steps: [{ status: 'registered', date: '2025-01-01' }, { status: 'approved', date: '2025-01-02' }], details: { deviceType: 'laptop', deliveryMethod: 'pickup' } }],
};

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '100kb' }));
app.post('/api/status', (_req, res) => {
  res.json(answer);
});
app.get('/readyz', (_req, res) => {
  res.json({ ok: true });
});

const server = http.createServer(app);
// As in src/server.ts, so keep-alive connections behave alike.
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
