import { z } from 'zod';
import type { OrderPosition } from '../db/orders.js';
import { badCursor } from './problems.js';

const positionSchema = z.strictObject({ createdAt: z.iso.datetime(), id: z.uuid() });

/** Opaque to clients: base64url of the last row's position, where the next page starts. */
export function encodeCursor(position: OrderPosition): string {
  const json = JSON.stringify({ createdAt: position.createdAt.toISOString(), id: position.id });
  return Buffer.from(json).toString('base64url');
}

/** Throws a 400 problem naming `cursor` for anything encodeCursor did not produce. */
export function decodeCursor(cursor: string): OrderPosition {
  try {
    const parsed = positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return { createdAt: new Date(parsed.createdAt), id: parsed.id };
  } catch {
    throw badCursor();
  }
}
