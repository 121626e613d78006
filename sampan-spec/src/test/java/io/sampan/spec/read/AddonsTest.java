package io.sampan.spec.read;

import static io.sampan.spec.read.Docs.app;
import static io.sampan.spec.read.Docs.formattedErrors;
import static io.sampan.spec.read.Docs.onlyError;
import static org.assertj.core.api.Assertions.assertThat;

import io.sampan.spec.AddonSpec;
import io.sampan.spec.AppSpec;
import org.junit.jupiter.api.Test;

/** Addons: declarations, references from services and jobs, external bindings. */
class AddonsTest {

    @Test
    void anUndeclaredAddonSuggestsADeclaredOne() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", addons: [cach]}
                addons:
                  cache: {type: redis}
                """)).format()).isEqualTo("""
                app.yaml:6:36: error: spec.services.web.addons[0]: addon "cach" is not declared in spec.addons
                    hint: did you mean "cache"?""");
    }

    @Test
    void anUndeclaredAddonShowsHowToDeclareIt() {
        assertThat(onlyError(app("""
                jobs:
                  migrate: {image: "r/a:1", trigger: pre-release, addons: [db]}
                """)).format()).isEqualTo("""
                app.yaml:6:62: error: spec.jobs.migrate.addons[0]: addon "db" is not declared in spec.addons
                    hint: declare it, e.g. `addons: {db: {type: mysql, version: "8.0"}}`""");
    }

    @Test
    void anAddonListedTwice() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", addons: [db, db]}
                addons:
                  db: {type: mysql}
                """)).format()).isEqualTo("app.yaml:6:40: error: spec.services.web.addons[1]: addon \"db\" is listed twice");
    }

    @Test
    void anUnknownTypeSuggestsAndListsTheKnownOnes() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1", addons: [db]}
                addons:
                  db: {type: postgres}
                """)).format()).isEqualTo("""
                app.yaml:8:16: error: spec.addons.db.type: unknown addon type "postgres"
                    hint: did you mean "postgresql"? known types: mysql, postgresql, redis, rabbitmq, kafka, elasticsearch, mongodb""");
    }

    @Test
    void aReferenceToAnAddonWithAnErrorIsNotAlsoReportedAsUndeclared() {
        assertThat(formattedErrors(app("""
                services:
                  web: {image: "r/a:1", addons: [db]}
                addons:
                  db: {type: mysq}
                """))).singleElement().asString().startsWith("app.yaml:8:16: error: spec.addons.db.type: unknown addon type \"mysq\"");
    }

    @Test
    void addonAliasesAreNames() {
        assertThat(onlyError(app("""
                services:
                  web: {image: "r/a:1"}
                addons:
                  main_db: {type: mysql}
                """)).format()).startsWith("app.yaml:8:14: error: spec.addons.main_db: \"main_db\" is not a valid addon name");
    }

    @Test
    void declarationsBindWithDefaults() {
        AppSpec spec = Docs.resolve(app("""
                services:
                  web: {image: "r/a:1", addons: [db, cache, legacy]}
                addons:
                  db: {type: mysql, version: "8.0", plan: ha}
                  cache: {type: redis, version: 7, shared: true}
                  legacy: {type: mysql, external: {secret: legacy-db}}
                """));
        assertThat(spec.addons().values()).containsExactly(
                new AddonSpec("db", "mysql", "8.0", "ha", null, false),
                new AddonSpec("cache", "redis", "7", "small", null, true),
                new AddonSpec("legacy", "mysql", null, "small", "legacy-db", false));
        assertThat(spec.addons().get("legacy").isExternal()).isTrue();
        assertThat(spec.services().get("web").addons()).containsExactly("db", "cache", "legacy");
    }

    @Test
    void overridingAnInjectedVariableIsAWarning() {
        AppDocument.Resolution r = AppReader.read(app("""
                env: {DB_HOST: db.internal}
                services:
                  web: {image: "r/a:1", addons: [db], env: {DB_PASSWORD: secret, DB_POOL: "10"}}
                addons:
                  db: {type: mysql}
                """), "app.yaml").resolveWithProblems(null);
        assertThat(r.spec()).isNotNull();
        assertThat(Docs.formatted(r.warnings())).containsExactlyInAnyOrder("""
                app.yaml:7:10: warning: spec.services.web.env.DB_HOST: DB_HOST replaces the value Sampan injects for "db"
                    hint: remove it to use the injected value""", """
                app.yaml:7:10: warning: spec.services.web.env.DB_PASSWORD: DB_PASSWORD replaces the value Sampan injects for "db"
                    hint: remove it to use the injected value""");
    }
}
