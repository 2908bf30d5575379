package io.tributary.aws;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.util.Objects;

/**
 * The region an AWS client talks to: the one configured, else the one the process runs in, as the
 * SDK's {@link DefaultAwsRegionProviderChain} finds it (system property {@code aws.region},
 * environment variable {@code AWS_REGION} — set by Managed Service for Apache Flink —, the profile
 * file, instance metadata).
 *
 * <p>There is no fixed fallback: a job deployed in eu-west-1 that quietly talked to us-east-1 would
 * find no stream, or worse, a stream of the same name in another region. Resolve where the job is
 * built, so the task managers receive a fixed region and a missing one fails the deployment with
 * the option to set instead of the first write.
 */
public final class AwsRegionResolver {
    private final AwsRegionProvider runtime;

    /** @param runtime where the region comes from when none is configured (the seam unit tests replace) */
    public AwsRegionResolver(AwsRegionProvider runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** The SDK's default chain: {@code aws.region}, {@code AWS_REGION}, profile, instance metadata. */
    public static AwsRegionResolver runtime() {
        return new AwsRegionResolver(DefaultAwsRegionProviderChain.builder().build());
    }

    /**
     * {@code configured} if set, else the runtime's region.
     *
     * @param option where the operator sets the region, for the message, e.g.
     *     {@code 'region' in property group 'sink.kinesis'}
     * @throws IllegalArgumentException if neither gives a region, naming {@code option}
     */
    public String resolve(String configured, String option) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        try {
            Region region = runtime.getRegion();
            if (region != null && !region.id().isBlank()) {
                return region.id();
            }
        } catch (RuntimeException e) {
            // the chain's SdkClientException lists every provider it tried
            throw missing(option, e);
        }
        throw missing(option, null);
    }

    private static IllegalArgumentException missing(String option, Exception cause) {
        return new IllegalArgumentException(
                "no AWS region: set " + option + " (e.g. eu-west-1), or run where the"
                        + " AWS SDK finds one (environment variable AWS_REGION, system property aws.region, a profile's"
                        + " region, instance metadata)" + (cause == null ? "" : " [" + cause.getMessage() + "]"),
                cause);
    }
}
