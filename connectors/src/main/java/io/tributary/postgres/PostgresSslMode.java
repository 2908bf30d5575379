package io.tributary.postgres;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a connection to PostgreSQL uses TLS; the values are libpq's and pgjdbc's {@code sslmode}.
 * Only {@link #VERIFY_CA} and {@link #VERIFY_FULL} check the server's certificate (against the root certificate
 * {@link PostgresTlsSocketFactory} is given); {@link #VERIFY_FULL} also checks that it names the host connected to
 * (pgjdbc does that itself: {@code MakeSSL.verifyPeerName}, for every socket factory).
 */
public enum PostgresSslMode {
    /** No TLS: a server that allows only {@code hostssl} refuses the connection. */
    DISABLE("disable"),
    /** TLS if the server offers it, else plain; the certificate is not checked. */
    PREFER("prefer"),
    /** TLS or no connection; the certificate is not checked (a man in the middle is not detected). */
    REQUIRE("require"),
    /** TLS with a certificate signed by the root certificate; any host name. */
    VERIFY_CA("verify-ca"),
    /** TLS with a certificate signed by the root certificate that names the host connected to. */
    VERIFY_FULL("verify-full");

    private final String optionValue;

    PostgresSslMode(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The value as the configuration (and pgjdbc's {@code sslmode}) spells it. */
    public String optionValue() {
        return optionValue;
    }

    /** True if the server's certificate is checked against a root certificate. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }

    /** The mode spelled {@code value}; fails naming the accepted values. */
    public static PostgresSslMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (PostgresSslMode m : values()) {
            if (m.optionValue.equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("ssl.mode '" + value + "' is not known: use one of "
                + Arrays.stream(values()).map(PostgresSslMode::optionValue).collect(Collectors.joining(", ")));
    }
}
