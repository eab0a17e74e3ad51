package dev.abuseguard.gateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code routes.yml} the project ships, as an operator runs it, with every backend pointed at one stub. */
public final class ShippedRoutes {

    private ShippedRoutes() {
    }

    public static String yaml() {
        try {
            return Files.readString(Path.of("..", "routes.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The arguments that point the shipped routes' backends at {@code backendPort}. */
    public static String[] backendsAt(int backendPort, String... more) {
        String uri = "http://127.0.0.1:" + backendPort;
        String[] args = new String[4 + more.length];
        args[0] = "--PACKS_BACKEND_URI=" + uri;
        args[1] = "--PAYMENTS_BACKEND_URI=" + uri;
        args[2] = "--AUTH_BACKEND_URI=" + uri;
        args[3] = "--API_BACKEND_URI=" + uri;
        System.arraycopy(more, 0, args, 4, more.length);
        return args;
    }
}
