package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.postgres.PostgresConnectionProperties;
import io.tributary.postgres.PostgresRootCertificates;
import io.tributary.postgres.PostgresSslMode;
import io.tributary.postgres.PostgresTlsSocketFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code ssl.mode} and {@code ssl.root-cert}: defaults per run mode, the rules between them, and the PEM forms. */
class DatabaseTlsTest {
    @TempDir
    Path dir;

    @Test
    void modeDefaultsToPreferLocallyAndVerifyFullOnTheServiceOrWithARootCertificate() {
        assertThat(config(Map.of(), RunMode.LOCAL).databaseSslMode()).isEqualTo(PostgresSslMode.PREFER);
        assertThat(config(Map.of("ssl.root-cert", "jvm"), RunMode.SERVICE).databaseSslMode())
                .isEqualTo(PostgresSslMode.VERIFY_FULL);
        assertThat(config(Map.of("ssl.root-cert", pem("test-ca.pem")), RunMode.LOCAL)
                        .databaseSslMode())
                .isEqualTo(PostgresSslMode.VERIFY_FULL);
        for (PostgresSslMode m :
                new PostgresSslMode[] {PostgresSslMode.DISABLE, PostgresSslMode.PREFER, PostgresSslMode.REQUIRE}) {
            assertThat(config(Map.of("ssl.mode", m.optionValue()), RunMode.SERVICE)
                            .databaseSslMode())
                    .isEqualTo(m);
        }
        assertThat(config(Map.of("ssl.mode", "VERIFY-CA", "ssl.root-cert", "jvm"), RunMode.LOCAL)
                        .databaseSslMode())
                .isEqualTo(PostgresSslMode.VERIFY_CA);
    }

    @Test
    void theServiceDefaultWithoutARootCertificateIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> config(Map.of(), RunMode.SERVICE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.mode' = 'verify-full' (the default in service mode) needs 'ssl.root-cert'")
                .hasMessageContaining("global-bundle.pem");
        assertThatThrownBy(() -> config(Map.of("ssl.mode", "verify-ca"), RunMode.LOCAL))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs 'ssl.root-cert'");
    }

    @Test
    void aRootCertificateWithAModeThatIgnoresItIsRefused() {
        assertThatThrownBy(() -> config(Map.of("ssl.mode", "require", "ssl.root-cert", "jvm"), RunMode.LOCAL))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.root-cert' is set but 'ssl.mode' = 'require' does not check");
    }

    @Test
    void anUnknownModeNamesTheAcceptedValues() {
        assertThatThrownBy(() -> config(Map.of("ssl.mode", "verify"), RunMode.LOCAL))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property group 'source.postgres': ssl.mode 'verify' is not known")
                .hasMessageContaining("disable, prefer, require, verify-ca, verify-full");
    }

    @Test
    void theRootCertificateIsInlinePemAFileOrTheJvmTrustStore() throws Exception {
        String bundle = pem("test-bundle.pem");
        assertThat(config(Map.of("ssl.root-cert", pem("test-ca.pem")), RunMode.LOCAL)
                        .databaseSslRootCert())
                .isEqualTo(pem("test-ca.pem"));
        Path file = Files.writeString(dir.resolve("bundle.pem"), bundle);
        String fromFile =
                config(Map.of("ssl.root-cert", file.toString()), RunMode.LOCAL).databaseSslRootCert();
        assertThat(fromFile).isEqualTo(bundle);
        assertThat(PostgresRootCertificates.parse(fromFile, "x")).hasSize(2);
        assertThat(config(Map.of("ssl.root-cert", file.toUri().toString()), RunMode.LOCAL)
                        .databaseSslRootCert())
                .as("a file:// URI is read through Flink's file systems, as s3:// is")
                .isEqualTo(bundle);
        assertThat(config(Map.of("ssl.root-cert", "jvm"), RunMode.LOCAL).databaseSslRootCert())
                .isNull();
    }

    @Test
    void aPemWithItsLineBreaksFlattenedToSpacesStillParses() throws Exception {
        String oneLine = pem("test-ca.pem")
                .replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE----- ")
                .replace("\n-----END", " -----END")
                .replace('\n', ' ');
        assertThat(PostgresRootCertificates.parse(oneLine, "x")).hasSize(1);
        config(Map.of("ssl.root-cert", oneLine), RunMode.LOCAL);
    }

    @Test
    void aBadPemOrAnUnreadableFileIsAConfigurationErrorNamingTheOption() throws Exception {
        String corrupt = pem("test-ca.pem").replaceFirst("\n[A-Za-z0-9+/]{20}", "\nAAAAAAAAAAAAAAAAAAAA");
        assertThatThrownBy(() -> config(Map.of("ssl.root-cert", corrupt), RunMode.LOCAL))
                .as("found when the configuration is read, before anything connects")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.root-cert' holds a certificate that does not parse");
        assertThatThrownBy(() -> config(Map.of("ssl.root-cert", "-----BEGIN PRIVATE KEY----- abc"), RunMode.LOCAL))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.root-cert' holds no '-----BEGIN CERTIFICATE-----' block");
        JobConfig missing =
                config(Map.of("ssl.root-cert", dir.resolve("absent.pem").toString()), RunMode.LOCAL);
        assertThatThrownBy(missing::databaseSslRootCert)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.root-cert' = '" + dir.resolve("absent.pem") + "' cannot be read");
        Path notPem = Files.writeString(dir.resolve("key.txt"), "not a certificate");
        JobConfig wrong = config(Map.of("ssl.root-cert", notPem.toString()), RunMode.LOCAL);
        assertThatThrownBy(wrong::databaseSslRootCert)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.root-cert' (" + notPem + ") holds no '-----BEGIN CERTIFICATE-----' block");
    }

    @Test
    void verifyingModesGetTheSocketFactoryAndThePemOthersOnlyTheirMode() {
        Map<String, String> verify = PostgresConnectionProperties.tls(PostgresSslMode.VERIFY_FULL, "PEM");
        assertThat(verify)
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslfactory", PostgresTlsSocketFactory.class.getName())
                .containsEntry(PostgresTlsSocketFactory.ROOT_CERT_PROPERTY, "PEM");
        assertThat(PostgresConnectionProperties.tls(PostgresSslMode.VERIFY_CA, null))
                .containsEntry("sslfactory", PostgresTlsSocketFactory.class.getName())
                .doesNotContainKey(PostgresTlsSocketFactory.ROOT_CERT_PROPERTY);
        assertThat(PostgresConnectionProperties.tls(PostgresSslMode.REQUIRE, null))
                .containsOnlyKeys("sslmode")
                .containsEntry("sslmode", "require");
    }

    private static JobConfig config(Map<String, String> tls, RunMode mode) {
        Map<String, String> source = new HashMap<>(Map.of(
                "hostname",
                "db.example",
                "database",
                "shop",
                "username",
                "cdc",
                "tables.include",
                "public\\..*",
                "password.env",
                "PW"));
        source.putAll(tls);
        return JobConfig.of(
                new PropertyGroups(
                        Map.of("source.postgres", source, "sink.eventlog", Map.of("path", "s3://bucket/events"))),
                mode);
    }

    private static String pem(String name) {
        try (InputStream in = DatabaseTlsTest.class.getResourceAsStream("/tls/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
