package dev.abuseguard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The library ships META-INF/spring-configuration-metadata.json (spring-boot-configuration-processor), so an IDE
 * completes every abuse-guard property and shows what it does: the descriptions come from the records' Javadoc.
 */
class ConfigurationMetadataTest {

    private static Map<String, JsonNode> properties() throws IOException {
        List<URL> ours = new ArrayList<>();
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            String where = url.toString();
            // the library's own, not a test jar's
            boolean filters = where.contains("abuse-guard-filters") || where.contains("/filters/target/");
            if (filters && !where.contains("/test-classes/") && !where.contains("-tests.jar")) {
                ours.add(url);
            }
        }
        assertThat(ours).as("the filters library's metadata on the class path").hasSize(1);
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        try (InputStream in = ours.get(0).openStream()) {
            new JsonMapper().readTree(in).get("properties").forEach(p -> byName.put(p.get("name").asString(), p));
        }
        return byName;
    }

    @Test
    void everyAbuseGuardPropertyIsDescribed() throws IOException {
        Map<String, JsonNode> properties = properties();

        assertThat(properties).containsKeys("abuse-guard.identity.header", "abuse-guard.actions",
                "abuse-guard.abuse.block-threshold", "abuse-guard.store.redis.timeout", "abuse-guard.admin.token",
                "abuse-guard.exempt-users", "abuse-guard.tiers", "abuse-guard.headers.ietf",
                // a record of its own file, nested: every one of its properties is listed, not the record as one
                "abuse-guard.discord.public-key", "abuse-guard.discord.commands",
                "abuse-guard.discord.messages.rate-limited");
        assertThat(properties).doesNotContainKey("abuse-guard.discord");
        List<String> undescribed = properties.values().stream()
                .filter(p -> p.get("name").asString().startsWith("abuse-guard."))
                .filter(p -> p.get("description") == null || p.get("description").asString().isBlank())
                .map(p -> p.get("name").asString()).toList();
        assertThat(undescribed).as("properties without a description").isEmpty();

        assertThat(properties.get("abuse-guard.store.redis.timeout").get("description").asString())
                .isEqualTo("the time limit of one decision on Redis");
        assertThat(properties.values()).noneMatch(p -> p.path("description").asString("").contains("{@"));
        assertThat(properties.get("abuse-guard.store.redis.timeout").get("defaultValue").asString()).isEqualTo("250ms");
        assertThat(properties.get("abuse-guard.abuse.block-threshold").get("type").asString())
                .isEqualTo("java.lang.Long");
        assertThat(properties.get("abuse-guard.abuse.block-threshold").get("defaultValue").asLong()).isEqualTo(100);
    }
}
