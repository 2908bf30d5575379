package io.tributary.harness;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A certificate authority made by the test, and server certificates it signs (EC P-256, valid one day). */
public final class TlsTestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TlsTestCertificates(X500Name name, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new self-signed CA named {@code commonName}. */
    public static TlsTestCertificates newCa(String commonName) {
        try {
            KeyPair keys = newKeys();
            X500Name name = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = builder(name, name, keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TlsTestCertificates(name, keys, sign(b, keys));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("could not make a test CA", e);
        }
    }

    /** This CA's certificate as PEM (what {@code ssl.root-cert} takes). */
    public String caPem() {
        return pem(certificate);
    }

    /** A server certificate signed by this CA for exactly {@code dnsNames} (no IP address). */
    public Server issueServer(String... dnsNames) {
        try {
            KeyPair serverKeys = newKeys();
            X509v3CertificateBuilder b = builder(name, new X500Name("CN=" + dnsNames[0]), serverKeys);
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new Server(pem(sign(b, keys)), pkcs8Pem(serverKeys.getPrivate()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("could not issue a server certificate", e);
        }
    }

    /** A server certificate and its private key, both PEM. */
    public static final class Server {
        public final String certificatePem;
        public final String privateKeyPem;

        Server(String certificatePem, String privateKeyPem) {
            this.certificatePem = certificatePem;
            this.privateKeyPem = privateKeyPem;
        }
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
        try {
            ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(s));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** PKCS#8, which names the curve; OpenSSL (PostgreSQL) cannot read BouncyCastle's bare SEC1 EC key. */
    private static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
