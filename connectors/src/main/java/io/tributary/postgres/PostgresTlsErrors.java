package io.tributary.postgres;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Recognises a connection that failed because of TLS and says what to fix. Such a failure does not go away with
 * retries, so {@link PostgresPreflight#connect} stops at the first one.
 */
final class PostgresTlsErrors {
    private PostgresTlsErrors() {}

    /** What to fix when {@code e} is a TLS failure (a certificate, a host name, or TLS off), else empty. */
    static Optional<String> remedy(SQLException e, PostgresSourceSettings settings) {
        String message = messages(e);
        String mode = "ssl.mode=" + settings.sslMode().optionValue();
        if (message.contains("no encryption")) {
            return Optional.of("The server accepts only TLS connections (pg_hba.conf hostssl, or rds.force_ssl=1 on"
                    + " RDS) and " + mode + ": set ssl.mode to verify-full and ssl.root-cert to the CA certificate"
                    + " (on RDS the global bundle, see docs/RUNBOOK.md \"TLS to PostgreSQL\")");
        }
        if (message.contains("could not be verified by hostnameverifier")) {
            return Optional.of("The server's certificate does not name the host '" + settings.hostname() + "' ("
                    + mode + " checks it): set hostname to a name in the certificate (on RDS the instance or"
                    + " cluster endpoint, not an IP address or a CNAME), or use ssl.mode=verify-ca");
        }
        if (message.contains("pkix") || message.contains("certificate") || isTls(e)) {
            return Optional.of("The TLS handshake failed (" + mode + "): the server's certificate is not signed by a"
                    + " CA in ssl.root-cert"
                    + (settings.sslRootCert() == null ? " (not set: the JVM's trust store)" : "")
                    + ", or the server does not offer TLS; set ssl.root-cert to the CA that signed the server's"
                    + " certificate (on RDS the global bundle, see docs/RUNBOOK.md \"TLS to PostgreSQL\")");
        }
        return Optional.empty();
    }

    private static boolean isTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }
}
