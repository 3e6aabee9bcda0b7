// A seeded pseudo-random generator (mulberry32): the same seed replays the same run.

/** A generator of reproducible choices from a 32-bit seed. */
export class Prng {
  #state;

  /** @param {number} seed any integer; printed by the runner so a run can be replayed */
  constructor(seed) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next() {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of `items`. */
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** True with probability `p`. */
  chance(p) {
    return this.next() < p;
  }

  /** One of `choices` ([weight, value] pairs), chosen in proportion to its weight. */
  weighted(choices) {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][1];
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length, alphabet) {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

/** A fresh seed for a run that was not given one. */
export function randomSeed() {
  return Math.floor(Math.random() * 2 ** 31);
}
