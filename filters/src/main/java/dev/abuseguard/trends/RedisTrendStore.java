package dev.abuseguard.trends;

import dev.abuseguard.lettuce.LettuceConnection;
import dev.abuseguard.redis.LuaScript;
import dev.abuseguard.redis.RedisScripts;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import reactor.core.publisher.Mono;

/**
 * The counts of every instance in Redis: per minute a hash {@code ag:{trends}:c:<minute>} of
 * {@code <action>|<column>} counters and a sorted set {@code ag:{trends}:o:<minute>} of violations per user.
 * All under one hash tag, so one script adds a whole flush (one command) and one reads a whole range, on a
 * cluster too. Every key has a TTL; a minute's offenders keep at most {@code keepOffenders} users.
 */
final class RedisTrendStore implements TrendStore {

    static final LuaScript ADD = LuaScript.load("/dev/abuseguard/trends/trends-add.lua");
    static final LuaScript READ = LuaScript.load("/dev/abuseguard/trends/trends-read.lua");
    private static final Duration OFFENDERS_TTL = Duration.ofMinutes(70);

    private final RedisScripts redis;
    private final Duration retention;
    private final int keepOffenders;

    RedisTrendStore(LettuceConnection connection, Duration retention, int keepOffenders) {
        this.redis = new RedisScripts(connection);
        this.retention = retention;
        this.keepOffenders = keepOffenders;
    }

    static String countsKey(long minute) {
        return "ag:{trends}:c:" + minute;
    }

    static String offendersKey(long minute) {
        return "ag:{trends}:o:" + minute;
    }

    @Override
    public Mono<Void> add(TrendBatch batch) {
        TreeSet<Long> minutes = new TreeSet<>(batch.counts().keySet());
        minutes.addAll(batch.offenders().keySet());
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(Long.toString(retention.toMillis()),
                Long.toString(OFFENDERS_TTL.toMillis()), Integer.toString(keepOffenders)));
        for (long minute : minutes) {
            keys.add(countsKey(minute));
            keys.add(offendersKey(minute));
            Map<String, long[]> actions = batch.counts().getOrDefault(minute, Map.of());
            List<String> fields = new ArrayList<>();
            actions.forEach((action, counts) -> {
                for (TrendColumn column : TrendColumn.values()) {
                    if (counts[column.ordinal()] != 0) {
                        fields.add(action + '|' + column.wireName());
                        fields.add(Long.toString(counts[column.ordinal()]));
                    }
                }
            });
            args.add(Integer.toString(fields.size() / 2));
            args.addAll(fields);
            Map<String, Long> users = batch.offenders().getOrDefault(minute, Map.of());
            args.add(Integer.toString(users.size()));
            users.forEach((user, violations) -> {
                args.add(user);
                args.add(Long.toString(violations));
            });
        }
        return redis.<Long>run(ADD, ScriptOutputType.INTEGER, keys.toArray(String[]::new), args.toArray(String[]::new))
                .then();
    }

    @Override
    public Mono<List<TrendRow>> rows(long fromMinute, long toMinute) {
        List<String> keys = new ArrayList<>();
        for (long minute = fromMinute; minute <= toMinute; minute++) {
            keys.add(countsKey(minute));
        }
        return redis.<List<Object>>run(READ, ScriptOutputType.MULTI, keys.toArray(String[]::new),
                Integer.toString(keys.size()), "0").map(reply -> rows(reply, fromMinute));
    }

    @Override
    public Mono<List<Offender>> offenders(long fromMinute, long toMinute, int limit) {
        List<String> keys = new ArrayList<>();
        for (long minute = fromMinute; minute <= toMinute; minute++) {
            keys.add(offendersKey(minute));
        }
        return redis.<List<Object>>run(READ, ScriptOutputType.MULTI, keys.toArray(String[]::new),
                "0", Integer.toString(limit)).map(RedisTrendStore::offenders);
    }

    @SuppressWarnings("unchecked")
    private static List<TrendRow> rows(List<Object> reply, long fromMinute) {
        List<Object> minutes = (List<Object>) reply.get(0);
        List<TrendRow> rows = new ArrayList<>();
        for (int i = 0; i < minutes.size(); i++) {
            List<Object> fields = (List<Object>) minutes.get(i);
            Map<String, long[]> actions = new TreeMap<>();
            for (int f = 0; f + 1 < fields.size(); f += 2) {
                String field = String.valueOf(fields.get(f));
                int bar = field.lastIndexOf('|');
                TrendColumn column = bar < 0 ? null : TrendColumn.byWireName(field.substring(bar + 1));
                if (column != null) {
                    actions.computeIfAbsent(field.substring(0, bar), a -> new long[TrendColumn.count()])
                            [column.ordinal()] = Long.parseLong(String.valueOf(fields.get(f + 1)));
                }
            }
            long minute = fromMinute + i;
            actions.forEach((action, counts) -> rows.add(TrendRow.of(minute, action, counts)));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<Offender> offenders(List<Object> reply) {
        List<Object> ranked = (List<Object>) reply.get(1);
        List<Offender> offenders = new ArrayList<>();
        for (int i = 0; i + 1 < ranked.size(); i += 2) {
            offenders.add(new Offender(String.valueOf(ranked.get(i)),
                    (long) Double.parseDouble(String.valueOf(ranked.get(i + 1)))));
        }
        return offenders;
    }
}
