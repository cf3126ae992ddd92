import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenIssuer, readSigningKey } from '@saga/shared/auth';

/** A value that must never reach a log, with what it is for the assertion message. */
export interface Secret {
  what: string;
  value: string;
}

/** A secret unlikely to occur anywhere by chance: `<prefix><24 hex>`. */
export const distinctive = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

/** A JWT and, on its own, its signature: a log that kept only part of the token still leaks. */
export function jwtSecrets(what: string, token: string): Secret[] {
  const signature = token.split('.')[2] ?? '';
  return [
    { what, value: token },
    ...(signature.length >= 20 ? [{ what: `${what} (signature)`, value: signature }] : []),
  ];
}

/** Tokens the platform must refuse, each for another reason. */
export async function refusedTokens(settings: {
  issuer: string;
  audience: string;
  signingKeyFile: string;
}) {
  const { issuer, audience } = settings;
  const signingKey = await readSigningKey(settings.signingKeyFile);
  const stack = await createTokenIssuer({ signingKey, issuer, audience });
  // Signed by a key the platform does not trust, with the right issuer and audience.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const forger = await createTokenIssuer({
    signingKey: { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', kid: 'forged' },
    issuer,
    audience,
  });
  return {
    expired: await stack({ subject: 'expired-customer', ttlSeconds: -3_600 }),
    forged: await forger({ subject: 'forged-customer' }),
    wrongAudience: await (
      await createTokenIssuer({ signingKey, issuer, audience: 'someone-else' })
    )({ subject: 'misdirected-customer' }),
    garbage: distinctive('not-a-jwt-'),
  };
}

export interface LogLine {
  file: string;
  line: number;
  text: string;
}

/** Every line of every file in `dir` (rotated generations too). */
export function readLogs(dir: string): LogLine[] {
  return readdirSync(dir)
    .filter((name) => /\.log(\.\d+)?$/.test(name))
    .sort()
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .map((text, index) => ({ file: name, line: index + 1, text })),
    );
}

/** Each secret found in the logs, with the line it is on (cut short around it). */
export function leaks(lines: readonly LogLine[], secrets: readonly Secret[]): string[] {
  return secrets.flatMap(({ what, value }) =>
    lines
      .filter(({ text }) => text.includes(value))
      .map(({ file, line, text }) => {
        const at = text.indexOf(value);
        const excerpt = text.slice(Math.max(0, at - 200), at + value.length + 100);
        return `${what} in ${file}:${line}: …${excerpt}…`;
      }),
  );
}
