package io.pulsarmesh.operator.api.bookkeeper.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.ReclaimPolicy;

/** Bookie volumes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BookKeeperStorage {
    @JsonPropertyDescription("Journal volumes.")
    private Volumes journal;
    @JsonPropertyDescription("Ledger volumes.")
    private Volumes ledger;
    @Default("Retain")
    @Pattern(ReclaimPolicy.PATTERN)
    @JsonPropertyDescription("Retain (default): volumes outlive the custom resource. Delete: they are deleted with it.")
    private String reclaimPolicy;

    public Volumes getJournal() {
        return journal;
    }

    public void setJournal(Volumes journal) {
        this.journal = journal;
    }

    public Volumes getLedger() {
        return ledger;
    }

    public void setLedger(Volumes ledger) {
        this.ledger = ledger;
    }

    public String getReclaimPolicy() {
        return reclaimPolicy;
    }

    public void setReclaimPolicy(String reclaimPolicy) {
        this.reclaimPolicy = reclaimPolicy;
    }

    /** A set of identical volumes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Volumes {
        @Default("1")
        @Min(1)
        @Max(16)
        @JsonPropertyDescription("Volumes per bookie.")
        private Integer numVolumes;
        @Default("1")
        @Min(1)
        @Max(16)
        @JsonPropertyDescription("Directories per volume.")
        private Integer numDirsPerVolume;
        @JsonPropertyDescription("Claim of each volume; without it the bookie uses an emptyDir (lost with the pod: for tests only).")
        private PersistentVolumeClaimSpec volumeClaimTemplate;
        @JsonPropertyDescription("Labels and annotations of the claims.")
        private ClaimMetadata metadata;

        public Integer getNumVolumes() {
            return numVolumes;
        }

        public void setNumVolumes(Integer numVolumes) {
            this.numVolumes = numVolumes;
        }

        public Integer getNumDirsPerVolume() {
            return numDirsPerVolume;
        }

        public void setNumDirsPerVolume(Integer numDirsPerVolume) {
            this.numDirsPerVolume = numDirsPerVolume;
        }

        public PersistentVolumeClaimSpec getVolumeClaimTemplate() {
            return volumeClaimTemplate;
        }

        public void setVolumeClaimTemplate(PersistentVolumeClaimSpec volumeClaimTemplate) {
            this.volumeClaimTemplate = volumeClaimTemplate;
        }

        public ClaimMetadata getMetadata() {
            return metadata;
        }

        public void setMetadata(ClaimMetadata metadata) {
            this.metadata = metadata;
        }
    }

    /** Labels and annotations of generated claims. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ClaimMetadata {
        @JsonPropertyDescription("Labels.")
        private Map<String, String> labels;
        @JsonPropertyDescription("Annotations.")
        private Map<String, String> annotations;

        public Map<String, String> getLabels() {
            return labels;
        }

        public void setLabels(Map<String, String> labels) {
            this.labels = labels;
        }

        public Map<String, String> getAnnotations() {
            return annotations;
        }

        public void setAnnotations(Map<String, String> annotations) {
            this.annotations = annotations;
        }
    }
}
