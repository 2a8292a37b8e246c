package io.siphon.server.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's fixed parts. Its one server is {@code /}, relative to wherever the
 * document was fetched from: left empty, springdoc would write the request's {@code Host} header
 * into it, which a client controls.
 */
@Configuration
class OpenApiDocument {

    @Bean
    OpenAPI siphonOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Siphon server API").version("v1"))
                .servers(List.of(new Server().url("/").description("this server")));
    }
}
