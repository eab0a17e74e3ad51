package dev.abuseguard.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script from classpath resources, with the SHA-1 Redis knows it by. Built once.
 *
 * <p>A script names the files it needs in its header, {@code -- includes: a.lua, b.lua} (or
 * {@code nothing}), resolved beside it; each file is loaded once, before the first file that includes it.
 * Redis runs one chunk, so this is how scripts share functions without a module system.
 */
public record LuaScript(String source, String sha1) {

    private static final Pattern INCLUDES = Pattern.compile("^-- includes: (.+)$", Pattern.MULTILINE);

    /** The resources, in order, each preceded by what it includes. */
    public static LuaScript load(String... resources) {
        Set<String> loaded = new LinkedHashSet<>();
        for (String resource : resources) {
            collect(resource, loaded, new LinkedHashSet<>());
        }
        StringBuilder source = new StringBuilder();
        for (String resource : loaded) {
            source.append(read(resource)).append('\n');
        }
        return new LuaScript(source.toString(), sha1(source.toString()));
    }

    /** The files a resource's header says it includes, as resource paths beside it. */
    public static List<String> includes(String resource) {
        Matcher header = INCLUDES.matcher(read(resource));
        if (!header.find()) {
            throw new IllegalStateException(resource + " has no '-- includes:' header line");
        }
        String names = header.group(1).trim();
        List<String> paths = new ArrayList<>();
        if (!names.equals("nothing")) {
            String dir = resource.substring(0, resource.lastIndexOf('/') + 1);
            for (String name : names.split(",")) {
                String file = name.trim().split(" ")[0];
                paths.add(file.startsWith("/") ? file : dir + file);
            }
        }
        return paths;
    }

    /**
     * This script with {@code firstLine} run before it, under its own SHA-1: how an action's constant arguments
     * are compiled in (see {@link ActionScript}).
     */
    public LuaScript after(String firstLine) {
        String joined = firstLine + '\n' + source;
        return new LuaScript(joined, sha1(joined));
    }

    private static void collect(String resource, Set<String> loaded, Set<String> including) {
        if (loaded.contains(resource)) {
            return;
        }
        if (!including.add(resource)) {
            throw new IllegalStateException("Lua includes form a cycle through " + resource);
        }
        for (String include : includes(resource)) {
            collect(include, loaded, including);
        }
        loaded.add(resource);
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JRE", e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
