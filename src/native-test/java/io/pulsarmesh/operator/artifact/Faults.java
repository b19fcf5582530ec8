package io.pulsarmesh.operator.artifact;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
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
    /** The watches the server has open (websockets), so that they can be dropped. */
    private final java.util.Set<WebSocket> watches = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The next {@code times} requests of {@code method} with {@code pathContains} in their path fail with {@code status}. */
    public Rule fail(String method, String pathContains, int status, String reason, int times) {
        Rule r = new Rule(method, pathContains, status, reason, times, new AtomicInteger());
        rules.add(r);
        return r;
    }

    public void clear() {
        rules.clear();
    }

    /**
     * Drops every watch open now, as a restarting API server or a load balancer's idle timeout does: the websockets
     * close abnormally and each client must watch again. Returns how many were dropped.
     */
    public int dropWatches() {
        int dropped = 0;
        for (WebSocket w : List.copyOf(watches)) {
            watches.remove(w);
            w.close(1011, "injected: watch dropped");
            dropped++;
        }
        return dropped;
    }

    /** Watches open now. */
    public int openWatches() {
        return watches.size();
    }

    /** The store's answer to a watch, with its websocket followed so that {@link #dropWatches} can close it. */
    MockResponse tracked(MockResponse response) {
        WebSocketListener listener = response.getWebSocketListener();
        if (listener == null) {
            return response;
        }
        return response.withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onBeforeAccept(WebSocket ws, Response r) {
                listener.onBeforeAccept(ws, r);
            }

            @Override
            public void onOpen(WebSocket ws, Response r) {
                watches.add(ws);
                listener.onOpen(ws, r);
            }

            @Override
            public void onMessage(WebSocket ws, String text) {
                listener.onMessage(ws, text);
            }

            @Override
            public void onMessage(WebSocket ws, ByteString bytes) {
                listener.onMessage(ws, bytes);
            }

            @Override
            public void onMessage(WebSocket ws, byte[] bytes) {
                listener.onMessage(ws, bytes);
            }

            @Override
            public void onClosing(WebSocket ws, int code, String reason) {
                watches.remove(ws);
                listener.onClosing(ws, code, reason);
            }

            @Override
            public void onClosed(WebSocket ws, int code, String reason) {
                watches.remove(ws);
                listener.onClosed(ws, code, reason);
            }

            @Override
            public void onFailure(WebSocket ws, Throwable t, Response r) {
                watches.remove(ws);
                listener.onFailure(ws, t, r);
            }
        });
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
