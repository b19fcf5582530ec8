package io.pulsarmesh.operator.api.bookkeeper.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Typed BookKeeper settings; anything else goes in custom. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BookKeeperConfig {
    @Pattern("^(|UseHostNameAsBookieID|HostNamePort)$")
    @JsonPropertyDescription("Bookie identity: UseHostNameAsBookieID (default; the stable pod host name) or HostNamePort. Never change it on a running cluster.")
    private String bookieIDPolicy;
    @JsonPropertyDescription("Node labels that define racks for rack-aware placement.")
    private List<String> rackAwareTopologyLabels;
    @Min(0)
    @JsonPropertyDescription("Milliseconds between garbage collection runs.")
    private Long gcWaitTime;
    @Min(0)
    @JsonPropertyDescription("Compaction rate in bytes per second.")
    private Long compactionRateByBytes;
    @JsonPropertyDescription("Throttle compaction by bytes rather than entries.")
    private Boolean isThrottleByBytes;
    @Min(1)
    @JsonPropertyDescription("Journal format version to write.")
    private Integer journalFormatVersionToWrite;
    @Min(1)
    @JsonPropertyDescription("File info format version to write.")
    private Integer fileInfoFormatVersionToWrite;
    @Min(0)
    @JsonPropertyDescription("Journal files to keep.")
    private Integer journalMaxBackups;
    @JsonPropertyDescription("Persist the bookie status (read-only mode) across restarts.")
    private Boolean persistBookieStatusEnabled;
    @JsonPropertyDescription("Use transactional compaction.")
    private Boolean useTransactionalCompaction;
    @PreserveUnknownFields
    @JsonPropertyDescription("Stream storage settings; accepted, not acted on yet.")
    private JsonNode streamStorage;
    @JsonPropertyDescription("Any other bookkeeper.conf keys. Keys the operator owns (ports, directories, metadata) are refused.")
    private Map<String, String> custom;

    public String getBookieIDPolicy() {
        return bookieIDPolicy;
    }

    public void setBookieIDPolicy(String bookieIDPolicy) {
        this.bookieIDPolicy = bookieIDPolicy;
    }

    public List<String> getRackAwareTopologyLabels() {
        return rackAwareTopologyLabels;
    }

    public void setRackAwareTopologyLabels(List<String> rackAwareTopologyLabels) {
        this.rackAwareTopologyLabels = rackAwareTopologyLabels;
    }

    public Long getGcWaitTime() {
        return gcWaitTime;
    }

    public void setGcWaitTime(Long gcWaitTime) {
        this.gcWaitTime = gcWaitTime;
    }

    public Long getCompactionRateByBytes() {
        return compactionRateByBytes;
    }

    public void setCompactionRateByBytes(Long compactionRateByBytes) {
        this.compactionRateByBytes = compactionRateByBytes;
    }

    public Boolean getIsThrottleByBytes() {
        return isThrottleByBytes;
    }

    public void setIsThrottleByBytes(Boolean isThrottleByBytes) {
        this.isThrottleByBytes = isThrottleByBytes;
    }

    public Integer getJournalFormatVersionToWrite() {
        return journalFormatVersionToWrite;
    }

    public void setJournalFormatVersionToWrite(Integer journalFormatVersionToWrite) {
        this.journalFormatVersionToWrite = journalFormatVersionToWrite;
    }

    public Integer getFileInfoFormatVersionToWrite() {
        return fileInfoFormatVersionToWrite;
    }

    public void setFileInfoFormatVersionToWrite(Integer fileInfoFormatVersionToWrite) {
        this.fileInfoFormatVersionToWrite = fileInfoFormatVersionToWrite;
    }

    public Integer getJournalMaxBackups() {
        return journalMaxBackups;
    }

    public void setJournalMaxBackups(Integer journalMaxBackups) {
        this.journalMaxBackups = journalMaxBackups;
    }

    public Boolean getPersistBookieStatusEnabled() {
        return persistBookieStatusEnabled;
    }

    public void setPersistBookieStatusEnabled(Boolean persistBookieStatusEnabled) {
        this.persistBookieStatusEnabled = persistBookieStatusEnabled;
    }

    public Boolean getUseTransactionalCompaction() {
        return useTransactionalCompaction;
    }

    public void setUseTransactionalCompaction(Boolean useTransactionalCompaction) {
        this.useTransactionalCompaction = useTransactionalCompaction;
    }

    public JsonNode getStreamStorage() {
        return streamStorage;
    }

    public void setStreamStorage(JsonNode streamStorage) {
        this.streamStorage = streamStorage;
    }

    public Map<String, String> getCustom() {
        return custom;
    }

    public void setCustom(Map<String, String> custom) {
        this.custom = custom;
    }
}
