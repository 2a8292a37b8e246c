package io.siphon.connector.postgres.check;

import io.siphon.connector.postgres.PostgresConnector;
import io.siphon.connector.postgres.PostgresOptions;
import io.siphon.connector.postgres.SqlText;
import io.siphon.connector.postgres.cdc.PgStreamSource;
import io.siphon.connector.postgres.cdc.StreamNames;
import io.siphon.model.TableId;
import io.siphon.model.TableSchema;
import io.siphon.spi.SiphonException;
import io.siphon.spi.TableFilter;
import io.siphon.spi.TablePattern;
import io.siphon.spi.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The SQL a DBA runs so that Siphon needs no superuser: the login role, its grants, the publication
 * (owned by the tables' owner, never changed by Siphon once named with {@code publication-name})
 * and a replica identity for every table without a primary key. The tables are listed by name when
 * the configured user can see them, else the grants follow the patterns of the pipeline.
 */
public final class SetupScript {

    private SetupScript() {}

    /** The statements, with comment lines, for one side of a pipeline. */
    public static List<String> of(
            PostgresConnector connector, Usage usage, String pipeline, TableFilter filter) {
        String user = connector.endpoint().user() == null ? "siphon" : connector.endpoint().user();
        String role = SqlText.quote(user);
        String database = SqlText.quote(connector.endpoint().database());
        List<String> out = new ArrayList<>();
        out.add(
                "-- Siphon, "
                        + (usage == Usage.SINK ? "target" : "source")
                        + " of pipeline "
                        + pipeline
                        + ": database "
                        + connector.endpoint().database()
                        + " at "
                        + connector.endpoint().address()
                        + ". Run as a superuser"
                        + (usage == Usage.SINK ? "." : " or as the owner of the tables."));
        out.add(
                "-- The role Siphon logs in as"
                        + (usage == Usage.STREAM_SOURCE
                                ? ": not a superuser, owns nothing, may open replication"
                                        + " connections. Give it a password with \\password "
                                        + user
                                        + "."
                                : ". Give it a password with \\password " + user + "."));
        out.add(
                "CREATE ROLE "
                        + role
                        + " LOGIN"
                        + (usage == Usage.STREAM_SOURCE ? " REPLICATION" : "")
                        + ";");
        if (usage == Usage.SINK) {
            out.add(
                    "-- Creates the target schemas and tables, and stages rows in temporary tables.");
            out.add(
                    "GRANT CONNECT, CREATE, TEMPORARY ON DATABASE "
                            + database
                            + " TO "
                            + role
                            + ";");
            return out;
        }
        out.add("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + role + ";");
        Tables tables = tables(connector, filter);
        if (tables.note() != null) {
            out.add("-- " + tables.note());
        }
        for (String schema : tables.schemas()) {
            out.add("GRANT USAGE ON SCHEMA " + SqlText.quote(schema) + " TO " + role + ";");
        }
        if (!tables.named().isEmpty()) {
            out.add(
                    "GRANT SELECT ON "
                            + tables.named().stream()
                                    .map(SqlText::quote)
                                    .collect(Collectors.joining(", "))
                            + " TO "
                            + role
                            + ";");
        }
        for (String schema : tables.wholeSchemas()) {
            out.add(
                    "GRANT SELECT ON ALL TABLES IN SCHEMA "
                            + SqlText.quote(schema)
                            + " TO "
                            + role
                            + ";");
        }
        if (usage != Usage.STREAM_SOURCE) {
            return out;
        }
        StreamNames names = StreamNames.of(pipeline, connector.config());
        out.add(
                "-- The publication of the streamed tables, owned by their owner. Siphon never"
                        + " changes a publication named with publication-name: add a new table"
                        + " with ALTER PUBLICATION "
                        + names.publication()
                        + " ADD TABLE <table>;");
        if (!names.publicationConfigured()) {
            out.add(
                    "-- Then add to the source of the pipeline: publication-name: "
                            + names.publication());
        }
        out.add(
                tables.named().isEmpty() && !tables.wholeSchemas().isEmpty()
                        ? "CREATE PUBLICATION "
                                + SqlText.quote(names.publication())
                                + " FOR TABLES IN SCHEMA "
                                + tables.wholeSchemas().stream()
                                        .map(SqlText::quote)
                                        .collect(Collectors.joining(", "))
                                + " WITH (publish_via_partition_root = true);"
                        : PgStreamSource.createPublication(
                                names.publication(), List.copyOf(tables.named())));
        if (!tables.keyless().isEmpty()) {
            out.add(
                    "-- Tables without a primary key: log whole rows, so that their updates and"
                            + " deletes carry a key.");
            for (TableId t : tables.keyless()) {
                out.add("ALTER TABLE " + SqlText.quote(t) + " REPLICA IDENTITY FULL;");
            }
        }
        return out;
    }

    /**
     * The tables to grant on.
     *
     * @param named tables by name
     * @param wholeSchemas schemas whose tables are granted as a whole (patterns that could not be
     *     resolved)
     * @param schemas every schema involved
     * @param keyless tables without a primary key
     * @param note why the tables are not listed by name, or null
     */
    private record Tables(
            Set<TableId> named,
            Set<String> wholeSchemas,
            Set<String> schemas,
            Set<TableId> keyless,
            String note) {}

    private static Tables tables(PostgresConnector connector, TableFilter filter) {
        String defaultSchema = connector.config().get(PostgresOptions.DEFAULT_SCHEMA);
        Set<TableId> named = new TreeSet<>();
        Set<String> schemas = new TreeSet<>();
        Set<TableId> keyless = new TreeSet<>();
        try {
            for (TableSchema t : connector.discover(filter)) {
                named.add(t.id());
                schemas.add(t.id().schema());
                if (!t.hasPrimaryKey()) {
                    keyless.add(t.id());
                }
            }
            if (!named.isEmpty()) {
                return new Tables(named, Set.of(), schemas, keyless, null);
            }
        } catch (SiphonException e) {
            // Siphon's user may not see the tables yet: that is what this script is for.
        }
        Set<String> whole = new TreeSet<>();
        for (TablePattern p : filter.include()) {
            Optional<TableId> literal = p.literalTable(defaultSchema);
            if (literal.isPresent()) {
                named.add(literal.get());
                schemas.add(literal.get().schema());
            } else {
                p.literalSchema(defaultSchema)
                        .ifPresent(
                                schema -> {
                                    whole.add(schema);
                                    schemas.add(schema);
                                });
            }
        }
        return new Tables(
                named,
                whole,
                schemas,
                keyless,
                "The tables could not be listed as "
                        + connector.endpoint().user()
                        + ", so the grants follow the pipeline's patterns; tables without a"
                        + " primary key also need REPLICA IDENTITY FULL.");
    }
}
