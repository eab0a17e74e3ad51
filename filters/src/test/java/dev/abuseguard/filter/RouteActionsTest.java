package dev.abuseguard.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abuseguard.policy.ActionPolicies;
import dev.abuseguard.testsupport.TestPolicies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * The actions a route allows, picked by the action header: a client may choose among its route's actions and never
 * another one (a laxer limit defined for a different route), and a route that names an undefined action stops the
 * start-up naming the filter argument.
 */
class RouteActionsTest {

    private static final ActionPolicies POLICIES = TestPolicies.of(Map.of(
            "actions.pack_create.limit", "5", "actions.pack_create.window", "1h",
            "actions.pack_purchase.limit", "10", "actions.pack_purchase.window", "24h",
            "actions.steady.limit", "1000000", "actions.steady.window", "1m")).current().actions();

    /** The test routes' packs route: two actions, pack_create by default. */
    private static final RouteActions PACKS = RouteActions.of(List.of("pack_create,pack_purchase"), "pack_create",
            "X-Action", POLICIES);

    private static MockServerHttpRequest.BaseBuilder<?> request() {
        return MockServerHttpRequest.post("/packs/open").header("X-User-Id", "alice");
    }

    /**
     * The actions a refusal lists. In no set order: the route keeps them in a {@code Map.copyOf}, whose iteration
     * order differs from one JVM to the next.
     */
    private static List<String> allowed(BadInput refusal) {
        String message = refusal.getMessage();
        assertThat(message).endsWith(".");
        return List.of(message.substring(message.indexOf("allowed: ") + "allowed: ".length(), message.length() - 1)
                .split(", "));
    }

    @Test
    void withoutTheHeaderTheRoutesDefaultActionApplies() {
        assertThat(PACKS.resolve(request().build()).name()).isEqualTo("pack_create");
        RouteActions firstIsDefault = RouteActions.of(List.of("pack_purchase", "pack_create"), null, "X-Action",
                POLICIES);
        assertThat(firstIsDefault.resolve(request().build()).name()).as("no default-action: the first named")
                .isEqualTo("pack_purchase");
        assertThat(RouteActions.of(List.of("pack_purchase", "pack_create"), "  ", "X-Action", POLICIES)
                .resolve(request().build()).name()).as("a blank default-action is none").isEqualTo("pack_purchase");
    }

    @Test
    void theHeaderPicksOneOfTheRoutesActionsWithItsPolicy() {
        var purchase = PACKS.resolve(request().header("X-Action", "pack_purchase").build());
        assertThat(purchase.name()).isEqualTo("pack_purchase");
        assertThat(purchase.policy().limit()).isEqualTo(10);
        assertThat(PACKS.resolve(request().header("x-action", "pack_create").build()).name())
                .as("the header name in any case").isEqualTo("pack_create");
    }

    @Test
    void anActionDefinedButNotOnThisRouteIsBadInputNamingTheHeaderAndTheRoutesActions() {
        // steady has a far laxer limit: a client must not escape its route's limits by naming it
        assertThatThrownBy(() -> PACKS.resolve(request().header("X-Action", "steady").build()))
                .isInstanceOfSatisfying(BadInput.class, bad -> {
                    assertThat(bad.field()).isEqualTo("X-Action");
                    assertThat(bad).hasMessageStartingWith("The X-Action header 'steady' is not an action of this "
                            + "route; allowed: ");
                    assertThat(allowed(bad)).containsExactlyInAnyOrder("pack_create", "pack_purchase");
                });
    }

    @Test
    void anUnknownValueIsEchoedOnlyWhenItIsShapedLikeAnActionName() {
        assertThatThrownBy(() -> PACKS.resolve(request().header("X-Action", "nope").build()))
                .isInstanceOf(BadInput.class).hasMessageContaining("header 'nope' is not an action of this route");
        // anything else is not repeated back: it could carry markup or forged lines into the problem response
        for (String hostile : List.of("<script>", "Pack_Create", "a b", "x".repeat(65), "")) {
            assertThatThrownBy(() -> PACKS.resolve(request().header("X-Action", hostile).build()))
                    .isInstanceOfSatisfying(BadInput.class, bad -> {
                        assertThat(bad.field()).isEqualTo("X-Action");
                        assertThat(bad).hasMessageStartingWith("The X-Action header is not an action of this route; "
                                + "allowed: ");
                        assertThat(allowed(bad)).containsExactlyInAnyOrder("pack_create", "pack_purchase");
                    });
        }
    }

    @Test
    void theHeaderSentTwiceIsBadInputEvenWhenBothValuesAreAllowed() {
        assertThatThrownBy(() -> PACKS.resolve(request().header("X-Action", "pack_create", "pack_purchase").build()))
                .isInstanceOfSatisfying(BadInput.class, bad -> assertThat(bad.field()).isEqualTo("X-Action"))
                .hasMessage("The X-Action header must be sent at most once.");
        assertThatThrownBy(() -> PACKS.resolve(request().header("X-Action", "pack_create")
                .header("X-Action", "pack_create").build()))
                .isInstanceOf(BadInput.class).hasMessage("The X-Action header must be sent at most once.");
    }

    @Test
    void theRoutesActionsMayBeListedOneByOneOrCommaSeparatedWithSpaces() {
        RouteActions listed = RouteActions.of(List.of(" pack_create , ", "pack_purchase"), "pack_purchase",
                "X-Action", POLICIES);
        assertThat(listed.resolve(request().build()).name()).isEqualTo("pack_purchase");
        assertThat(listed.resolve(request().header("X-Action", "pack_create").build()).name())
                .isEqualTo("pack_create");
    }

    @Test
    void aRouteWithoutActionsOrWithAnUndefinedOneIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> RouteActions.of(List.of(), null, "X-Action", POLICIES))
                .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("args.actions must name at least one");
        assertThatThrownBy(() -> RouteActions.of(null, null, "X-Action", POLICIES))
                .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("args.actions must name at least one");
        assertThatThrownBy(() -> RouteActions.of(List.of("pack_create,pack_creat"), null, "X-Action", POLICIES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AbuseGuard filter: args.actions names 'pack_creat', which is not defined under "
                        + "abuse-guard.actions (defined: pack_create, pack_purchase, steady)");
        assertThatThrownBy(() -> RouteActions.of(List.of("pack_create"), "steady", "X-Action", POLICIES))
                .as("a default the route does not allow")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AbuseGuard filter: args.default-action 'steady' is not one of args.actions [pack_create]");
    }
}
