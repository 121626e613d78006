package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.formatted;
import static io.sampan.spec.read.Docs.problems;
import static io.sampan.spec.read.Docs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.AppSpec;
import io.sampan.spec.ServiceSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Per-environment overrides: mappings merge key by key, lists and scalars replace, the environment's
 * {@code env} merges into {@code spec.env}; problems in an override are reported where the override is.
 */
class EnvironmentOverlayTest {
    private static final String APP = app("""
            env: {TZ: UTC, LOG_LEVEL: info}
            services:
              web:
                image: registry.local/shop/web:1.4.2
                port: 8080
                replicas: 2
                command: [java, -jar, app.jar]
                env: {A: "1", B: "2"}
                resources: {cpu: "1", memory: 1Gi}
                autoscale: {min: 2, max: 10, cpu: 60, cooldown: 3m}
                expose: [{host: shop.example.com}, {host: www.shop.example.com}]
                dependsOn: [api]
              api:
                image: registry.local/shop/api:1.4.2
                port: 8000
            environments:
              prod:
                env: {LOG_LEVEL: warn, REGION: cn-east}
                services:
                  web:
                    replicas: 6
                    command: [java, -Xss1m, -jar, app.jar]
                    env: {B: "3", C: "4"}
                    resources: {memory: 4Gi}
                    autoscale: {max: 40}
                    expose: [{host: shop.example.cn}]
                    dependsOn: []
                  admin:
                    image: registry.local/shop/admin:1.0.0
                    port: 9000
                addons:
                  cache: {type: redis}
              test: {}
            """);

    @Test
    void withoutAnEnvironmentTheBaseIsResolved() {
        AppSpec base = resolve(APP);
        assertThat(base.environment()).isNull();
        assertThat(base.environments()).containsExactlyInAnyOrder("prod", "test");
        assertThat(base.services().keySet()).containsExactly("web", "api");
        assertThat(base.services().get("web").replicas()).isEqualTo(2);
        assertThat(base.env()).containsExactly(java.util.Map.entry("TZ", "UTC"), java.util.Map.entry("LOG_LEVEL", "info"));
    }

    @Test
    void scalarsAreReplaced() {
        ServiceSpec web = resolve(APP, "prod").services().get("web");
        assertThat(web.replicas()).isEqualTo(6);
        assertThat(web.image()).isEqualTo("registry.local/shop/web:1.4.2"); // not overridden: kept
        assertThat(web.port()).isEqualTo(8080);
    }

    @Test
    void listsAreReplacedWhole() {
        ServiceSpec web = resolve(APP, "prod").services().get("web");
        assertThat(web.command()).containsExactly("java", "-Xss1m", "-jar", "app.jar");
        assertThat(web.expose()).extracting(e -> e.host()).containsExactly("shop.example.cn");
        assertThat(web.dependsOn()).isEmpty();
    }

    @Test
    void mappingsAreMergedKeyByKey() {
        ServiceSpec web = resolve(APP, "prod").services().get("web");
        assertThat(web.resources().cpu().toKubernetes()).isEqualTo("1");
        assertThat(web.resources().memory().toKubernetes()).isEqualTo("4Gi");
        assertThat(web.autoscale().min()).isEqualTo(2);
        assertThat(web.autoscale().max()).isEqualTo(40);
        assertThat(web.autoscale().cpu()).isEqualTo(60);
        assertThat(web.autoscale().cooldown()).isEqualTo(Duration.ofMinutes(3));
        assertThat(web.env()).containsExactly(java.util.Map.entry("A", "1"), java.util.Map.entry("B", "3"), java.util.Map.entry("C", "4"));
    }

    @Test
    void theEnvironmentsEnvMergesIntoSpecEnv() {
        assertThat(resolve(APP, "prod").env()).containsExactly(java.util.Map.entry("TZ", "UTC"),
                java.util.Map.entry("LOG_LEVEL", "warn"), java.util.Map.entry("REGION", "cn-east"));
    }

    @Test
    void anOverrideCanAddServicesAndAddons() {
        AppSpec prod = resolve(APP, "prod");
        assertThat(prod.environment()).isEqualTo("prod");
        assertThat(prod.services().keySet()).containsExactly("web", "api", "admin");
        assertThat(prod.addons().keySet()).containsExactly("cache");
        assertThat(resolve(APP).addons()).isEmpty();
    }

