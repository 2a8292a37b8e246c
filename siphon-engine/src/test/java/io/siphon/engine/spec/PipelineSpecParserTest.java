package io.siphon.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.siphon.engine.memory.MemoryConnectorFactory;
import io.siphon.model.TableId;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSpecParserTest {

    private static final PipelineSpecParser PARSER = PipelineSpecParser.withInstalledConnectors();

    private static final String VALID =
            """
            name: shop-copy
            source:
              type: memory
              database: shop
              tables: [main.orders, "main.order_items_.*"]
            sink:
              type: memory
              database: warehouse
              table: "analytics.{table}"
            """;

    private static PipelineSpec parse(String yaml) {
        return PARSER.parse(yaml, "p.yaml");
    }

    private static SiphonException failure(String yaml) {
        try {
            parse(yaml);
        } catch (SiphonException e) {
            return e;
        }
        throw new AssertionError("expected the spec to be rejected");
    }

    @Test
    void aValidSpecGetsTheDocumentedDefaults() {
        PipelineSpec spec = parse(VALID);

        assertThat(spec.name()).isEqualTo("shop-copy");
        assertThat(spec.mode()).isEqualTo(Mode.SNAPSHOT);
        assertThat(spec.schemaChanges()).isEqualTo(SchemaChangePolicy.PROPAGATE);
        assertThat(spec.parallelism())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(spec.chunkRows()).isEqualTo(100_000);
        assertThat(spec.batchRows()).isEqualTo(5_000);
        assertThat(spec.source().type()).isEqualTo("memory");
        assertThat(spec.sink().tableRule()).isEqualTo("analytics.{table}");
        assertThat(spec.sink().targetOf(TableId.of("main", "orders")))
                .isEqualTo(TableId.of("analytics", "orders"));
    }

    @Test
    void anUnknownKeyNamesItsLineAndTheNearestValidKey() {
        SiphonException e = failure(VALID + "parallelizm: 4\n");

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(e.getMessage())
                .isEqualTo("p.yaml:10: unknown key 'parallelizm': did you mean 'parallelism'?");
    }

    @Test
    void aSourceOptionInTheSinkBlockIsAnErrorNotIgnored() {
        SiphonException e =
                failure(
                        VALID.replace(
                                "  table: \"analytics.{table}\"",
                                "  tables: \"analytics.{table}\""));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(e.getMessage())
                .isEqualTo(
                        "p.yaml:9: sink: 'tables' is an option of the source and would be ignored"
                                + " here; move it to the source block; the sink names its target"
                                + " tables with 'table', for example table:"
                                + " \"analytics.{table}\"");
    }

    @Test
    void aCommaSeparatedStringWhereAListBelongsIsAnErrorShowingTheList() {
        SiphonException e =
                failure(
                        VALID.replace(
                                "tables: [main.orders, \"main.order_items_.*\"]",
                                "tables: main.orders, main.items"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
        assertThat(e.getMessage())
                .startsWith(
                        "p.yaml:5: source: 'tables' is 'main.orders, main.items' but must be a"
                                + " list, written [main.orders, main.items] (Tables to take");
    }

    @Test
    void aSingleTableWithoutBracketsAndAPatternWithACountStayValid() {
        PipelineSpec spec =
                parse(
                        VALID.replace(
                                "tables: [main.orders, \"main.order_items_.*\"]",
                                "tables: \"main.t_[0-9]{1,3}\""));

        assertThat(spec.source().config().get(io.siphon.spi.StandardOptions.TABLES))
                .containsExactly("main.t_[0-9]{1,3}");
    }

    @Test
    void anUnknownConnectorKeyNamesTheNearestOptionOfThatConnector() {
        SiphonException e = failure(VALID.replace("  database: warehouse", "  databse: warehouse"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(e.getMessage())
                .isEqualTo("p.yaml:8: sink: unknown key 'databse': did you mean 'database'?");
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        SiphonException e =
                failure(
                        """
                        source:
                          type: memory
                          database: shop
                        chunk-rows: many
                        mode: sideways
                        """);

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_MISSING_KEY);
        assertThat(e.getMessage().lines())
                .containsExactly(
                        "p.yaml:1: missing required key 'name': Name of the pipeline: letters,"
                                + " digits, - and _; names its state and, later, its replication"
                                + " slot",
                        "p.yaml:1: missing required key 'sink': a block with the sink's type and"
                                + " connection, for example sink: { type: postgres, url:"
                                + " jdbc:postgresql://host:5432/db }",
                        "p.yaml:4: 'chunk-rows' is 'many' but must be a whole number (Rows per"
                                + " snapshot chunk: the unit of parallel reading and of resuming"
                                + " after a crash)",
                        "p.yaml:5: 'mode' is 'sideways' but must be one of snapshot | cdc |"
                                + " snapshot+cdc");
    }

    @Test
    void anUnknownConnectorTypeListsTheInstalledOnes() {
        SiphonException e =
                failure(
                        VALID.replace(
                                "type: memory\n  database: warehouse",
                                "type: nosuch\n  database: warehouse"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTOR_NOT_FOUND);
        assertThat(e.getMessage())
                .isEqualTo(
                        "p.yaml:7: sink.type: no connector of type 'nosuch' is installed;"
                                + " installed: memory");
    }

    @Test
    void streamingModesAndTheirIntervalsParse() {
        PipelineSpec spec =
                parse(
                        VALID
                                + "mode: snapshot+cdc\nflush-interval: 10ms\ncheckpoint-interval: 2s\n");

        assertThat(spec.mode()).isEqualTo(Mode.SNAPSHOT_CDC);
        assertThat(spec.flushInterval()).isEqualTo(java.time.Duration.ofMillis(10));
        assertThat(spec.checkpointInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(parse(VALID + "mode: cdc\n").mode()).isEqualTo(Mode.CDC);
    }

    @Test
    void transformsAreParsedInOrderWithTheirOptions() {
        PipelineSpec spec =
                parse(
                        VALID
                                + """
                                transforms:
                                  - filter: { tables: main.orders, where: "row.status != 'test'" }
                                  - drop: { columns: [note] }
                                  - mask: { columns: [email], with: sha256 }
                                """);

        assertThat(spec.transforms())
                .extracting(TransformSpec::name, TransformSpec::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("#1", "filter"),
                        org.assertj.core.groups.Tuple.tuple("#2", "drop"),
                        org.assertj.core.groups.Tuple.tuple("#3", "mask"));
        assertThat(parse(VALID).transforms()).isEmpty();
    }

    @Test
    void anUnknownOperatorNamesTheNearestOne() {
        SiphonException e = failure(VALID + "transforms:\n  - filtr: { where: \"true\" }\n");

        assertThat(e.code()).isEqualTo(ErrorCode.TRANSFORM_INVALID);
        assertThat(e.getMessage())
                .startsWith(
                        "p.yaml:11: transforms #1: no transform operator 'filtr' is installed;"
                                + " did you mean 'filter'?");
    }

    @Test
    void anUnknownOperatorOptionNamesTheNearestOneAndItsLine() {
        SiphonException e =
                failure(
                        VALID
                                + "transforms:\n"
                                + "  - drop: { columns: [a] }\n"
                                + "  - mask:\n"
                                + "      columns: [email]\n"
                                + "      wth: sha256\n");

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(e.getMessage()).startsWith("p.yaml:14: transforms #2 (mask): ");
        assertThat(e.getMessage()).contains("'wth'").contains("'with'");
    }

    @Test
    void anOperatorOptionOfTheWrongTypeOrMissingIsReportedWithEveryOtherProblem() {
        SiphonException e =
                failure(
                        VALID
                                + "transforms:\n"
                                + "  - filter: { tables: main.orders }\n"
                                + "  - route: { target: \"x.{1}\" }\n"
                                + "  - keep\n");

        assertThat(e.getMessage().lines())
                .hasSize(3)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith("p.yaml:11: transforms #1 (filter): ")
                                        .contains("where"))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith("p.yaml:12: transforms #2 (route): ")
                                        .contains("{1}"))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .startsWith(
                                                "p.yaml:13: transforms #3 must be one"
                                                        + " operator"));
    }

    @Test
    void aDuplicateKeyIsASyntaxErrorNamingBothLines() {
        SiphonException e = failure(VALID + "name: again\n");

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_SYNTAX);
        assertThat(e.getMessage())
                .isEqualTo("p.yaml:10: key 'name' appears twice (first on line 1); keep one");
    }

    @Test
    void brokenYamlNamesItsLine() {
        SiphonException e = failure("name: x\nsource: [unclosed\n");

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_SYNTAX);
        assertThat(e.getMessage())
                .startsWith("p.yaml:2: not valid YAML: while parsing a flow sequence");
    }

    @Test
    void environmentReferencesAreResolvedAndSecretsNeverShown() {
        References env = new References(Map.of("SHOP_SECRET", "hunter2")::get, Path.of("."));
        PipelineSpec spec =
                PARSER.parse(
                        VALID.replace(
                                "  database: shop",
                                "  database: shop\n  secret: ${env:SHOP_SECRET}"),
                        "p.yaml",
                        env);

        assertThat(spec.source().config().get(MemoryConnectorFactory.SECRET)).isEqualTo("hunter2");
        assertThat(spec.toString()).doesNotContain("hunter2").contains("secret=****");
    }

    @Test
    void anUntrustedSpecMayNotReadTheEnvironmentOrFiles() {
        SiphonException e =
                assertThrows(
                        () ->
                                PARSER.parseUntrusted(
                                        VALID.replace(
                                                "database: shop",
                                                "database: ${env:HOME}-${file:x}"),
                                        "pipeline p"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNRESOLVED_REFERENCE);
        assertThat(e.getMessage())
                .isEqualTo(
                        "pipeline p:4: 'source.database' uses ${env:HOME}, but a spec sent to the"
                                + " server cannot read the server's environment or files; put secrets"
                                + " in the connection instead");
        assertThat(PARSER.parseUntrusted(VALID, "pipeline p").name()).isEqualTo("shop-copy");
    }

    @Test
    void aLiteralValueIsReadBackAsItIsEvenWhenItLooksLikeAReference() {
        String password = "p${env:HOME}x$${file:/etc/passwd}";
        String yaml =
                VALID.replace(
                        "  database: shop",
                        "  database: shop\n  secret: '"
                                + PipelineSpecParser.literal(password)
                                + "'");
        References env = new References(Map.of("HOME", "/root")::get, Path.of("."));

        assertThat(
                        PARSER.parseUntrusted(yaml, "pipeline p")
                                .source()
                                .config()
                                .get(MemoryConnectorFactory.SECRET))
                .isEqualTo(password);
        assertThat(
                        PARSER.parse(yaml, "p.yaml", env)
                                .source()
                                .config()
                                .get(MemoryConnectorFactory.SECRET))
                .isEqualTo(password);
    }

    @Test
    void aMissingEnvironmentVariableIsNamedWithTheFix() {
        References env = new References(Map.<String, String>of()::get, Path.of("."));
        SiphonException e =
                assertThrows(
                        () ->
                                PARSER.parse(
                                        VALID.replace("database: shop", "database: ${env:SHOP_DB}"),
                                        "p.yaml",
                                        env));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_UNRESOLVED_REFERENCE);
        assertThat(e.getMessage())
                .isEqualTo(
                        "p.yaml:4: 'source.database' refers to environment variable SHOP_DB,"
                                + " which is not set; export it, or write ${env:SHOP_DB:-default}");
    }

    @Test
    void anEnvironmentDefaultIsUsedWhenTheVariableIsUnset() {
        References env = new References(Map.<String, String>of()::get, Path.of("."));
        PipelineSpec spec =
                PARSER.parse(
                        VALID.replace("database: shop", "database: ${env:SHOP_DB:-shop2}"),
                        "p.yaml",
                        env);

        assertThat(spec.source().config().get(MemoryConnectorFactory.DATABASE)).isEqualTo("shop2");
    }

    @Test
    void fileReferencesAreRelativeToTheSpecAndLoseTheirTrailingNewline(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("db.txt"), "from-file\n");
        Path specFile = dir.resolve("p.yaml");
        Files.writeString(specFile, VALID.replace("database: shop", "database: ${file:db.txt}"));

        PipelineSpec spec = PARSER.parse(specFile);

        assertThat(spec.source().config().get(MemoryConnectorFactory.DATABASE))
                .isEqualTo("from-file");
    }

    @Test
    void targetNamesKeepDotsAndQuotesOfSourceNames() {
        SinkSpec sink = parse(VALID).sink();

        assertThat(sink.targetOf(TableId.of("main", "we\"ird.name")))
                .isEqualTo(TableId.of("analytics", "we\"ird.name"));
        SinkSpec same = parse(VALID.replace("  table: \"analytics.{table}\"\n", "")).sink();
        assertThat(same.targetOf(TableId.of("Sales", "Order Items")))
                .isEqualTo(TableId.of("Sales", "Order Items"));
    }

    private static SiphonException assertThrows(Runnable r) {
        try {
            r.run();
        } catch (SiphonException e) {
            return e;
        }
        throw new AssertionError("expected a SiphonException");
    }

    @Test
    void aNameWithSpacesIsRejected() {
        assertThatThrownBy(() -> parse(VALID.replace("shop-copy", "shop copy")))
                .isInstanceOf(SiphonException.class)
                .hasMessageContaining("p.yaml:1: 'name' is 'shop copy' but must be 1 to 63");
    }
}
