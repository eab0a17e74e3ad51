import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the gateway's CPU samples fall, from a JFR recording (bench/run.sh with JFR=1 writes one):
 * {@code java bench/JfrSummary.java bench/target/run-.../gateway.jfr [marker ...]}.
 *
 * <p>Prints the execution samples per thread (digits at the end of thread names folded), for each
 * marker (a substring of "Class.method") how many samples have it anywhere on their stack, per thread
 * group, and the 25 hottest leaf methods. A recording covers the whole run, every route, so a marker
 * says which code path the samples belong to.
 */
public final class JfrSummary {

    private static final List<String> DEFAULT_MARKERS = List.of(
            "AbuseGuardFilter.filter", "RedisDecisionStore.decide", "FailoverDecisionStore", "DecisionLanes",
            "ProblemResponses", "RequestRateLimiterGatewayFilterFactory", "RedisRateLimiter.isAllowed",
            "DefaultReactiveScriptExecutor", "ResourceScriptSource.isModified", "UserIdKeyResolver.resolve",
            "Pattern.compile", "FilteringWebHandler.handle", "NettyRoutingFilter.filter", "GatewayMetricsFilter",
            "CommandHandler.decode", "CommandHandler.write", "HttpServerOperations", "HttpClientOperations");

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: java bench/JfrSummary.java FILE.jfr [marker ...]");
            System.exit(2);
        }
        List<String> markers = args.length > 1 ? List.of(args).subList(1, args.length) : DEFAULT_MARKERS;
        Map<String, Integer> byThread = new TreeMap<>();
        Map<String, Map<String, Integer>> byMarker = new LinkedHashMap<>();
        markers.forEach(m -> byMarker.put(m, new TreeMap<>()));
        Map<String, Integer> leaves = new TreeMap<>();
        int total = 0;
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                total++;
                RecordedThread thread = event.getThread("sampledThread");
                String group = thread == null || thread.getJavaName() == null ? "?"
                        : thread.getJavaName().replaceAll("\\d+$", "N");
                byThread.merge(group, 1, Integer::sum);
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String type = frame.getMethod().getType().getName();
                    frames.add(type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName());
                }
                leaves.merge(frames.get(0), 1, Integer::sum);
                for (String marker : markers) {
                    if (frames.stream().anyMatch(f -> f.contains(marker))) {
                        byMarker.get(marker).merge(group, 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf("execution samples: %d%n%nby thread:%n", total);
        byThread.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                .forEach(e -> System.out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
        System.out.printf("%nsamples with the marker on their stack (by thread):%n");
        byMarker.forEach((marker, threads) -> System.out.printf("  %6d  %-42s %s%n",
                threads.values().stream().mapToInt(Integer::intValue).sum(), marker, threads));
        System.out.printf("%nhottest leaf methods:%n");
        leaves.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
                .forEach(e -> System.out.printf("  %6d  %s%n", e.getValue(), e.getKey()));
    }
}
