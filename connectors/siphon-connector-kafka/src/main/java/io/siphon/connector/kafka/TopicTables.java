package io.siphon.connector.kafka;

import io.siphon.model.TableId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table of a topic, by the topic rule read backwards ({@link KafkaOptions#TOPIC}): {@code
 * {prefix}} must match the prefix, {@code {schema}} one name part without dots, {@code {table}} the
 * rest. Without {@code {schema}} in the rule, the schema is the prefix. A name in which the sink
 * replaced characters Kafka does not allow reads back with the {@code _} it wrote.
 */
final class TopicTables {

    private final Pattern rule;
    private final String prefix;
    private final boolean hasSchema;

    TopicTables(String topicRule, String prefix) {
        this.prefix = prefix;
        this.hasSchema = topicRule.contains("{schema}");
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{(prefix|schema|table)}").matcher(topicRule);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(topicRule.substring(at, m.start())));
            regex.append(
                    switch (m.group(1)) {
                        case "prefix" -> Pattern.quote(prefix);
                        case "schema" -> "(?<schema>[^.]+)";
                        default -> "(?<table>.+)";
                    });
            at = m.end();
        }
        regex.append(Pattern.quote(topicRule.substring(at)));
        this.rule = Pattern.compile(regex.toString());
    }

    /** The table whose changes the topic holds, or empty for a topic the rule does not name. */
    Optional<TableId> tableOf(String topic) {
        Matcher m = rule.matcher(topic);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(TableId.of(hasSchema ? m.group("schema") : prefix, m.group("table")));
    }
}
