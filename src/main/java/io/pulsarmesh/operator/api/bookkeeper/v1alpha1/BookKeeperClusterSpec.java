package io.pulsarmesh.operator.api.bookkeeper.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.pulsarmesh.operator.api.common.v1alpha1.ComponentSpec;
import io.pulsarmesh.operator.api.common.v1alpha1.PodPolicy;

/** Desired state of a BookKeeper cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class BookKeeperClusterSpec extends ComponentSpec {
    @SpecReplicas
    @Default("3")
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Bookies.")
    private Integer replicas;
    @Size(max = 1024)
    @JsonPropertyDescription("ZooKeeper connect string of the metadata store, for example private-cloud-zk:2181.")
    private String zkServers;
    @Size(max = 1024)
    @JsonPropertyDescription("BookKeeper metadata service URI; default zk+hierarchical://<zkServers>/ledgers.")
    private String metadataServiceUri;
    @JsonPropertyDescription("The BookKeeper metadata already exists; the bookies do not try to create it.")
    private Boolean initialized;
    @JsonPropertyDescription("BookKeeper configuration.")
    private BookKeeperConfig config;
    @JsonPropertyDescription("Deprecated alias of config.custom.")
    private Map<String, String> conf;
    @JsonPropertyDescription("Journal and ledger volumes.")
    private BookKeeperStorage storage;
    @JsonPropertyDescription("Auto-recovery workers that re-replicate ledgers of lost bookies.")
    private AutoRecovery autoRecovery;
    @JsonPropertyDescription("Pod scheduling and runtime settings of the bookies.")
    private PodPolicy pod;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public String getZkServers() {
        return zkServers;
    }

    public void setZkServers(String zkServers) {
        this.zkServers = zkServers;
    }

    public String getMetadataServiceUri() {
        return metadataServiceUri;
    }

    public void setMetadataServiceUri(String metadataServiceUri) {
        this.metadataServiceUri = metadataServiceUri;
    }

    public Boolean getInitialized() {
        return initialized;
    }

    public void setInitialized(Boolean initialized) {
        this.initialized = initialized;
    }

    public BookKeeperConfig getConfig() {
        return config;
    }

    public void setConfig(BookKeeperConfig config) {
        this.config = config;
    }

    public Map<String, String> getConf() {
        return conf;
    }

    public void setConf(Map<String, String> conf) {
        this.conf = conf;
    }

    public BookKeeperStorage getStorage() {
        return storage;
    }

    public void setStorage(BookKeeperStorage storage) {
        this.storage = storage;
    }

    public AutoRecovery getAutoRecovery() {
        return autoRecovery;
    }

    public void setAutoRecovery(AutoRecovery autoRecovery) {
        this.autoRecovery = autoRecovery;
    }

    public PodPolicy getPod() {
        return pod;
    }

    public void setPod(PodPolicy pod) {
        this.pod = pod;
    }
}
