import { UndecodableEventError } from '../errors/index.js';

const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5; // magic byte + 4-byte big-endian schema id

/** Splits a Confluent wire-format value into its schema id and Avro body. */
export function readWireFormat(topic: string, bytes: unknown): { schemaId: number; body: Buffer } {
  if (!Buffer.isBuffer(bytes) || bytes.length < HEADER_LENGTH) {
    throw new UndecodableEventError(
      `${topic} value is not in the Confluent wire format (too short)`,
    );
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new UndecodableEventError(`${topic} value starts with unknown magic byte ${bytes[0]}`);
  }
  return { schemaId: bytes.readInt32BE(1), body: bytes.subarray(HEADER_LENGTH) };
}
