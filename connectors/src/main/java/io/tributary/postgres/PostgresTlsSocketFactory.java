package io.tributary.postgres;

import org.postgresql.ssl.WrappedFactory;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * pgjdbc's {@code sslfactory} for {@code verify-ca} and {@code verify-full}: trusts the root certificates carried
 * as PEM text in the driver property {@link #ROOT_CERT_PROPERTY}, or the JVM's default trust store when that
 * property is absent. pgjdbc instantiates it with the connection's properties
 * ({@code SocketFactoryFactory.getSslSocketFactory}, constructor {@code (Properties)} first), so the certificate
 * travels with the job's configuration and no TaskManager needs a file. Host names are checked by pgjdbc after
 * the handshake for {@code verify-full}, whatever the factory ({@code MakeSSL.verifyPeerName}).
 */
public final class PostgresTlsSocketFactory extends WrappedFactory {
    /** Driver property holding the trusted root certificates as PEM text (ours; pgjdbc passes it through). */
    public static final String ROOT_CERT_PROPERTY = "tributarySslRootCert";

    public PostgresTlsSocketFactory(Properties info) throws GeneralSecurityException {
        String pem = info.getProperty(ROOT_CERT_PROPERTY);
        TrustManager[] trust;
        if (pem == null) {
            TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((KeyStore) null);
            trust = jvm.getTrustManagers();
        } else {
            trust = PostgresRootCertificates.trustManagers(
                    PostgresRootCertificates.parse(pem, "source.postgres ssl.root-cert"));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        factory = context.getSocketFactory();
    }
}
