package io.siphon.server.api;

import io.siphon.spi.ErrorCategory;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every failure of a request into one problem+json answer (see {@link Problems}). */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final Pattern FIELD =
            Pattern.compile(
                    "(?:[^:]+:\\d+: )?(?:'([A-Za-z][\\w.-]*)' |([A-Za-z][\\w.-]*): )(.*)",
                    Pattern.DOTALL);
    private static final Pattern UNKNOWN_KEY = Pattern.compile("^unknown key '([^']+)'");

    /** A Java class name in Jackson's messages, for example {@code `io.siphon.X$NewUser`}. */
    private static final Pattern JAVA_NAME = Pattern.compile("`(?:\\w+[.$])+(\\w+)`");

    /** The Java member Jackson names in some messages: {@code ([method io.siphon.X#parse(..)])}. */
    private static final Pattern JAVA_MEMBER =
            Pattern.compile("\\s*\\(?\\[(?:method|constructor|field) [^\\]]*\\]\\)?");

    /** A Siphon error: its code decides the status. */
    @ExceptionHandler(SiphonException.class)
    public ResponseEntity<ProblemDetail> siphon(SiphonException e) {
        ErrorCode code = e.code();
        if (code == ErrorCode.INTERNAL_ERROR || code == ErrorCode.STATE_STORE_FAILED) {
            LOG.error("Request failed: {}", e.getMessage(), e);
        }
        List<Problems.FieldError> errors =
                code.category() == ErrorCategory.CONFIG ? fieldErrors(e.getMessage()) : List.of();
        ProblemDetail problem = Problems.of(code, e.getMessage(), errors);
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** A role too weak for a method-level check. */
    @ExceptionHandler(AccessDeniedException.class)
    public ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        ProblemDetail problem =
                Problems.of(ErrorCode.ACCESS_DENIED, "your role does not allow this request");
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** Anything else: a bug; logged with its stack trace, answered without it. */
    @ExceptionHandler(RuntimeException.class)
    public ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        LOG.error("Request failed unexpectedly", e);
        ProblemDetail problem =
                Problems.of(
                        ErrorCode.INTERNAL_ERROR,
                        "unexpected failure ("
                                + e.getClass().getSimpleName()
                                + "); the server log has the details");
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    /** Spring's own errors (unreadable JSON, unknown path, wrong method) get a code too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex,
            Object body,
            HttpHeaders headers,
            HttpStatusCode statusCode,
            WebRequest request) {
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SiphonException wrapped) {
                // Jackson wraps what our types throw while a body is read (an unknown role).
                ResponseEntity<ProblemDetail> answer = siphon(wrapped);
                return ResponseEntity.status(answer.getStatusCode()).body(answer.getBody());
            }
        }
        ResponseEntity<Object> response =
                super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            ErrorCode code =
                    switch (statusCode.value()) {
                        case 404 -> ErrorCode.NOT_FOUND;
                        case 400, 405, 406, 415 -> ErrorCode.CONFIG_SYNTAX;
                        default -> ErrorCode.INTERNAL_ERROR;
                    };
            Problems.classify(problem, code);
            if (statusCode.value() == 400 && ex.getMessage() != null) {
                // Jackson's message names the bad field and its line; the user needs it.
                problem.setDetail(readable(ex));
            }
        }
        return response;
    }

    private static String readable(Exception ex) {
        if (ex.getMessage().startsWith("Required request body is missing")) {
            // Spring's own message names the Java method; the caller needs none of that.
            return "the request body is missing; send it as JSON";
        }
        Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
        String message = cause.getMessage() == null ? ex.getMessage() : cause.getMessage();
        int details = message.indexOf(" (through reference chain");
        return "the request body is not valid: "
                + JAVA_MEMBER
                        .matcher(
                                JAVA_NAME
                                        .matcher(
                                                details > 0
                                                        ? message.substring(0, details)
                                                        : message)
                                        .replaceAll("`$1`"))
                        .replaceAll("");
    }

    /**
     * A configuration message (the spec parser lists one problem per line) as field errors. A line
     * names its field as {@code path: problem}, after the spec parser's {@code origin:line:}; an
     * unknown key adds itself to the path.
     */
    static List<Problems.FieldError> fieldErrors(String message) {
        List<Problems.FieldError> out = new ArrayList<>();
        for (String line : message == null ? new String[0] : message.split("\n")) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            Matcher m = FIELD.matcher(text);
            String field = null;
            if (m.matches()) {
                field = m.group(1) != null ? m.group(1) : m.group(2);
                Matcher unknown = UNKNOWN_KEY.matcher(m.group(3));
                if (unknown.find() && !field.endsWith("." + unknown.group(1))) {
                    field = field + "." + unknown.group(1);
                }
            }
            out.add(new Problems.FieldError(field, text));
        }
        return out;
    }
}
