/**
 * The HTTP server's time limits: how long a client may take to send a request head and a body. A client that
 * opens connections and sends slowly, or nothing, holds them no longer than that; ordinary clients are served
 * meanwhile. The idle limit of a kept-alive connection is Spring Boot's own {@code server.netty.idle-timeout}.
 */
package dev.abuseguard.server;
