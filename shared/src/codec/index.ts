export { type AvroCodecOptions, createAvroCodec } from './avro-codec.js';
export type { EventCodec } from './event-codec.js';
export { defaultRegistrationRetry, type RegistrationRetry } from './register-schemas.js';
