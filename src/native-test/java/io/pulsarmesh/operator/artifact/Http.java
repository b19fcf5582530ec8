package io.pulsarmesh.operator.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Requests to the launched application's HTTP endpoints, and Prometheus samples of {@code /q/metrics}. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Http() {
    }

    static HttpResponse<String> get(URL url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(url.toURI()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One sample of a Prometheus text exposition. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> subset) {
            return labels.entrySet().containsAll(subset.entrySet());
        }
    }

    static List<Sample> samples(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}; fails when there is none. */
    static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).toList();
        if (found.isEmpty()) {
            String prefix = name.substring(0, name.indexOf('_') + 1);
            throw new AssertionError("no sample " + name + labels + " on /q/metrics; samples named " + prefix + "*: "
                    + samples.stream().filter(s -> s.name().startsWith(prefix)).map(s -> s.name() + s.labels())
                            .distinct().limit(40).toList()
                    + "; all names: " + samples.stream().map(Sample::name).distinct().sorted().toList());
        }
        return found.stream().mapToDouble(Sample::value).sum();
    }
}
