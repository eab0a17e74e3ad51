/**
 * Spike detection: an alert when an action's rate across all users jumps far above its trailing average.
 * {@link dev.abuseguard.spike.SpikeDetector} is the arithmetic (counts per interval in, alert decision out);
 * {@link dev.abuseguard.spike.SpikeWatch} counts decisions, feeds the detectors every interval and raises the
 * alert once per episode, across instances.
 */
package dev.abuseguard.spike;
