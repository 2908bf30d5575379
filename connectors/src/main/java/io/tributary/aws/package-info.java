/**
 * What every AWS client of the job shares: {@link io.tributary.aws.AwsRegionResolver} picks the
 * region (configured, else the one the job runs in; never a fixed default).
 */
package io.tributary.aws;
