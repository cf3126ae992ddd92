export { contractTopics, dlqTopic, retryTopic } from './contract.js';
export { type ProvisionOptions, type ProvisionResult, provisionTopics } from './provision.js';
