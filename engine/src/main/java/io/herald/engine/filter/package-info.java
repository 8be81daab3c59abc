/**
 * The Koncorde-compatible filter engine: parsing and validation of the DSL ({@link
 * io.herald.engine.filter.FilterParser}), normalization to an OR of ANDs with deterministic ids ({@link
 * io.herald.engine.filter.Normalizer}, {@link io.herald.engine.filter.FilterIds}), and indexed matching
 * ({@link io.herald.engine.filter.FilterIndex} and its operand indexes). The entry point is
 * {@link io.herald.engine.filter.FilterEngine}.
 */
package io.herald.engine.filter;
