import { TransientError } from '@saga/shared/errors';

/** The gateway gave no usable answer (timeout, connection error, 5xx, open circuit). */
export class GatewayUnavailableError extends TransientError {}
