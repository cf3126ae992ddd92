import type { Logger } from '@saga/shared/logger';
import { jsonBody } from '@saga/shared/service/request-faults';
import { Router } from 'express';
import type { Blackhole } from './blackhole.js';
import type { Gateway } from './gateway.js';
import { knobsPatchSchema } from './knobs.js';
import { parseRequest } from './requests.js';

/** Knobs and counters for tests and the chaos harness; never affected by the outage or blackhole. */
export function adminRouter(gateway: Gateway, blackhole: Blackhole, logger: Logger): Router {
  const router = Router();
  router.use(jsonBody('16kb'));

  router.get('/config', (_req, res) => {
    res.json(gateway.knobs.current());
  });

  router.put('/config', (req, res) => {
    const knobs = gateway.knobs.update(parseRequest(knobsPatchSchema, req.body, 'body'));
    // Swallowed calls end with the episode, as connections a real gateway dropped would.
    if (!knobs.blackhole) blackhole.release();
    logger.info({ knobs }, 'knobs changed');
    res.json(knobs);
  });

  router.get('/stats', (_req, res) => {
    res.json(gateway.stats());
  });

  return router;
}
