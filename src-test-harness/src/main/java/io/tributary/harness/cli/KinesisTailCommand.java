package io.tributary.harness.cli;

import io.tributary.aws.AwsRegionResolver;
import io.tributary.harness.standin.KinesisStandIn;
import io.tributary.harness.verify.KinesisTail;
import io.tributary.kinesis.KinesisSdkClientProvider;
import io.tributary.kinesis.KinesisSinkSettings;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Tails a Kinesis stream and prints each record as it arrives: {@code shard partitionKey json}.
 *
 * <pre>
 * KinesisTailCommand --stream changes [--endpoint http://127.0.0.1:4567] [--region us-east-1]
 * </pre>
 * With {@code --endpoint} it talks to a local emulator (kinesalite: no CBOR, HTTP/1.1, dummy
 * credentials); without, to AWS with the default credentials chain. Runs until interrupted.
 */
public final class KinesisTailCommand {
    private KinesisTailCommand() {}

    public static void main(String[] args) throws InterruptedException {
        String stream = null;
        String endpoint = null;
        String region = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--stream":
                    stream = args[i + 1];
                    break;
                case "--endpoint":
                    endpoint = args[i + 1];
                    break;
                case "--region":
                    region = args[i + 1];
                    break;
                default:
                    usage("unknown option " + args[i]);
            }
        }
        if (stream == null || args.length % 2 != 0) {
            usage("--stream is required");
        }
        KinesisSinkSettings.Builder settings = KinesisSinkSettings.builder().streamName(stream);
        if (endpoint != null) {
            settings.emulator(endpoint).region(region == null ? KinesisStandIn.REGION : region);
        } else {
            try {
                settings.region(AwsRegionResolver.runtime().resolve(region, "--region"));
            } catch (IllegalArgumentException e) {
                usage(e.getMessage());
            }
        }
        try (KinesisAsyncClient client = KinesisSdkClientProvider.build(settings.build(), 4)) {
            KinesisTail tail = new KinesisTail(client, stream);
            System.err.println("tailing Kinesis stream " + stream + (endpoint == null ? "" : " at " + endpoint)
                    + " from the start (Ctrl-C stops)");
            while (!Thread.currentThread().isInterrupted()) {
                for (KinesisTail.TailRecord r : tail.poll()) {
                    System.out.println(r);
                }
                System.out.flush();
                Thread.sleep(200);
            }
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: KinesisTailCommand --stream NAME [--endpoint URL] [--region REGION]");
        System.exit(2);
    }
}
