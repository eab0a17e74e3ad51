package dev.abuseguard.gateway.testsupport;

/** A routes.yml for the end-to-end tests: the contract's shapes, with small limits, to one backend. */
public final class TestRoutes {

    private TestRoutes() {
    }

    public static String to(int backendPort) {
        String uri = "http://127.0.0.1:" + backendPort;
        return """
                spring.cloud.gateway.server.webflux.routes:
                  - id: packs
                    uri: %1$s
                    predicates: [ "Path=/packs/**" ]
                    filters:
                      - name: AbuseGuard
                        args: { actions: "pack_create,pack_purchase", default-action: pack_create }
                  - id: payments
                    uri: %1$s
                    predicates: [ "Path=/payments/**" ]
                    filters: [ "AbuseGuard=payment" ]
                  - id: tiny
                    uri: %1$s
                    predicates: [ "Path=/tiny/**" ]
                    filters: [ "AbuseGuard=tiny" ]
                  - id: login
                    uri: %1$s
                    predicates: [ "Path=/auth/login" ]
                    filters: [ "AbuseGuard=failed_login" ]
                  - id: steady
                    uri: %1$s
                    predicates: [ "Path=/steady/**" ]
                    filters: [ "AbuseGuard=steady" ]
                  - id: steady-pay
                    uri: %1$s
                    predicates: [ "Path=/steady-pay/**" ]
                    filters: [ "AbuseGuard=steady_pay" ]
                  - id: exact
                    uri: %1$s
                    predicates: [ "Path=/exact/**" ]
                    filters:
                      - name: AbuseGuard
                        args: { actions: "exact_tb,exact_sw,exact_fw,exact_lb" }
                  - id: shaped
                    uri: %1$s
                    predicates: [ "Path=/shaped/**" ]
                    filters: [ "AbuseGuard=shaped" ]
                abuse-guard:
                  identity: { header: X-User-Id }
                  action-header: X-Action
                  actions:
                    pack_create:   { limit: 5,  window: 1h,  strategy: token-bucket }
                    pack_purchase: { limit: 10, window: 24h, strategy: sliding-window }
                    payment:       { limit: 5,  window: 1h,  strategy: token-bucket, on-store-failure: deny }
                    tiny:          { limit: 1,  window: 1h,  strategy: token-bucket }
                    shaped:        { limit: 2,  window: 2s,  strategy: leaky-bucket, max-delay: 2s }
                    steady:        { limit: 1000000, window: 1m, strategy: token-bucket }
                    steady_pay:    { limit: 1000000, window: 1m, strategy: token-bucket, on-store-failure: deny }
                    exact_tb:      { limit: 5,  window: 1h,  strategy: token-bucket }
                    exact_sw:      { limit: 5,  window: 1h,  strategy: sliding-window }
                    exact_fw:      { limit: 5,  window: 24h, strategy: fixed-window }
                    exact_lb:      { limit: 5,  window: 20s, strategy: leaky-bucket, max-delay: 20s }
                    failed_login:  { limit: 5,  window: 15m, strategy: fixed-window, spend-on: failure }
                """.formatted(uri);
    }
}
