import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config/index.js';
import { ImpossibleEventError } from '../errors/index.js';
import { sagaEvent } from '../events/fixtures.js';
import { serviceSettingsSchema } from '../service/index.js';
import { type ServiceUnderTest, startServiceUnderTest } from './service-under-test.js';

describe('service under test', () => {
  let service: ServiceUnderTest;

  before(async () => {
    service = await startServiceUnderTest({
      define: (env) => ({
        name: 'refuser',
        consumes: ['order.canceled'],
        settings: loadConfig(serviceSettingsSchema, { env }),
        port: 0,
        build: () => ({
          handlers: {
            'order.canceled': async () => {
              throw new ImpossibleEventError('no such order');
            },
          },
        }),
      }),
    });
  });

  after(() => service?.stop());

  // Without the dead letter, apply would fail only at its timeout, with another message.
  it('fails apply as soon as the event is dead-lettered, with the topic, event and reason', async () => {
    const event = sagaEvent('order.canceled');
    await assert.rejects(service.apply('order.canceled', event), {
      message: `order.canceled event ${event.eventId} was dead-lettered: ImpossibleEventError: no such order`,
    });
  });
});
