/**
 * The store of this instance's memory: the only store without Redis, and the fallback while Redis is down.
 * Bounded in users; runs the same pure strategies and scoring as the Lua scripts.
 *
 * <p>May import: {@code decision}, {@code strategy}, {@code abuse}, {@code policy}.
 */
package dev.abuseguard.memory;
