package io.tributary.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.postgres.PostgresTlsSocketFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** verify-read-model connects with the job's TLS settings: {@code --ssl-mode} and {@code --ssl-root-cert}. */
class ReadModelVerifyCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRootCertificateFileMeansVerifyFullWithItsPem() throws Exception {
        String pem = resource("test-ca.pem");
        Path file = Files.writeString(dir.resolve("ca.pem"), pem);
        Properties p = ReadModelVerifyCommand.connectionProperties("reader", "pw", null, file.toString());
        assertThat(p.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(p.getProperty("sslfactory")).isEqualTo(PostgresTlsSocketFactory.class.getName());
        assertThat(p.getProperty(PostgresTlsSocketFactory.ROOT_CERT_PROPERTY)).isEqualTo(pem);
        assertThat(p.getProperty("user")).isEqualTo("reader");
        assertThat(ReadModelVerifyCommand.connectionProperties("reader", null, "verify-ca", pem)
                        .getProperty("sslmode"))
                .isEqualTo("verify-ca");
        assertThat(ReadModelVerifyCommand.connectionProperties("reader", null, null, null)
                        .getProperty("sslmode"))
                .isEqualTo("prefer");
    }

    @Test
    void aBadModeIsAUsageError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ReadModelVerifyCommand.run(
                new String[] {
                    "--jdbc-url",
                    "jdbc:postgresql://db/app",
                    "--ssl-mode",
                    "verify",
                    "--map",
                    "public.things=things;partition=id:N"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ssl.mode 'verify' is not known");
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = ReadModelVerifyCommandTest.class.getResourceAsStream("/tls/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
