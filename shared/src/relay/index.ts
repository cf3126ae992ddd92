export { createRelay, type Relay, type RelayConfig } from './relay.js';
