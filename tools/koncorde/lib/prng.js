'use strict';

/**
 * Small seeded PRNG helpers (mulberry32), so that the corpus and the
 * benchmark workloads are reproducible without any extra dependency.
 */
function mulberry32(seed) {
  let a = seed >>> 0;

  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }

  /** float in [0, 1) */
  float() {
    return this.next();
  }

  /** float in [lo, hi) */
  range(lo, hi) {
    return lo + (hi - lo) * this.next();
  }

  /** integer in [lo, hi] (inclusive) */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p) {
    return this.next() < p;
  }

  pick(array) {
    return array[Math.floor(this.next() * array.length)];
  }

  /** picks according to [[weight, value], ...] */
  weighted(entries) {
    let total = 0;
    for (const [w] of entries) {
      total += w;
    }
    let r = this.next() * total;
    for (const [w, v] of entries) {
      r -= w;
      if (r < 0) {
        return v;
      }
    }
    return entries[entries.length - 1][1];
  }

  shuffle(array) {
    const copy = array.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** n distinct elements of array (n clamped to the array length) */
  sample(array, n) {
    return this.shuffle(array).slice(0, Math.min(n, array.length));
  }

  /** string of `length` characters taken from `pool` */
  string(length, pool) {
    let s = '';
    for (let i = 0; i < length; i++) {
      s += pool.charAt(Math.floor(this.next() * pool.length));
    }
    return s;
  }
}

module.exports = { mulberry32, Random };
