export { createKafkaClient, type KafkaClientConfig } from './client.js';
export { createPublisher, type OutgoingMessage, type Publisher } from './publisher.js';
