/**
 * Lettuce plumbing, split by concern behind {@code LettuceConnection}, the face the rest of
 * the library uses: {@code RedisEndpoints} reads Spring Boot's connection details; {@code RedisTopology} creates
 * the clients of a single server, a Sentinel-watched master or a cluster (TLS, ACL users, options, topology
 * refresh); {@code LettuceResources} chooses the client resources (the general client on the application's
 * Lettuce {@code ClientResources} threads when it has them, else on the library's own; each decision lane on
 * resources of its own, on one of the HTTP server's event loops); {@code DecisionLanes} holds one decision
 * connection ("lane") per HTTP-server event loop; {@code PubSub} the channel messages; {@code TimeLimit} the
 * decision's time limit and its timer; {@code Reconnecting} opens connections lazily and again after failures.
 *
 * <p>May import: Lettuce, Netty, Reactor, Spring Boot's Redis connection details; of the library only {@code logging}.
 */
package dev.abuseguard.lettuce;
