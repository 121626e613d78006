package io.sampan.server.api;

import io.sampan.server.registry.RegistryException;
import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every error of the API is an RFC 9457 problem document. Input errors carry {@code errors}: a list
 * of {@code {field, message}} (and for app.yaml, line, column and hint). Nothing internal leaks.
 */
@RestControllerAdvice
public class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(RegistryException.NotFound.class)
    ProblemDetail notFound(RegistryException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", e.getMessage(), null);
    }

    @ExceptionHandler(io.sampan.server.access.AccessControl.Forbidden.class)
    ProblemDetail forbidden(RuntimeException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", e.getMessage(), null);
    }

    @ExceptionHandler(io.sampan.server.quota.QuotaCheck.Exceeded.class)
    ProblemDetail quota(RuntimeException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "quota-exceeded", e.getMessage(), null);
    }

    @ExceptionHandler(RegistryException.AlreadyExists.class)
    ProblemDetail exists(RegistryException e) {
        return problem(HttpStatus.CONFLICT, "already-exists", e.getMessage(), null);
    }

    @ExceptionHandler(RegistryException.Conflict.class)
    ProblemDetail conflict(RegistryException e) {
        return problem(HttpStatus.CONFLICT, "conflict", e.getMessage(), null);
    }

    @ExceptionHandler(RegistryException.Invalid.class)
    ProblemDetail invalid(RegistryException.Invalid e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid", e.getMessage(), List.of(Map.of("field", e.field(), "message", e.getMessage())));
    }

    @ExceptionHandler(SpecException.class)
    ProblemDetail spec(SpecException e) {
        List<Map<String, Object>> errors = e.problems().stream().map(ApiErrors::field).toList();
        long n = e.errors().size();
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-app", "the app.yaml has " + n + (n == 1 ? " error" : " errors"), errors);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class})
    ProblemDetail unreadable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException.Invalid invalid) {
                return invalid(invalid); // a value the body's shape allows but the domain does not
            }
        }
        String detail = e instanceof MissingServletRequestParameterException m ? "the query parameter \"" + m.getParameterName() + "\" is required"
                : e instanceof MethodArgumentTypeMismatchException m ? "\"" + m.getName() + "\" has the wrong type"
                : "the request body is not valid JSON of the expected shape";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof tools.jackson.databind.DatabindException d && !d.getPath().isEmpty()) {
                String field = fieldPath(d.getPath());
                String message = "\"" + field + "\" has the wrong type or form";
                return problem(HttpStatus.BAD_REQUEST, "bad-request", message, List.of(Map.of("field", field, "message", message)));
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "bad-request", detail, null);
    }

    @ExceptionHandler(org.springframework.web.HttpMediaTypeNotSupportedException.class)
    ProblemDetail mediaType(org.springframework.web.HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "this endpoint takes " + e.getSupportedMediaTypes()
                .stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", ")) + ", not " + e.getContentType(), null);
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail internal(IllegalStateException e) {
        LOG.error("internal error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log", null);
    }

    /** {@code clusters[0].weight} from Jackson's reference chain. */
    private static String fieldPath(List<tools.jackson.core.JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (var ref : path) {
            if (ref.getPropertyName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static Map<String, Object> field(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", p.isError() ? "error" : "warning");
        m.put("field", p.path());
        if (p.position().known()) {
            m.put("line", p.position().line());
            m.put("column", p.position().column());
        }
        m.put("message", p.message());
        if (p.hint() != null) {
            m.put("hint", p.hint());
        }
        return m;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail, List<?> errors) {
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
        pd.setType(URI.create("https://sampan.io/problems/" + type));
        pd.setTitle(status.getReasonPhrase());
        if (errors != null) {
            pd.setProperty("errors", errors);
        }
        return pd;
    }
}
