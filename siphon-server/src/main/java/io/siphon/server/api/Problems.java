package io.siphon.server.api;

import io.siphon.spi.ErrorCode;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem details for every error the API returns: the HTTP status, a human {@code
 * detail}, and Siphon's {@code code}, {@code category} and {@code retriable}; validation errors add
 * {@code errors}, one entry per problem.
 */
public final class Problems {

    private Problems() {}

    /** The problem for an error code and message. */
    public static ProblemDetail of(ErrorCode code, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(statusOf(code), detail);
        problem.setTitle(title(code));
        classify(problem, code);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", List.copyOf(errors));
        }
        return problem;
    }

    /** Gives a problem Siphon's type, {@code code}, {@code category} and {@code retriable}. */
    public static void classify(ProblemDetail problem, ErrorCode code) {
        problem.setType(URI.create("urn:siphon:error:" + code.name()));
        problem.setProperty("code", code.name());
        problem.setProperty("category", code.category().name());
        problem.setProperty("retriable", code.retriable());
    }

    /** The same as {@link #of(ErrorCode, String, List)} with no field errors. */
    public static ProblemDetail of(ErrorCode code, String detail) {
        return of(code, detail, List.of());
    }

    /**
     * The HTTP status of an error code. Failures of the systems Siphon talks to (a database that
     * refuses a login, a lost connection) are 502: the request was fine, the upstream was not.
     */
    public static HttpStatus statusOf(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case TOO_MANY_ATTEMPTS -> HttpStatus.TOO_MANY_REQUESTS;
            case REQUEST_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case ACCESS_DENIED -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, STATE_CONFLICT, PIPELINE_ALREADY_RUNNING -> HttpStatus.CONFLICT;
            case CONFIG_UNKNOWN_KEY,
                    CONFIG_MISSING_KEY,
                    CONFIG_INVALID_VALUE,
                    CONFIG_SYNTAX,
                    CONFIG_UNRESOLVED_REFERENCE,
                    CONNECTOR_NOT_FOUND,
                    CAPABILITY_MISSING,
                    TRANSFORM_INVALID ->
                    HttpStatus.BAD_REQUEST;
            case CONNECTION_FAILED,
                    CONNECTION_LOST,
                    AUTH_FAILED,
                    PERMISSION_DENIED,
                    SERVER_SETTING,
                    TABLE_NOT_FOUND,
                    SCHEMA_MISMATCH,
                    TYPE_UNSUPPORTED,
                    DATA_INVALID,
                    TRANSFORM_FAILED,
                    POSITION_LOST,
                    SINK_WRITE_RETRIABLE,
                    SINK_WRITE_FAILED ->
                    HttpStatus.BAD_GATEWAY;
            case STATE_STORE_FAILED, INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            case STATE_STORE_FULL -> HttpStatus.INSUFFICIENT_STORAGE;
        };
    }

    private static String title(ErrorCode code) {
        String words = code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * One problem of a request, for the {@code errors} list.
     *
     * @param field where in the request (a JSON path such as {@code source.tables}), or null
     * @param message what is wrong and how to fix it
     */
    public record FieldError(String field, String message) {}
}
