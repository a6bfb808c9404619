import type { Express } from 'express';

export type RouteEntry = { method: string; path: string; roles: readonly string[] | null };

type Layer = {
  route?: { path: string; methods: Record<string, boolean>; stack: Array<{ handle: { access?: { roles: readonly string[] } } }> };
  handle: { stack?: Layer[] };
};

/**
 * Walks the app's real route table (routers mounted without a path, as app.ts does), returning
 * every method and path with the roles its access marker allows (null when it has none).
 */
export function listRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const marker = layer.route.stack.map((l) => l.handle.access).find(Boolean);
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: layer.route.path, roles: marker?.roles ?? null });
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}