    @Test
    void anEmptyOverrideAndAnUndeclaredEnvironmentResolveToTheBase() {
        AppSpec base = resolve(APP);
        for (String env : new String[] {"test", "staging"}) {
            AppSpec spec = resolve(APP, env);
            assertThat(spec.environment()).isEqualTo(env);
            assertThat(spec.services()).isEqualTo(base.services());
            assertThat(spec.env()).isEqualTo(base.env());
            assertThat(spec.addons()).isEqualTo(base.addons());
        }
    }

    @Test
    void anInvalidEnvironmentNameIsAProblem() {
        assertThat(formatted(problems(APP, "Prod_1"))).containsExactly("""
                app.yaml: error: "Prod_1" is not a valid environment name
                    hint: use lower-case letters, digits and '-' (e.g. `prod`)""");
    }

    @Test
    void errorsInAnOverrideAreReportedAtTheOverride() {
        String yaml = app("""
                services:
                  web:
                    image: registry.local/shop/web:1.4.2
                    port: 8080
                    resources: {cpu: "1"}
                environments:
                  prod:
                    services:
                      web:
                        replicas: lots
                        resources: {cpu: 1core}
                        prot: 80
                      extra: {port: 80}
                    env: {"9LIVES": x}
                """);
        assertThat(formatted(problems(yaml))).isEmpty();
        assertThat(Docs.formatted(problems(yaml, "prod"))).containsExactlyInAnyOrder("""
                app.yaml:18:23: error: spec.environments.prod.env.9LIVES: "9LIVES" is not a valid environment variable name""", """
                app.yaml:16:11: error: spec.environments.prod.services.web.prot: unknown field "prot" in a service
                    hint: did you mean "port"?""", """
                app.yaml:14:21: error: spec.environments.prod.services.web.replicas: expected a whole number from 0 to 1000, got "lots"\
                """, """
                app.yaml:15:28: error: spec.environments.prod.services.web.resources.cpu: expected a CPU amount such as "2", "0.5" or \
                "500m" (at most 256), got "1core"
                    hint: write whole or fractional cores, or millicores with an m suffix""", """
                app.yaml:17:16: error: spec.environments.prod.services.extra.image: "image" is required
                    hint: for example `image: registry.local/shop/web:1.4.2`""");
    }

    @Test
    void errorsInTheBaseAreReportedAtTheBaseInEveryEnvironment() {
        String yaml = app("""
                services:
                  web: {image: registry.local/shop/web:1.4.2, port: 99999}
                environments:
                  prod:
                    services:
                      web: {replicas: 3}
                """);
        String expected = "app.yaml:6:55: error: spec.services.web.port: expected a whole number from 1 to 65535, got the number 99999";
        assertThat(formatted(problems(yaml))).containsExactly(expected);
        assertThat(formatted(problems(yaml, "prod"))).containsExactly(expected);
    }

    @Test
    void anOverrideThatBreaksAReferenceIsCaughtForThatEnvironmentOnly() {
        String yaml = app("""
                services:
                  web: {image: registry.local/shop/web:1.4.2, port: 8080, addons: [db]}
                addons:
                  db: {type: mysql}
                environments:
                  prod:
                    services:
                      web: {addons: [db, cache]}
                """);
        assertThat(problems(yaml)).isEmpty();
        assertThat(formatted(problems(yaml, "prod"))).containsExactly("""
                app.yaml:12:28: error: spec.environments.prod.services.web.addons[1]: addon "cache" is not declared in spec.addons
                    hint: declare it, e.g. `addons: {cache: {type: mysql, version: "8.0"}}`""");
    }

    @Test
    void anOverrideMayNotChangeTheAppItself() {
        String yaml = app("""
                services: {web: {image: registry.local/shop/web:1.4.2}}
                environments:
                  prod:
                    metadata: {name: other}
                    environments: {x: {}}
                """);
        assertThat(formatted(problems(yaml, "prod"))).containsExactly("""
                app.yaml:8:7: error: spec.environments.prod.metadata: unknown field "metadata" in an environment override
                    hint: known fields: addons, env, jobs, release, services""", """
                app.yaml:9:7: error: spec.environments.prod.environments: unknown field "environments" in an environment override
                    hint: known fields: addons, env, jobs, release, services""");
    }
}
