import { runService } from '@saga/shared/service';
import { loadServiceConfig } from './config.js';
import { createDefinition } from './service.js';

await runService(createDefinition(loadServiceConfig()));
