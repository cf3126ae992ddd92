import { defineConfig } from 'drizzle-kit';

// The service's business tables alone: the platform migrates its outbox and inbox itself.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
