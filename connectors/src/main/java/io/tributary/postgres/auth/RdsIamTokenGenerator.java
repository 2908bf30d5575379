package io.tributary.postgres.auth;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

/**
 * IAM tokens from the AWS SDK v2 RDS utilities: a SigV4-presigned {@code connect} request, signed locally with the
 * default credentials chain (on Managed Service for Apache Flink, the application's service execution role, which
 * needs {@code rds-db:connect} on {@code arn:aws:rds-db:<region>:<account>:dbuser:<resource id>/<user>}). No AWS API
 * is called, so making one costs microseconds.
 */
public final class RdsIamTokenGenerator implements PostgresIamTokenGenerator {
    @Override
    public String generate(String hostname, int port, String username, String region) {
        return RdsUtilities.builder()
                .region(Region.of(region))
                .build()
                .generateAuthenticationToken(
                        b -> b.hostname(hostname).port(port).username(username));
    }
}
