import { Router } from 'express';
import type { DeviceSettings } from './settings.ts';

/** The device pages (needs, stock, allocation, deliveries, returns, hand-over, loan agreement). */
export function devicePages(_settings: DeviceSettings): Router {
  return Router();
}
