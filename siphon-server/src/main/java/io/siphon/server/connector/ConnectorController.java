package io.siphon.server.connector;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.siphon.engine.ConnectorRegistry;
import io.siphon.spi.ConnectorFactory;
import io.siphon.spi.Option;
import io.siphon.spi.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connector catalog: every installed connector with its typed options, so that clients (the web
 * UI) generate connection forms from the connectors' own declarations instead of knowing each
 * connector.
 */
@RestController
@RequestMapping("/api/v1/connectors")
public class ConnectorController {

    private final ConnectorRegistry registry = ConnectorRegistry.installed();

    /**
     * An installed connector.
     *
     * @param type the {@code type} that names it in a connection or spec, for example {@code
     *     postgres}
     * @param description one line on what it connects to
     * @param options every option it accepts, in its declared order
     */
    public record ConnectorView(String type, String description, List<OptionView> options) {}

    /**
     * One option of a connector.
     *
     * @param name its key, for example {@code url}
     * @param type {@code text}, {@code number}, {@code boolean}, {@code duration} (written {@code
     *     500ms}, {@code 10s}, {@code 5m}), {@code list} (of text), {@code map} (of text) or {@code
     *     choice} (one of {@code allowed})
     * @param required whether a connection must set it
     * @param defaultValue its value when not set, or null (a duration as {@code <millis>ms})
     * @param secret whether it is a secret: stored encrypted, never shown or returned
     * @param description one sentence on what it does
     * @param allowed the values a {@code choice} takes; empty for other types
     * @param usages the sides it is for ({@code source}, {@code cdc}, {@code sink}); empty for
     *     every side
     * @param pipeline whether a pipeline may set it over the stored connection's value
     */
    public record OptionView(
            String name,
            String type,
            boolean required,
            @JsonProperty("default") Object defaultValue,
            boolean secret,
            String description,
            List<String> allowed,
            List<String> usages,
            boolean pipeline) {}

    /** Every installed connector, by type. */
    @GetMapping
    public List<ConnectorView> list() {
        return registry.types().stream().map(type -> view(registry.factory(type))).toList();
    }

    static ConnectorView view(ConnectorFactory factory) {
        Set<String> perPipeline =
                factory.pipelineOptions().stream().map(Option::name).collect(Collectors.toSet());
        return new ConnectorView(
                factory.type(),
                factory.description(),
                factory.options().stream()
                        .map(o -> option(o, perPipeline.contains(o.name())))
                        .toList());
    }

    private static OptionView option(Option<?> o, boolean pipeline) {
        return new OptionView(
                o.name(),
                typeName(o.kind()),
                o.required(),
                defaultValue(o.defaultValue()),
                o.sensitive(),
                o.description(),
                o.choices(),
                o.usages().stream().map(ConnectorController::usageName).toList(),
                pipeline);
    }

    private static String typeName(Option.Kind kind) {
        return switch (kind) {
            case STRING -> "text";
            case INTEGER, LONG -> "number";
            case BOOLEAN -> "boolean";
            case DURATION -> "duration";
            case STRING_LIST -> "list";
            case STRING_MAP -> "map";
            case CHOICE -> "choice";
        };
    }

    private static Object defaultValue(Object value) {
        return value instanceof Duration d ? d.toMillis() + "ms" : value;
    }

    private static String usageName(Usage usage) {
        return switch (usage) {
            case SOURCE -> "source";
            case STREAM_SOURCE -> "cdc";
            case SINK -> "sink";
        };
    }
}
