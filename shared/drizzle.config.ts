import { defineConfig } from 'drizzle-kit';

// Migrations of the platform tables alone, used by shared's own tests. Services generate theirs
// from these tables plus their business tables.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
