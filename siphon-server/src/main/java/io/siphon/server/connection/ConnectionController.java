package io.siphon.server.connection;

import io.siphon.model.Column;
import io.siphon.model.TableSchema;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.Problem;
import io.siphon.spi.SiphonException;
import io.siphon.spi.Usage;
import io.siphon.transforms.TypeNames;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Connections: create, list, change, delete, test, and browse their tables. */
@RestController
@RequestMapping("/api/v1/connections")
public class ConnectionController {

    /** The header that says how many tables match a paged {@code tables} call in all. */
    static final String TOTAL_COUNT = "X-Total-Count";

    private static final int MAX_PAGE = 1000;

    private final ConnectionService service;

    ConnectionController(ConnectionService service) {
        this.service = service;
    }

    /**
     * A connection to create.
     *
     * @param name its name
     * @param type the connector type, for example {@code postgres}
     * @param config the connector's options (url, user, password, ...); secret ones are stored
     *     encrypted and never returned
     */
    public record NewConnection(String name, String type, Map<String, Object> config) {}

    /**
     * New options for a connection; secret options left out keep their values.
     *
     * @param type a new connector type, or null to keep it
     * @param config the options
     */
    public record ConnectionChange(String type, Map<String, Object> config) {}

    /**
     * The outcome of a connection test.
     *
     * @param ok whether nothing is wrong
     * @param usage what the connection was tested for
     * @param problems every problem, each with its fix
     */
    public record TestResult(boolean ok, String usage, List<ProblemView> problems) {}

    /**
     * A problem found by a test or a validation.
     *
     * @param code the error code
     * @param category its category
     * @param message what is wrong
     * @param fix what to do
     */
    public record ProblemView(String code, String category, String message, String fix) {

        /** The view of a connector's problem. */
        public static ProblemView of(Problem p) {
            return new ProblemView(
                    p.code().name(), p.code().category().name(), p.message(), p.fix());
        }
    }

    /**
     * A table the connection reaches.
     *
     * @param schema its schema
     * @param name its name
     * @param primaryKey its primary key columns, in key order
     * @param columns its columns
     */
    public record TableView(
            String schema, String name, List<String> primaryKey, List<ColumnView> columns) {}

    /**
     * A column.
     *
     * @param name its name
     * @param type Siphon's type, as a {@code cast} or {@code column-types} names it ({@code
     *     bigint}, {@code varchar(40)}, {@code numeric(12,2)}, ...)
     * @param nativeType the database's type
     * @param nullable whether it may be null
     */
    public record ColumnView(String name, String type, String nativeType, boolean nullable) {}

    @GetMapping
    public List<ConnectionView> list() {
        return service.list();
    }

    @GetMapping("/{name}")
    public ConnectionView get(@PathVariable String name) {
        return service.get(name);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public ConnectionView create(@RequestBody NewConnection request, Authentication auth) {
        return service.create(request.name(), request.type(), request.config(), auth.getName());
    }

    @PutMapping("/{name}")
    public ConnectionView update(@PathVariable String name, @RequestBody ConnectionChange change) {
        return service.update(name, change.type(), change.config());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name) {
        service.delete(name);
    }

    /**
     * Connects and checks the connection for a use: {@code source} (the default), {@code cdc}
     * (source with change data capture) or {@code sink}.
     */
    @PostMapping("/{name}/test")
    public TestResult test(
            @PathVariable String name, @RequestParam(defaultValue = "source") String usage) {
        Usage u = usage(usage);
        List<ProblemView> problems = service.test(name, u).stream().map(ProblemView::of).toList();
        return new TestResult(problems.isEmpty(), usage.toLowerCase(Locale.ROOT), problems);
    }

    /**
     * The tables a connection reaches, sorted by schema and name. {@code search} keeps those whose
     * {@code schema.name} contains it (in any case); {@code offset} and {@code limit} page through
     * them; the header {@code X-Total-Count} says how many match in all.
     */
    @GetMapping("/{name}/tables")
    public ResponseEntity<List<TableView>> tables(
            @PathVariable String name,
            @RequestParam(required = false) String search,
            @RequestParam(defaultValue = "0") int offset,
            @RequestParam(required = false) Integer limit) {
        String needle = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        List<TableSchema> matching =
                service.tables(name).stream()
                        .filter(
                                t ->
                                        needle.isEmpty()
                                                || t.id().toString()
                                                        .toLowerCase(Locale.ROOT)
                                                        .contains(needle))
                        .sorted(
                                Comparator.comparing((TableSchema t) -> t.id().schema())
                                        .thenComparing(t -> t.id().table()))
                        .toList();
        int from = Math.clamp(offset, 0, matching.size());
        int to =
                limit == null
                        ? matching.size()
                        : Math.min(matching.size(), from + Math.clamp(limit, 1, MAX_PAGE));
        return ResponseEntity.ok()
                .header(TOTAL_COUNT, Integer.toString(matching.size()))
                .body(
                        matching.subList(from, to).stream()
                                .map(ConnectionController::table)
                                .toList());
    }

    private static TableView table(TableSchema t) {
        return new TableView(
                t.id().schema(),
                t.id().table(),
                t.primaryKey(),
                t.columns().stream().map(ConnectionController::column).toList());
    }

    private static ColumnView column(Column c) {
        return new ColumnView(c.name(), TypeNames.name(c.type()), c.nativeType(), c.nullable());
    }

    private static Usage usage(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "source" -> Usage.SOURCE;
            case "cdc" -> Usage.STREAM_SOURCE;
            case "sink" -> Usage.SINK;
            default ->
                    throw new SiphonException(
                            ErrorCode.CONFIG_INVALID_VALUE,
                            "usage '" + text + "' is not one of source, cdc, sink");
        };
    }
}
