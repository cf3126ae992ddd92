export { contractTopics, dlqTopic, retryTopic, SERVICES, type ServiceName } from './contract.js';
export { type ProvisionOptions, type ProvisionResult, provisionTopics } from './provision.js';
