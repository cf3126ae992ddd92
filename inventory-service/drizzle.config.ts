import { defineConfig } from 'drizzle-kit';

// The inventory tables plus the platform's outbox and inbox, in one migration history.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/schema.ts', '../shared/src/db/schema.ts'],
  out: './drizzle',
});
