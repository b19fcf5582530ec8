package io.pulsarmesh.operator.api.pulsar.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Protocol handlers loaded into the broker (the image must ship them under ./protocols). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ProtocolHandlers {
    @JsonPropertyDescription("Kafka on Pulsar.")
    private Kop kop;
    @JsonPropertyDescription("MQTT on Pulsar.")
    private Mop mop;
    @JsonPropertyDescription("AMQP on Pulsar.")
    private Aop aop;

    public Kop getKop() {
        return kop;
    }

    public void setKop(Kop kop) {
        this.kop = kop;
    }

    public Mop getMop() {
        return mop;
    }

    public void setMop(Mop mop) {
        this.mop = mop;
    }

    public Aop getAop() {
        return aop;
    }

    public void setAop(Aop aop) {
        this.aop = aop;
    }

    /** Kafka on Pulsar. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Kop {
        @JsonPropertyDescription("Load the handler.")
        private Boolean enabled;
        @JsonPropertyDescription("Serve the Kafka schema registry.")
        private Boolean schemaRegistryEnabled;
        @JsonPropertyDescription("TLS of the Kafka listener.")
        private KopTls tls;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Boolean getSchemaRegistryEnabled() {
            return schemaRegistryEnabled;
        }

        public void setSchemaRegistryEnabled(Boolean schemaRegistryEnabled) {
            this.schemaRegistryEnabled = schemaRegistryEnabled;
        }

        public KopTls getTls() {
            return tls;
        }

        public void setTls(KopTls tls) {
            this.tls = tls;
        }
    }

    /** TLS of the Kafka listener. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class KopTls {
        @JsonPropertyDescription("Serve SSL on 9093.")
        private Boolean enabled;
        @JsonPropertyDescription("Secret with the certificate.")
        private String certSecretName;
        @JsonPropertyDescription("Trust the certificate's CA.")
        private Boolean trustCertsEnabled;
        @JsonPropertyDescription("Key store password.")
        private SecretKeyRef passwordSecretRef;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public String getCertSecretName() {
            return certSecretName;
        }

        public void setCertSecretName(String certSecretName) {
            this.certSecretName = certSecretName;
        }

        public Boolean getTrustCertsEnabled() {
            return trustCertsEnabled;
        }

        public void setTrustCertsEnabled(Boolean trustCertsEnabled) {
            this.trustCertsEnabled = trustCertsEnabled;
        }

        public SecretKeyRef getPasswordSecretRef() {
            return passwordSecretRef;
        }

        public void setPasswordSecretRef(SecretKeyRef passwordSecretRef) {
            this.passwordSecretRef = passwordSecretRef;
        }
    }

    /** A key of a Secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretKeyRef {
        @JsonPropertyDescription("Secret name.")
        private String name;
        @JsonPropertyDescription("Key in the Secret.")
        private String key;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }
    }

    /** MQTT on Pulsar. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Mop {
        @JsonPropertyDescription("Load the handler.")
        private Boolean enabled;
        @JsonPropertyDescription("Run the MQTT proxy.")
        private Boolean proxyEnabled;
        @JsonPropertyDescription("Authenticate MQTT clients.")
        private Boolean authenticationEnabled;
        @JsonPropertyDescription("Authentication methods.")
        private java.util.List<String> authenticationMethods;
        @JsonPropertyDescription("Authorize MQTT clients.")
        private Boolean authorizationEnabled;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Boolean getProxyEnabled() {
            return proxyEnabled;
        }

        public void setProxyEnabled(Boolean proxyEnabled) {
            this.proxyEnabled = proxyEnabled;
        }

        public Boolean getAuthenticationEnabled() {
            return authenticationEnabled;
        }

        public void setAuthenticationEnabled(Boolean authenticationEnabled) {
            this.authenticationEnabled = authenticationEnabled;
        }

        public java.util.List<String> getAuthenticationMethods() {
            return authenticationMethods;
        }

        public void setAuthenticationMethods(java.util.List<String> authenticationMethods) {
            this.authenticationMethods = authenticationMethods;
        }

        public Boolean getAuthorizationEnabled() {
            return authorizationEnabled;
        }

        public void setAuthorizationEnabled(Boolean authorizationEnabled) {
            this.authorizationEnabled = authorizationEnabled;
        }
    }

    /** AMQP on Pulsar. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Aop {
        @JsonPropertyDescription("Load the handler.")
        private Boolean enabled;
        @JsonPropertyDescription("Deprecated: the AMQP proxy is always on.")
        private Boolean proxyEnabled;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Boolean getProxyEnabled() {
            return proxyEnabled;
        }

        public void setProxyEnabled(Boolean proxyEnabled) {
            this.proxyEnabled = proxyEnabled;
        }
    }
}
