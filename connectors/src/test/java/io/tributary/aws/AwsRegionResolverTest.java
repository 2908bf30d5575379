package io.tributary.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

import java.util.concurrent.atomic.AtomicInteger;

class AwsRegionResolverTest {
    private static final String OPTION = "'region' in property group 'sink.kinesis'";

    @Test
    void configuredRegionWinsWithoutAskingTheRuntime() {
        AtomicInteger asked = new AtomicInteger();
        AwsRegionResolver resolver = new AwsRegionResolver(() -> {
            asked.incrementAndGet();
            return Region.EU_WEST_1;
        });
        assertThat(resolver.resolve("ap-southeast-2", OPTION)).isEqualTo("ap-southeast-2");
        assertThat(resolver.resolve(" us-west-2 ", OPTION)).isEqualTo("us-west-2");
        assertThat(asked).hasValue(0);
    }

    @Test
    void withoutConfiguredRegionTheRuntimeRegionIsUsed() {
        AwsRegionResolver resolver = new AwsRegionResolver(() -> Region.EU_CENTRAL_1);
        assertThat(resolver.resolve(null, OPTION)).isEqualTo("eu-central-1");
        assertThat(resolver.resolve("  ", OPTION)).isEqualTo("eu-central-1");
    }

    @Test
    void noRegionAnywhereFailsNamingTheOptionNotDefaulting() {
        AwsRegionResolver resolver = new AwsRegionResolver(() -> {
            throw SdkClientException.create("Unable to load region from any of the providers in the chain");
        });
        assertThatThrownBy(() -> resolver.resolve(null, OPTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set " + OPTION)
                .hasMessageContaining("AWS_REGION")
                .hasMessageContaining("Unable to load region")
                .hasMessageNotContaining("us-east-1");
        assertThatThrownBy(() -> new AwsRegionResolver(() -> null).resolve("", OPTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OPTION);
    }
}
