package io.sampan.server.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header; the paths come from the controllers. Served at {@code /v3/api-docs}. */
@Configuration
public class ApiDocument {
    @Bean
    OpenAPI sampanOpenApi() {
        return new OpenAPI().info(new Info().title("Sampan API").version("v1")
                .description("Application-centric deployment on Kubernetes: projects, environments, clusters, apps, revisions and releases. "
                        + "Errors are RFC 9457 problem documents with an `errors` list naming each field.")
                .license(new License().name("Apache-2.0")));
    }
}
