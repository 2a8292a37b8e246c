package io.siphon.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import io.siphon.transforms.RouteFactory;
import org.junit.jupiter.api.Test;

class PipelineGraphParserTest {

    private static final PipelineSpecParser PARSER = PipelineSpecParser.withInstalledConnectors();

    private static final String UNION =
            """
            name: shards
            mode: snapshot+cdc
            nodes:
              - id: eu
                source: { type: memory, database: eu }
              - id: us
                source: { type: memory, database: us }
              - id: merged
                union: { source-column: region }
              - id: no-test
                filter: { where: "row.name != 'test'" }
              - id: warehouse
                sink: { type: memory, database: wh, table: "analytics.{table}" }
            edges:
              - { from: eu, to: merged }
              - { from: us, to: merged }
              - { from: merged, to: no-test }
              - { from: no-test, to: warehouse }
            """;

    private static final String FAN_OUT =
            """
            name: fan
            nodes:
              - id: shop
                source: { type: memory, database: shop }
              - id: hide
                mask: { columns: [name], with: redact }
              - id: lake
                sink: { type: memory, database: lake }
              - id: crm
                sink: { type: memory, database: crm }
            edges:
              - { from: shop, to: lake }
              - { from: shop, to: hide }
              - { from: hide, to: crm }
            """;

    private static SiphonException failure(String yaml) {
        try {
            PARSER.parseGraph(yaml, "g.yaml");
        } catch (SiphonException e) {
            return e;
        }
        throw new AssertionError("expected the graph to be rejected");
    }

    @Test
    void twoSourcesThroughAUnionAreTwoFlowsIntoOneSharedSink() {
        PipelineGraph graph = PARSER.parseGraph(UNION, "g.yaml");

        assertThat(graph.flows())
                .extracting(f -> f.spec().name())
                .containsExactly("shards.eu.warehouse", "shards.us.warehouse");
        PipelineGraph.Flow eu = graph.flows().get(0);
        assertThat(eu.path()).containsExactly("eu", "merged", "no-test", "warehouse");
        assertThat(eu.spec().sharedTargets()).isTrue();
        assertThat(eu.spec().mode()).isEqualTo(Mode.SNAPSHOT_CDC);
        assertThat(eu.spec().transforms())
                .extracting(TransformSpec::name, TransformSpec::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("merged", "route"),
                        org.assertj.core.groups.Tuple.tuple("no-test", "filter"));
        assertThat(eu.spec().transforms().get(0).config().get(RouteFactory.SOURCE_COLUMN))
                .isEqualTo("region");
        assertThat(eu.spec().transforms().get(0).config().get(RouteFactory.SOURCE_VALUE))
                .isEqualTo("eu");
        assertThat(
                        graph.flows()
                                .get(1)
                                .spec()
                                .transforms()
                                .get(0)
                                .config()
                                .get(RouteFactory.SOURCE_VALUE))
                .isEqualTo("us");
    }

    @Test
    void oneSourceFannedOutIsOneFlowPerSinkWithItsOwnOperators() {
        PipelineGraph graph = PARSER.parseGraph(FAN_OUT, "g.yaml");

        assertThat(graph.flows())
                .extracting(f -> f.spec().name())
                .containsExactly("fan.shop.lake", "fan.shop.crm");
        assertThat(graph.flows().get(0).spec().transforms()).isEmpty();
        assertThat(graph.flows().get(1).spec().transforms())
                .extracting(TransformSpec::name)
                .containsExactly("hide");
        assertThat(graph.flows()).allSatisfy(f -> assertThat(f.spec().sharedTargets()).isFalse());
    }

    @Test
    void theLinearFormIsAChainOfOneFlowNamedLikeThePipeline() {
        PipelineGraph graph =
                PARSER.parseGraph(
                        """
                        name: shop-copy
                        source: { type: memory, database: shop }
                        transforms:
                          - drop: { columns: [note] }
                        sink: { type: memory, database: wh }
                        """,
                        "p.yaml");

        assertThat(graph.nodes()).extracting(GraphNode::id).containsExactly("source", "#1", "sink");
        assertThat(graph.edges())
                .extracting(GraphEdge::toString)
                .containsExactly("source -> #1", "#1 -> sink");
        assertThat(graph.flows())
                .singleElement()
                .satisfies(f -> assertThat(f.spec().name()).isEqualTo("shop-copy"));
    }

