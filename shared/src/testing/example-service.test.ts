// A fifth service built from the platform's public entries alone, held to the same conformance
// suite as the four: it prints a shipping label once stock is reserved and voids it when the
// order is canceled, whichever comes first.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@saga/shared/config';
import type { EventHandler } from '@saga/shared/consumer';
import { newEventId } from '@saga/shared/outbox';
import { type ServiceDefinition, serviceSettingsSchema } from '@saga/shared/service';
import { describeConformance, sagaEvent, startServiceUnderTest } from '@saga/shared/testing';
import { sql } from 'drizzle-orm';

const manifest = { name: 'example', consumes: ['stock.reserved', 'order.canceled'] } as const;

const onStockReserved: EventHandler<'stock.reserved'> = async (event, { tx, emit }) => {
  const deliveryId = newEventId();
  const printed = await tx.execute(
    sql`INSERT INTO labels (order_id, status, delivery_id)
        VALUES (${event.orderId}, 'PRINTED', ${deliveryId})
        ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
  );
  if (printed.rows.length === 0) return; // printed or voided already
  await emit([
    {
      topic: 'delivery.started',
      value: {
        eventId: newEventId(),
        orderId: event.orderId,
        occurredAt: Date.now(),
        causationId: event.eventId,
        deliveryId,
        postalCode: event.shippingAddress.postalCode,
      },
    },
  ]);
};

const onOrderCanceled: EventHandler<'order.canceled'> = async (event, { tx }) => {
  await tx.execute(
    sql`INSERT INTO labels (order_id, status, delivery_id)
        VALUES (${event.orderId}, 'VOID', ${newEventId()})
        ON CONFLICT (order_id) DO UPDATE SET status = 'VOID' WHERE labels.status <> 'VOID'`,
  );
};

function defineExample(env: NodeJS.ProcessEnv): ServiceDefinition {
  const settings = loadConfig(serviceSettingsSchema, { env });
  return {
    ...manifest,
    settings,
    port: 0,
    migrationsFolder: fileURLToPath(new URL('./example-service', import.meta.url)),
    build: () => ({
      handlers: { 'stock.reserved': onStockReserved, 'order.canceled': onOrderCanceled },
    }),
  };
}

describeConformance({
  manifest,
  start: () => startServiceUnderTest({ define: defineExample }),
  events: {
    'stock.reserved': () => sagaEvent('stock.reserved'),
    'order.canceled': () => sagaEvent('order.canceled'),
  },
  async state(service, orderId) {
    const { rows } = await service.database.pool.query(
      'SELECT status FROM labels WHERE order_id = $1',
      [orderId],
    );
    return rows;
  },
  saga() {
    const orderId = newEventId();
    return [
      { topic: 'stock.reserved', value: sagaEvent('stock.reserved', orderId) },
      { topic: 'order.canceled', value: sagaEvent('order.canceled', orderId) },
    ];
  },
});
