package io.pulsarmesh.operator.artifact;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Faults the mock API server injects before its CRUD store sees a request: a rule answers the next {@code times}
 * requests of a method whose path contains a fragment with an error status (500, 409 Conflict, 410 Gone, 429 with a
 * retry delay...), as a real API server under load, in a conflict or restarting would.
 */
public final class Faults {
    /** One rule; {@code served} counts the faults it gave. */
    public record Rule(String method, String pathContains, int status, String reason, int times, AtomicInteger served) {
        boolean matches(RecordedRequest r) {
            return method.equals(r.getMethod()) && r.getPath() != null && r.getPath().contains(pathContains)
                    && served.get() < times;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** The next {@code times} requests of {@code method} with {@code pathContains} in their path fail with {@code status}. */
    public Rule fail(String method, String pathContains, int status, String reason, int times) {
        Rule r = new Rule(method, pathContains, status, reason, times, new AtomicInteger());
        rules.add(r);
        return r;
    }

    public void clear() {
        rules.clear();
    }

    /** The fault for this request, or {@code null} to let the store answer. */
    MockResponse answer(RecordedRequest request) {
        for (Rule r : rules) {
            if (r.matches(request) && r.served().incrementAndGet() <= r.times()) {
                String status = """
                        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"injected: %s",\
                        "reason":"%s","code":%d}""".formatted(r.reason(), r.reason(), r.status());
                MockResponse response = new MockResponse().setResponseCode(r.status()).setBody(status);
                return r.status() == 429 ? response.addHeader("Retry-After", "1") : response;
            }
        }
        return null;
    }
}
