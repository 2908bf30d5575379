package io.tributary.job.config;

import io.tributary.postgres.PostgresRootCertificates;
import io.tributary.postgres.PostgresSslMode;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code ssl.mode} and {@code ssl.root-cert} of group {@code source.postgres}. The root certificate is
 * resolved to PEM text where the job is built (the JobManager on the service), before the database is touched: it
 * then travels inside the job's connection properties, so no TaskManager needs a file or S3 access.
 *
 * <p>A verifying mode without {@code ssl.root-cert} is refused rather than falling back to the JVM's trust store
 * silently: database servers' certificates (RDS included) are signed by private CAs the JVM does not trust, so the
 * fallback would only move the error to the first connection. {@code ssl.root-cert=jvm} asks for it explicitly.
 */
public final class DatabaseTls {
    /** The {@code ssl.root-cert} value that means the JVM's default trust store. */
    public static final String JVM_TRUST_STORE = "jvm";

    private static final String GROUP = "property group 'source.postgres': ";
    /** Far more than the RDS global bundle (about 160 KB); a bigger object is not a certificate bundle. */
    private static final int MAX_BYTES = 4 << 20;

    private DatabaseTls() {}

    /**
     * The mode {@code source} asks for; unset: {@code verify-full} in service mode or when {@code ssl.root-cert} is
     * set, else {@code prefer}.
     */
    public static PostgresSslMode mode(Configuration source, RunMode runMode) {
        String value = source.get(SourceOptions.SSL_MODE);
        boolean rootCert = source.get(SourceOptions.SSL_ROOT_CERT) != null;
        PostgresSslMode mode;
        if (value == null) {
            mode = runMode == RunMode.SERVICE || rootCert ? PostgresSslMode.VERIFY_FULL : PostgresSslMode.PREFER;
        } else {
            try {
                mode = PostgresSslMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(GROUP + e.getMessage());
            }
        }
        if (mode.verifiesCertificate() && !rootCert) {
            throw new ConfigException(GROUP + "'ssl.mode' = '" + mode.optionValue() + "'"
                    + (value == null ? " (the default in service mode)" : "") + " needs 'ssl.root-cert': the CA"
                    + " certificate that signed the server's, as a file path, an s3://bucket/key object or the PEM"
                    + " itself (on RDS the global bundle, https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem),"
                    + " or 'jvm' for the JVM's default trust store; or set 'ssl.mode' = 'require' to encrypt without"
                    + " checking the certificate");
        }
        if (!mode.verifiesCertificate() && rootCert) {
            throw new ConfigException(GROUP + "'ssl.root-cert' is set but 'ssl.mode' = '" + mode.optionValue()
                    + "' does not check the server's certificate: set 'ssl.mode' = 'verify-full' (or 'verify-ca'),"
                    + " or remove 'ssl.root-cert'");
        }
        return mode;
    }

    /** Checks a root certificate given as PEM text in the configuration itself (no I/O). */
    public static void checkInlineRootCertificate(Configuration source) {
        String value = source.get(SourceOptions.SSL_ROOT_CERT);
        if (PostgresRootCertificates.isPem(value)) {
            rootCertificate(source);
        }
    }

    /**
     * The PEM text of {@code ssl.root-cert}, read from a file or S3 if it names one and checked to hold
     * certificates; null if it is unset or {@code jvm}.
     */
    public static String rootCertificate(Configuration source) {
        String value = source.get(SourceOptions.SSL_ROOT_CERT);
        if (value == null || value.trim().equals(JVM_TRUST_STORE)) {
            return null;
        }
        String pem = PostgresRootCertificates.isPem(value) ? value : read(value.trim());
        try {
            PostgresRootCertificates.parse(
                    pem,
                    GROUP + "'ssl.root-cert'"
                            + (PostgresRootCertificates.isPem(value) ? "" : " (" + value.trim() + ")"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return pem;
    }

    /** Reads a local file, or an object through Flink's file systems (s3://… needs the S3 plugin). */
    private static String read(String location) {
        try {
            if (!location.contains("://")) {
                byte[] bytes = Files.readAllBytes(Path.of(location));
                return new String(bytes, 0, Math.min(bytes.length, MAX_BYTES), StandardCharsets.UTF_8);
            }
            org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(URI.create(location));
            FileSystem fs = path.getFileSystem();
            try (FSDataInputStream in = fs.open(path)) {
                return readBounded(in);
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(
                    GROUP + "'ssl.root-cert' = '" + location + "' cannot be read (" + e + "): give a"
                            + " readable file path, an s3://bucket/key object the application's role may GetObject, or the"
                            + " PEM text itself",
                    e);
        }
    }

    private static String readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0 && out.size() < MAX_BYTES; ) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
