package io.tributary.job.config;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.postgres.PostgresSnapshotMode;
import io.tributary.postgres.PostgresSourceSettings;
import io.tributary.postgres.PostgresSslMode;

import org.apache.flink.configuration.Configuration;

import java.util.Map;

/**
 * The validated {@code source.postgres} group. Everything but the credentials and a root certificate kept in a file
 * or S3 is parsed and checked when the configuration is validated (by building {@link PostgresSourceSettings} with a
 * stand-in password), so a bad pattern, slot name or duration stops the job before the database is touched. The
 * password from the environment, the authentication plugin's properties (the IAM region may come from instance
 * metadata) and the root certificate (S3) are read when {@link #settings} is called, where the job is built.
 */
final class SourceGroup {
    /** Stands in for the password while the rest is checked; never used to connect. */
    private static final String CHECK_ONLY_PASSWORD = "password-not-read-yet";

    private final Configuration source;
    private final PostgresSslMode sslMode;
    private final PostgresSnapshotMode snapshotMode;
    private String sslRootCert;

    SourceGroup(Configuration source, RunMode mode) {
        this.source = source;
        this.sslMode = DatabaseTls.mode(source, mode);
        DatabaseTls.checkInlineRootCertificate(source);
        DatabasePassword.check(source, mode);
        this.snapshotMode = SnapshotModes.resolve(source);
        try {
            builder().password(CHECK_ONLY_PASSWORD).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("property group 'source.postgres': " + e.getMessage(), e);
        }
    }

    /** Every setting that needs neither the environment nor the network. */
    private PostgresSourceSettings.Builder builder() {
        int port = source.get(SourceOptions.PORT);
        if (port < 1 || port > 65535) {
            throw new ConfigException("property group 'source.postgres': 'port' = " + port + " is not a TCP port");
        }
        if (source.get(SourceOptions.SNAPSHOT_SPLIT_SIZE) < 1) {
            throw new ConfigException("property group 'source.postgres': 'snapshot.split-size' must be at least 1");
        }
        if (source.get(SourceOptions.CONNECT_MAX_RETRIES) < 0) {
            throw new ConfigException("property group 'source.postgres': 'connect.max-retries' must be 0 or more");
        }
        PostgresSourceSettings.Builder b = PostgresSourceSettings.builder()
                .hostname(source.get(SourceOptions.HOSTNAME))
                .port(port)
                .database(source.get(SourceOptions.DATABASE))
                .username(source.get(SourceOptions.USERNAME))
                .slotName(source.get(SourceOptions.SLOT_NAME))
                .publicationName(source.get(SourceOptions.PUBLICATION_NAME))
                .tableInclude(source.get(SourceOptions.TABLES_INCLUDE))
                .tableExclude(source.get(SourceOptions.TABLES_EXCLUDE))
                .excludedColumns(source.get(SourceOptions.COLUMNS_EXCLUDE))
                .snapshotMode(snapshotMode)
                .splitSize(source.get(SourceOptions.SNAPSHOT_SPLIT_SIZE))
                .heartbeatInterval(source.get(SourceOptions.HEARTBEAT_INTERVAL))
                .connectMaxRetries(source.get(SourceOptions.CONNECT_MAX_RETRIES))
                .connectTimeout(source.get(SourceOptions.CONNECT_TIMEOUT))
                .sslMode(sslMode);
        KeyColumns.parse(source.get(SourceOptions.KEY_COLUMNS)).forEach(b::keyColumns);
        return b;
    }

    /**
     * The source settings: a password given in the configuration or the environment (never logged), or the
     * properties of the plugin that reads a secret or makes an IAM token per connection; the root certificate read.
     */
    PostgresSourceSettings settings(AwsRegionResolver regions) {
        return builder()
                .password(password())
                .driverProperties(DatabasePassword.authProperties(source, regions))
                .sslRootCert(sslRootCert())
                .build();
    }

    String password() {
        return DatabasePassword.resolve(source, System::getenv);
    }

    Map<String, String> authProperties(AwsRegionResolver regions) {
        return DatabasePassword.authProperties(source, regions);
    }

    PostgresSslMode sslMode() {
        return sslMode;
    }

    synchronized String sslRootCert() {
        if (sslRootCert == null) {
            sslRootCert = DatabaseTls.rootCertificate(source);
        }
        return sslRootCert;
    }

    @Override
    public String toString() {
        return source.get(SourceOptions.USERNAME) + "@" + source.get(SourceOptions.HOSTNAME) + ":"
                + source.get(SourceOptions.PORT) + "/" + source.get(SourceOptions.DATABASE)
                + ", tables=" + source.get(SourceOptions.TABLES_INCLUDE);
    }
}
