import { z } from 'zod';
import { mulberry32 } from './random.js';

const rate = z.number().min(0).max(1);
const milliseconds = z.number().int().min(0).max(600_000);

export const latencySchema = z
  .strictObject({ min: milliseconds, max: milliseconds })
  .refine(({ min, max }) => min <= max, { message: 'must be at least min', path: ['max'] });

/** The failure knobs tests and the chaos harness turn at run time (`PUT /admin/config`). */
export const knobsSchema = z.strictObject({
  /** Share of `tok_ok` charges declined at random. */
  declineRate: rate,
  /** Extra delay before every `/v1` call, drawn uniformly from [min, max]. */
  latencyMs: latencySchema,
  /** Share of `tok_ok` charges that succeed but whose response is dropped, as a timeout would. */
  timeoutChargedRate: rate,
  /** How long a "timed out" request is held before its socket is destroyed. */
  timeoutHoldMs: milliseconds,
  /** While true, every `/v1` call answers 503 at once and changes nothing. */
  outage: z.boolean(),
  /** While true, every refund is refused (422) and nothing is refunded: a refusal for good. */
  refuseRefunds: z.boolean(),
  /** While true, every `/v1` call is accepted and never answered nor processed, whatever its wait. */
  blackhole: z.boolean(),
  /** Seed of the PRNG behind every random decision; setting it restarts the sequence. */
  seed: z.number().int().min(0).max(0xffff_ffff),
});

export type KnobSettings = z.infer<typeof knobsSchema>;

/** Fields left out of a `PUT /admin/config` keep their value. */
export const knobsPatchSchema = knobsSchema.partial();

export interface Knobs {
  current(): KnobSettings;
  update(patch: Partial<KnobSettings>): KnobSettings;
  /** True with probability `rate`. Always draws, so the sequence does not depend on outcomes. */
  chance(rate: number): boolean;
  /** A latency drawn from the configured range. */
  latencyMs(): number;
}

export function createKnobs(initial: KnobSettings): Knobs {
  let settings = initial;
  let random = mulberry32(initial.seed);
  return {
    current: () => settings,
    update(patch) {
      settings = { ...settings, ...patch };
      if (patch.seed !== undefined) random = mulberry32(patch.seed);
      return settings;
    },
    chance: (rate) => random() < rate,
    latencyMs() {
      const { min, max } = settings.latencyMs;
      return min + Math.floor(random() * (max - min + 1));
    },
  };
}
