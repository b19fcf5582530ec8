package io.pulsarmesh.operator.api.common.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** JVM options of a broker or proxy, passed through PULSAR_MEM, PULSAR_GC and PULSAR_EXTRA_OPTS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JvmOptions {
    @JsonPropertyDescription("Heap and direct memory options, for example -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g.")
    private List<String> memoryOptions;
    @JsonPropertyDescription("Garbage collector options.")
    private List<String> gcOptions;
    @JsonPropertyDescription("Garbage collector logging options.")
    private List<String> gcLoggingOptions;
    @JsonPropertyDescription("Any other JVM options.")
    private List<String> extraOptions;

    public List<String> getMemoryOptions() {
        return memoryOptions;
    }

    public void setMemoryOptions(List<String> memoryOptions) {
        this.memoryOptions = memoryOptions;
    }

    public List<String> getGcOptions() {
        return gcOptions;
    }

    public void setGcOptions(List<String> gcOptions) {
        this.gcOptions = gcOptions;
    }

    public List<String> getGcLoggingOptions() {
        return gcLoggingOptions;
    }

    public void setGcLoggingOptions(List<String> gcLoggingOptions) {
        this.gcLoggingOptions = gcLoggingOptions;
    }

    public List<String> getExtraOptions() {
        return extraOptions;
    }

    public void setExtraOptions(List<String> extraOptions) {
        this.extraOptions = extraOptions;
    }
}