    @Test
    void anEdgeNamingAnUnknownNodeNamesTheNearestOne() {
        SiphonException e =
                failure(UNION.replace("{ from: us, to: merged }", "{ from: us, to: mergd }"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID_VALUE);
        assertThat(e.getMessage())
                .contains("g.yaml:16: edges.to: there is no node 'mergd': did you mean 'merged'?");
    }

    @Test
    void aNodeWithTwoInputsThatIsNotAUnionSaysToAddOne() {
        SiphonException e =
                failure(UNION.replace("{ from: eu, to: merged }", "{ from: eu, to: no-test }"));

        assertThat(e.getMessage())
                .contains(
                        "g.yaml:10: filter node no-test has 2 inputs (eu, merged) but only a union"
                                + " merges rows; add { id: merged, union: {} } with an edge from"
                                + " each of them, and an edge { from: merged, to: no-test }")
                .contains("g.yaml:8: union merged has one input (us) but merges two or more");
    }

    @Test
    void aSinkWithoutInputAndANodeLeadingNowhereAreNamed() {
        SiphonException e = failure(UNION.replace("  - { from: no-test, to: warehouse }\n", ""));

        assertThat(e.getMessage())
                .isEqualTo(
                        "g.yaml:10: filter node no-test leads nowhere; add an edge { from:"
                                + " no-test, to: <node> } towards a sink, or remove the node\n"
                                + "g.yaml:12: sink warehouse has no input; add an edge { from:"
                                + " <node>, to: warehouse } or remove the node");
    }

    @Test
    void aNodeIdUsedTwiceIsRefused() {
        SiphonException e = failure(FAN_OUT.replace("id: crm", "id: lake"));

        assertThat(e.getMessage())
                .startsWith(
                        "g.yaml:9: node id 'lake' is used twice (first on line 7); give each node"
                                + " an id of its own");
    }

    @Test
    void aCycleBetweenOperatorsIsRefusedWithItsPath() {
        String yaml =
                """
                name: loop
                nodes:
                  - { id: db, source: { type: memory, database: shop } }
                  - { id: a, drop: { columns: [x] } }
                  - { id: m, union: {} }
                  - { id: b, drop: { columns: [y] } }
                  - { id: out, sink: { type: memory, database: wh } }
                edges:
                  - { from: db, to: m }
                  - { from: m, to: a }
                  - { from: a, to: b }
                  - { from: b, to: m }
                  - { from: b, to: out }
                """;

        assertThat(failure(yaml).getMessage())
                .isEqualTo(
                        "g.yaml:5: the edges form a cycle, m -> a -> b -> m; rows would go round"
                                + " for ever: remove one of these edges");
    }

    @Test
    void edgesIntoASourceOrOutOfASinkAreRefused() {
        String yaml =
                FAN_OUT.replace(
                        "  - { from: hide, to: crm }\n",
                        "  - { from: hide, to: crm }\n  - { from: crm, to: shop }\n");

        assertThat(failure(yaml).getMessage())
                .isEqualTo(
                        "g.yaml:15: edge crm -> shop leads into source shop, which takes no"
                                + " input; reverse it or lead it to a sink");
    }

    @Test
    void aSourceReachingOneSinkTwiceIsRefused() {
        String yaml =
                """
                name: twice
                nodes:
                  - { id: db, source: { type: memory, database: shop } }
                  - { id: a, drop: { columns: [x] } }
                  - { id: b, drop: { columns: [y] } }
                  - { id: m, union: {} }
                  - { id: out, sink: { type: memory, database: wh } }
                edges:
                  - { from: db, to: a }
                  - { from: db, to: b }
                  - { from: a, to: m }
                  - { from: b, to: m }
                  - { from: m, to: out }
                """;

        assertThat(failure(yaml).getMessage())
                .isEqualTo(
                        "g.yaml:3: source db reaches sink out along two paths (db -> a -> m -> out"
                                + " and db -> b -> m -> out), so its rows would be written twice;"
                                + " keep one path, or use a filter that a row passes on one path"
                                + " only and two sinks");
    }

    @Test
    void theLinearBlocksInAGraphAndAnUnknownKindSayWhatToWrite() {
        String yaml =
                UNION.replace(
                                "mode: snapshot+cdc\n",
                                "mode: snapshot+cdc\nsource: { type: memory }\n")
                        .replace("filter: { where", "filtr: { where");

        assertThat(failure(yaml).getMessage())
                .isEqualTo(
                        "g.yaml:3: 'source' belongs to the linear form, but this spec has nodes"
                                + " and edges; make it a node, for example nodes: [ { id: db1,"
                                + " source: { ... } } ]\n"
                                + "g.yaml:12: node no-test: unknown kind 'filtr': did you mean"
                                + " 'filter'?");
    }

    @Test
    void aCommandForOneSourceAndSinkRefusesAGraphOfSeveralFlows() {
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowableOfType(
                                SiphonException.class, () -> PARSER.parse(FAN_OUT, "g.yaml")))
                .hasMessage(
                        "pipeline fan is a graph of 2 flows (fan.shop.lake, fan.shop.crm) but this"
                                + " command takes a pipeline of one source and one sink; write one"
                                + " spec per flow");
    }
}
