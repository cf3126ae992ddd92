import { defineConfig } from 'drizzle-kit';

// The platform's own tables (outbox, inbox): every service applies these migrations before its
// own, which hold its business tables alone (see applyMigrations).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
