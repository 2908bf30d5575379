package io.tributary.harness;

import io.tributary.harness.standin.DynamoDbStandIn;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.standin.PostgresStandIn;
import io.tributary.harness.standin.S3StandIn;
import io.tributary.harness.standin.SecretsManagerStandIn;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * One stand-in shared by the tests of a class: started before the class's {@code @BeforeAll} methods,
 * closed after its {@code @AfterAll} methods (so those may still use it), even when a test failed.
 * <pre>{@code
 * @RegisterExtension
 * static final StandInExtension<PostgresStandIn> PG = StandInExtension.postgres();
 * ... PG.get().createDatabase("x") ...
 * }</pre>
 * The field must be static: JUnit calls class-level callbacks only on extensions in static fields.
 */
public final class StandInExtension<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<T> start;
    private T standIn;

    private StandInExtension(Supplier<T> start) {
        this.start = start;
    }

    /** A stand-in started by {@code start} (for options the named factories below do not cover). */
    public static <T extends AutoCloseable> StandInExtension<T> of(Supplier<T> start) {
        return new StandInExtension<>(start);
    }

    /** PostgreSQL 15 with logical WAL, without TLS. */
    public static StandInExtension<PostgresStandIn> postgres() {
        return of(PostgresStandIn::start);
    }

    /** PostgreSQL that accepts TLS connections only, with {@code server}'s certificate. */
    public static StandInExtension<PostgresStandIn> postgresTls(TlsTestCertificates.Server server) {
        return of(() -> PostgresStandIn.startTls(server.certificatePem, server.privateKeyPem));
    }

    public static StandInExtension<DynamoDbStandIn> dynamoDb() {
        return of(DynamoDbStandIn::start);
    }

    public static StandInExtension<KinesisStandIn> kinesis() {
        return of(KinesisStandIn::start);
    }

    /** S3Mock with {@code buckets} created at start. */
    public static StandInExtension<S3StandIn> s3(String... buckets) {
        return of(() -> S3StandIn.start(buckets));
    }

    public static StandInExtension<SecretsManagerStandIn> secretsManager() {
        return of(SecretsManagerStandIn::start);
    }

    /** The running stand-in. */
    public T get() {
        if (standIn == null) {
            throw new IllegalStateException("the stand-in runs only while the test class runs: register the"
                    + " extension in a static field with @RegisterExtension and use it from tests or @BeforeAll");
        }
        return standIn;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        standIn = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T started = standIn;
        standIn = null;
        if (started != null) {
            started.close();
        }
    }
}
