import { manifest as delivery } from '@saga/delivery-service/manifest';
import { manifest as inventory } from '@saga/inventory-service/manifest';
import { manifest as order } from '@saga/order-service/manifest';
import { manifest as payment } from '@saga/payment-service/manifest';

/**
 * The services of the platform, each as its own package declares itself (its name and what it
 * consumes): the one list of them that the harnesses, the demo and the benchmarks start and check.
 */
export const SERVICES = [order, payment, inventory, delivery] as const;
export type ServiceName = (typeof SERVICES)[number]['name'];
export const SERVICE_NAMES: readonly ServiceName[] = SERVICES.map(({ name }) => name);
