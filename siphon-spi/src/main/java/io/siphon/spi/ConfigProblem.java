package io.siphon.spi;

/**
 * One thing wrong with a configuration, found by {@link Config#problems}.
 *
 * @param key the key the problem is about (the nearest one for an unknown key)
 * @param code the error code
 * @param message what is wrong and how to fix it
 */
public record ConfigProblem(String key, ErrorCode code, String message) {}
