package io.pulsarmesh.operator.api.common.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** Logging of a component's JVM. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogConfig {
    @Default("INFO")
    @Pattern("^(INFO|DEBUG|TRACE|WARN|ERROR|FATAL|ALL|OFF)$")
    @JsonPropertyDescription("Root log level: INFO, DEBUG, TRACE, WARN, ERROR, FATAL, ALL or OFF.")
    private String level;
    @Default("text")
    @Pattern("^(json|text)$")
    @JsonPropertyDescription("Log line format: text or json (json needs a template or an image whose log4j2 configuration supports it).")
    private String format;
    @JsonPropertyDescription("A complete log4j2 configuration (YAML) that replaces the image's default.")
    private String template;

    public String getLevel() {
        return level;
    }

    public void setLevel(String level) {
        this.level = level;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getTemplate() {
        return template;
    }

    public void setTemplate(String template) {
        this.template = template;
    }
}
