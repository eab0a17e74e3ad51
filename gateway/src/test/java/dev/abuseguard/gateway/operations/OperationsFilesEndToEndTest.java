package dev.abuseguard.gateway.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.abuseguard.gateway.testsupport.GatewayExtension.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.abuseguard.gateway.testsupport.Abusers;
import dev.abuseguard.gateway.testsupport.Backends;
import dev.abuseguard.gateway.testsupport.GatewayApp;
import dev.abuseguard.gateway.testsupport.TestRoutes;
import dev.abuseguard.testsupport.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules in docker/ name only metrics the gateway exposes: a gateway
 * on a real Redis is driven through allowed answers, 429s, 403s, block alerts sent, failed and dropped,
         and a Redis that
 * dies (fallbacks, 503s); then every metric (and every label value matched with {@code =}) that a PromQL
 * expression of those files names must be in {@code /actuator/prometheus}.
 */
class OperationsFilesEndToEndTest {

    private static final Path DASHBOARD = Path.of("..", "docker", "grafana", "abuse-guard-dashboard.json");
    private static final Path ALERT_RULES = Path.of("..", "docker", "prometheus", "abuse-guard-alerts.yml");
    /** Series Prometheus makes itself for every target, never exposed by one. */
    private static final Set<String> SYNTHESIZED = Set.of("up");

    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsExposed() throws IOException {
        List<String> expressions = new ArrayList<>(dashboardExpressions());
        expressions.addAll(alertExpressions());
        assertThat(expressions).hasSizeGreaterThan(20);

        String exposition = scrapeAfterTraffic();
        Map<String, List<Map<String, String>>> exposed = PromQl.samples(exposition);

        Set<String> missing = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        for (String expression : expressions) {
            for (PromQl.Selector selector : PromQl.selectors(expression)) {
                named.add(selector.metric());
                if (SYNTHESIZED.contains(selector.metric())) {
                    continue;
                }
                List<Map<String, String>> series = exposed.get(selector.metric());
                if (series == null) {
                    missing.add(selector.metric() + " (in " + expression + ")");
                } else if (series.stream().noneMatch(labels -> labels.entrySet().containsAll(
                        selector.equalities().entrySet()))) {
                    missing.add(selector.metric() + selector.equalities() + " (in " + expression + ")");
                }
            }
        }
        assertThat(named).as("metrics the files name").contains("abuseguard_decisions_total",
                "abuseguard_redis_latency_seconds_count", "abuseguard_store_fallbacks_total",
                "abuseguard_alerts_total", "abuseguard_users_blocked", "up");
        assertThat(missing).as("named in docker/ but not exposed").isEmpty();
    }

