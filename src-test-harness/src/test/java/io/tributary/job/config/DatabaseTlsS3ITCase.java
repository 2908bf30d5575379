package io.tributary.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.harness.StandInExtension;
import io.tributary.harness.TlsTestCertificates;
import io.tributary.harness.standin.S3StandIn;
import io.tributary.postgres.PostgresRootCertificates;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** {@code ssl.root-cert=s3://bucket/key} is read through Flink's S3 file system where the job is built. */
class DatabaseTlsS3ITCase {
    @RegisterExtension
    static final StandInExtension<S3StandIn> S3 = StandInExtension.s3("certs");

    @BeforeAll
    static void useS3() {
        FileSystem.initialize(Configuration.fromMap(S3.get().flinkConfig()), null);
    }

    @AfterAll
    static void forgetS3() {
        FileSystem.initialize(new Configuration(), null);
    }

    @Test
    void aBundleInS3IsReadOnceAsPem() throws Exception {
        String bundle = TlsTestCertificates.newCa("region A").caPem()
                + TlsTestCertificates.newCa("region B").caPem();
        Path object = new Path("s3://certs/rds/global-bundle.pem");
        try (FSDataOutputStream out = object.getFileSystem().create(object, FileSystem.WriteMode.OVERWRITE)) {
            out.write(bundle.getBytes(StandardCharsets.UTF_8));
        }
        JobConfig config = config("s3://certs/rds/global-bundle.pem");
        assertThat(config.databaseSslRootCert()).isEqualTo(bundle);
        assertThat(PostgresRootCertificates.parse(config.databaseSslRootCert(), "x"))
                .hasSize(2);
    }

    @Test
    void aMissingObjectIsAConfigurationErrorNamingTheOptionAndTheObject() {
        JobConfig config = config("s3://certs/absent.pem");
        assertThatThrownBy(config::databaseSslRootCert)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'ssl.root-cert' = 's3://certs/absent.pem' cannot be read");
    }

    private static JobConfig config(String rootCert) {
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
                "PW",
                "ssl.root-cert",
                rootCert));
        return JobConfig.of(
                new PropertyGroups(
                        Map.of("source.postgres", source, "sink.eventlog", Map.of("path", "s3://bucket/events"))),
                RunMode.SERVICE);
    }
}
