package io.pulsarmesh.operator.api.bookkeeper.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;

/** BookKeeper auto-recovery workers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoRecovery {
    @Max(100)
    @JsonPropertyDescription("Workers; 0 or less disables auto-recovery. Default 1.")
    private Integer replicas;
    @JsonPropertyDescription("Image; default: the bookies' image.")
    private String image;
    @JsonPropertyDescription("Pod scheduling and runtime settings of the workers.")
    private PodPolicy pod;
    @JsonPropertyDescription("Extra bookkeeper.conf keys for the workers.")
    private Map<String, String> conf;
    @PreserveUnknownFields
    @JsonPropertyDescription("Autoscaling; accepted, not acted on yet.")
    private JsonNode autoScalingPolicy;
    @Min(0)
    @JsonPropertyDescription("Seconds between bookie checks (auditorPeriodicBookieCheckInterval).")
    private Long bookieCheckTaskInterval;
    @Min(0)
    @JsonPropertyDescription("Seconds between checks of all ledgers (auditorPeriodicCheckInterval).")
    private Long allLedgerCheckTaskInterval;
    @Min(0)
    @JsonPropertyDescription("Seconds before a lost bookie's ledgers are re-replicated (lostBookieRecoveryDelay).")
    private Long lostCheckDelayTime;
    @Min(0)
    @JsonPropertyDescription("Seconds to wait before decommissioning; accepted, not acted on yet.")
    private Long decommissionDelayTime;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public PodPolicy getPod() {
        return pod;
    }

    public void setPod(PodPolicy pod) {
        this.pod = pod;
    }

    public Map<String, String> getConf() {
        return conf;
    }

    public void setConf(Map<String, String> conf) {
        this.conf = conf;
    }

    public JsonNode getAutoScalingPolicy() {
        return autoScalingPolicy;
    }

    public void setAutoScalingPolicy(JsonNode autoScalingPolicy) {
        this.autoScalingPolicy = autoScalingPolicy;
    }

    public Long getBookieCheckTaskInterval() {
        return bookieCheckTaskInterval;
    }

    public void setBookieCheckTaskInterval(Long bookieCheckTaskInterval) {
        this.bookieCheckTaskInterval = bookieCheckTaskInterval;
    }

    public Long getAllLedgerCheckTaskInterval() {
        return allLedgerCheckTaskInterval;
    }

    public void setAllLedgerCheckTaskInterval(Long allLedgerCheckTaskInterval) {
        this.allLedgerCheckTaskInterval = allLedgerCheckTaskInterval;
    }

    public Long getLostCheckDelayTime() {
        return lostCheckDelayTime;
    }

    public void setLostCheckDelayTime(Long lostCheckDelayTime) {
        this.lostCheckDelayTime = lostCheckDelayTime;
    }

    public Long getDecommissionDelayTime() {
        return decommissionDelayTime;
    }

    public void setDecommissionDelayTime(Long decommissionDelayTime) {
        this.decommissionDelayTime = decommissionDelayTime;
    }
}