    @Test
    void theParserFindsMetricsAndSkipsFunctionsLabelsAndKeywords() {
        assertThat(PromQl.selectors("""
                sum by (action, outcome) (rate(a_total{outcome="rate_limited",instance=~"$instance"}[$__rate_interval]))
                  / ignoring(outcome) group_left sum without (x) (rate(b_total[5m] offset 1h)) > 0.25
                  and on (action) c_gauge unless histogram_quantile(0.99, d_bucket) or vector(1) == bool 2e3
                """).stream().map(s -> s.metric() + s.equalities()).toList())
                .containsExactly("a_total{outcome=rate_limited}", "b_total{}", "c_gauge{}", "d_bucket{}");
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new JsonMapper().readTree(Files.readString(DASHBOARD));
        List<String> expressions = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.get("expr").asString())));
        // label_values(metric, label) of the template variables is Grafana's, not PromQL: its metric counts too
        dashboard.path("templating").path("list").forEach(variable -> {
            String query = variable.path("query").path("query").asString("");
            if (query.startsWith("label_values(")) {
                expressions.add(query.substring("label_values(".length(), query.indexOf(',')));
            }
        });
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(ALERT_RULES));
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add(String.valueOf(rule.get("expr")));
            }
        }
        return expressions;
    }

    /**
     * Allowed, 429, 403, block alerts sent, failed after their last try and dropped from a full queue, then Redis
     * killed: fallbacks and a 503.
     */
    private static String scrapeAfterTraffic() {
        RedisServer redis = RedisServer.start();
        WireMockServer backend = Backends.answeringOk();
        WireMockServer webhook = Backends.started();
        webhook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        webhook.stubFor(post(urlEqualTo("/hook")).withRequestBody(containing("dropper"))
                .willReturn(aResponse().withStatus(500)));
        webhook.stubFor(post(urlEqualTo("/hook")).withRequestBody(containing("hang-"))
                .willReturn(aResponse().withStatus(204).withFixedDelay(8000)));
        try (GatewayApp gateway = GatewayApp.start(TestRoutes.to(backend.port()), redis.port(),
                "--abuse-guard.admin.token=" + ADMIN_TOKEN, "--abuse-guard.store.redis.timeout=300ms",
                "--abuse-guard.alerts.webhook-url=http://127.0.0.1:" + webhook.port() + "/hook",
                "--abuse-guard.alerts.max-attempts=2", "--abuse-guard.alerts.initial-backoff=20ms",
                "--abuse-guard.alerts.queue-size=1", "--abuse-guard.alerts.timeout=10s")) {
            WebTestClient client = gateway.client();
            Abusers.violateUntilBlocked(client, "mallory");
            Abusers.violateUntilBlocked(client, "dropper");
            client.get().uri("/packs/open").header("X-User-Id", "mallory").exchange().expectStatus().isForbidden();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                webhook.verify(1, postRequestedFor(urlEqualTo("/hook")).withRequestBody(containing("mallory")));
                webhook.verify(2, postRequestedFor(urlEqualTo("/hook")).withRequestBody(containing("dropper")));
            });

            // 4 alerts in flight to a webhook that takes 8 s, 1 waiting in the queue of 1: the sixth is dropped
            for (int i = 1; i <= 6; i++) {
                Abusers.violateUntilBlocked(client, "hang-" + i);
            }

            redis.kill();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                client.get().uri("/packs/open").header("X-User-Id", "while-down").exchange().expectStatus().isOk();
                client.get().uri("/payments/pay").header("X-User-Id", "while-down").exchange()
                        .expectStatus().isEqualTo(503);
            });

            return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.get()
                    .uri("/actuator/prometheus").header("Authorization", "Bearer " + ADMIN_TOKEN).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody(),
                    text -> text.contains("abuseguard_alerts_total{result=\"failed\"")
                            && text.contains("abuseguard_alerts_total{result=\"dropped\"")
                            && text.contains("abuseguard_store_fallbacks_total"));
        } finally {
            webhook.stop();
            backend.stop();
            redis.close();
        }
    }

    /**
     * Just enough PromQL to find what an expression reads: string literals are emptied, ranges and
     * subqueries
     * ({@code [...]}) and the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring},
     * {@code group_left} and {@code group_right} are dropped; every remaining identifier not followed by
     * {@code (} (a function or aggregation), not an aggregation before its {@code by} clause,
             and not a keyword ({@code and}, {@code or}, {@code unless},
     * {@code bool}, {@code offset}) or part of a number or duration is a metric, with the {@code =} matchers of
     * its braces. Not covered: {@code {__name__="..."}} selectors, {@code @} modifiers, identifiers inside
     * strings other than matcher values (label_replace's arguments), and PromQL's escape sequences beyond {@code \"}.
     */
    static final class PromQl {

        record Selector(String metric, Map<String, String> equalities) {
        }

        private static final Pattern IDENTIFIER =
                Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
        private static final Pattern MATCHER =
                Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by",
                "without", "on", "ignoring", "group_left", "group_right", "inf", "nan");
        /** Aggregations may have their by/without clause between the name and the parenthesis. */
        private static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count", "group",
                "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "limitk", "limit_ratio");

        static List<Selector> selectors(String expression) {
            String text = expression.replaceAll("\\[[^\\]]*\\]", " ")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " $1 ");
            List<Selector> found = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '{') { // braces without a name before them: a selector by labels only, not covered
                    i = text.indexOf('}', i) + 1;
                    continue;
                }
                if (c == '"') {
                    i = endOfString(text, i);
                    continue;
                }
                Matcher identifier = IDENTIFIER.matcher(text).region(i, text.length());
                boolean partOfNumber = i > 0 && (Character.isDigit(text.charAt(i - 1)) || text.charAt(i - 1) == '.');
                if (!identifier.lookingAt()) {
                    i++;
                    continue;
                }
                String name = identifier.group();
                int next = skipSpaces(text, identifier.end());
                Map<String, String> equalities = new TreeMap<>();
                int after = identifier.end();
                if (next < text.length() && text.charAt(next) == '{') {
                    int close = closingBrace(text, next);
                    Matcher matcher = MATCHER.matcher(text.substring(next + 1, close));
                    while (matcher.find()) {
                        if (matcher.group(2).equals("=") && !matcher.group(3).contains("$")) {
                            equalities.put(matcher.group(1), matcher.group(3));
                        }
                    }
                    after = close + 1;
                } else if (next < text.length() && text.charAt(next) == '(') {
                    i = identifier.end(); // a function or an aggregation
                    continue;
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (!partOfNumber && !KEYWORDS.contains(lower) && !AGGREGATIONS.contains(lower)) {
                    found.add(new Selector(name, equalities));
                }
                i = after;
            }
            return found;
        }

        /** The exposition's samples: metric name to the label sets it is exposed with. */
        static Map<String, List<Map<String, String>>> samples(String exposition) {
            Map<String, List<Map<String, String>>> samples = new TreeMap<>();
            for (String line : exposition.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int brace = line.indexOf('{');
                int space = line.indexOf(' ');
                boolean labelled = brace >= 0 && (space < 0 || brace < space);
                String name = line.substring(0, labelled ? brace : space);
                Map<String, String> labels = new TreeMap<>();
                if (labelled) {
                    Matcher matcher = MATCHER.matcher(line.substring(brace, closingBrace(line, brace)));
                    while (matcher.find()) {
                        labels.put(matcher.group(1), matcher.group(3));
                    }
                }
                samples.computeIfAbsent(name, n -> new ArrayList<>()).add(labels);
            }
            return samples;
        }

        private static int skipSpaces(String text, int from) {
            int i = from;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            return i;
        }

        private static int endOfString(String text, int quote) {
            int i = quote + 1;
            while (i < text.length() && text.charAt(i) != '"') {
                i += text.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }

        private static int closingBrace(String text, int open) {
            int i = open + 1;
            while (i < text.length() && text.charAt(i) != '}') {
                i = text.charAt(i) == '"' ? endOfString(text, i) : i + 1;
            }
            return i;
        }
    }
}
