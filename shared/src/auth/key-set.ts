import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';

/** A token naming an unknown key re-reads the file at most this often: rotation without restart. */
const FILE_RELOAD_COOLDOWN_MS = 5_000;

/**
 * The keys tokens are verified with. A URL is fetched when first needed, cached, and fetched
 * again when a token names a key id it does not hold (jose's remote key set). A file is read the
 * same way, so a key added to it during a rotation is picked up without a restart.
 */
export function keySet(
  source: { url: URL } | { file: string },
  reloadCooldownMs = FILE_RELOAD_COOLDOWN_MS,
): JWTVerifyGetKey {
  if ('url' in source) return createRemoteJWKSet(source.url, { timeoutDuration: 2_000 });
  const load = async () =>
    createLocalJWKSet(JSON.parse(await readFile(source.file, 'utf8')) as JSONWebKeySet);
  let loaded = load();
  let loadedAt = Date.now();
  return async (header, token) => {
    try {
      return await (await loaded)(header, token);
    } catch (error) {
      const stale = Date.now() - loadedAt >= reloadCooldownMs;
      if (!(error instanceof errors.JWKSNoMatchingKey) || !stale) throw error;
      loaded = load();
      loadedAt = Date.now();
      return (await loaded)(header, token);
    }
  };
}
