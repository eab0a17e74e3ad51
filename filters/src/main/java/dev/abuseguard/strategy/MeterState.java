package dev.abuseguard.strategy;

/** State of the two bucket strategies: the meter's level (in request-weight units) when last touched. */
public record MeterState(long lastMillis, long levelUnits) {
}
