/**
 * The HTTP face: the {@code AbuseGuard} gateway filter, identity and action resolution, and the rendering of a
 * {@code Decision} as status, headers and problem body. The only place headers are written.
 *
 * <p>May import: {@code decision}, {@code policy}.
 */
package dev.abuseguard.filter;
