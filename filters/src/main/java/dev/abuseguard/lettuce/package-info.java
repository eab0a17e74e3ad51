/**
 * Lettuce plumbing: connections to a Redis server or cluster, opened lazily and again after failures; one
 * decision connection ("lane") per HTTP-server event loop; reading Spring Boot's connection details.
 *
 * <p>May import: Lettuce, Netty, Reactor, Spring Boot's Redis connection details; of the library only {@code logging}.
 */
package dev.abuseguard.lettuce;
