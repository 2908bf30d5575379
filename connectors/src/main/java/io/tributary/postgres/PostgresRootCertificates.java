package io.tributary.postgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The root certificates a verifying TLS connection trusts, from PEM text: one certificate or a bundle (the RDS
 * global bundle holds one per region). Line breaks inside a certificate may be spaces, so a PEM pasted into a
 * one-line property value still parses.
 */
public final class PostgresRootCertificates {
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

    private PostgresRootCertificates() {}

    /** True if {@code value} is PEM text rather than a location. */
    public static boolean isPem(String value) {
        return value != null && value.trim().startsWith("-----BEGIN");
    }

    /**
     * The certificates in {@code pem}; fails with a message that names {@code option} when there is none or one
     * does not parse.
     */
    public static List<X509Certificate> parse(String pem, String option) {
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher m = PEM.matcher(pem == null ? "" : pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s+", ""));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    option + " holds a certificate that does not parse (" + e.getMessage()
                            + "): give the CA certificate or bundle in PEM form, e.g. the RDS global-bundle.pem",
                    e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(option + " holds no '-----BEGIN CERTIFICATE-----' block: give the CA"
                    + " certificate or bundle in PEM form, e.g. the RDS global-bundle.pem");
        }
        return certificates;
    }

    /** Trust managers that accept exactly the chains ending in one of {@code certificates}. */
    static TrustManager[] trustManagers(List<X509Certificate> certificates) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("root-" + i, certificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
