import pg from 'pg';
import { SERVICE_NAMES, type ServiceName } from '../services.js';

/** One read-only pool per service database: the harness reads what each service wrote. */
export type PlatformDatabases = Record<ServiceName, pg.Pool> & { close(): Promise<void> };

export function connectPlatformDatabases(urls: Record<ServiceName, string>): PlatformDatabases {
  const pools = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const pool = new pg.Pool({ connectionString: urls[name], max: 2 });
      pool.on('error', () => {});
      return [name, pool];
    }),
  ) as Record<ServiceName, pg.Pool>;
  return {
    ...pools,
    close: async () => {
      await Promise.all(Object.values(pools).map((pool) => pool.end()));
    },
  };
}
