package io.tributary.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Property group {@code source.postgres}: the database to capture and how. */
public final class SourceOptions {
    public static final OptionGroup GROUP =
            new OptionGroup("source.postgres", "The PostgreSQL database to capture, its slot, publication and tables.");

    public static final ConfigOption<String> HOSTNAME = GROUP.addRequired(ConfigOptions.key("hostname")
            .stringType()
            .noDefaultValue()
            .withDescription("Database host name or address."));
    public static final ConfigOption<Integer> PORT =
            GROUP.add(ConfigOptions.key("port").intType().defaultValue(5432).withDescription("Database port."));
    public static final ConfigOption<String> DATABASE = GROUP.addRequired(
            ConfigOptions.key("database").stringType().noDefaultValue().withDescription("Database name."));
    public static final ConfigOption<String> USERNAME = GROUP.addRequired(ConfigOptions.key("username")
            .stringType()
            .noDefaultValue()
            .withDescription("User with the REPLICATION attribute (or rds_replication) and SELECT on the tables."));
    public static final ConfigOption<String> PASSWORD = GROUP.add(ConfigOptions.key("password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password in clear, for local runs only (refused in service mode); prefer "
                    + "password.secret-arn or password.env. Never logged."));
    public static final ConfigOption<String> PASSWORD_SECRET_ARN = GROUP.add(ConfigOptions.key("password.secret-arn")
            .stringType()
            .noDefaultValue()
            .withDescription("ARN of an AWS Secrets Manager secret holding the password, alone or as JSON with a "
                    + "\"password\" key (as RDS-managed secrets are). Read when each connection is opened (cached 5 s),"
                    + " never stored in the job; a failed login re-reads it. Used when 'password' is not set."));
    public static final ConfigOption<String> PASSWORD_ENV = GROUP.add(ConfigOptions.key("password.env")
            .stringType()
            .defaultValue("TRIBUTARY_DB_PASSWORD")
            .withDescription("Environment variable that holds the password, used when neither 'password' nor "
                    + "'password.secret-arn' is set."));
    public static final ConfigOption<String> PASSWORD_SECRET_ENDPOINT = GROUP.add(ConfigOptions.key(
                    "password.secret-endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Secrets Manager endpoint URL for 'password.secret-arn' (a VPC endpoint, or a local"
                    + " stand-in); default: the public endpoint of the secret's region."));
    public static final ConfigOption<String> AUTH_MODE = GROUP.add(ConfigOptions.key("auth.mode")
            .stringType()
            .defaultValue("password")
            .withDescription("'password': the password from 'password', 'password.secret-arn' (read from Secrets"
                    + " Manager each time a connection is opened, cached 5 s, so a rotated password is picked up"
                    + " without a restart) or 'password.env'. 'iam': IAM database authentication (RDS, Aurora): each"
                    + " new connection gets a token from the AWS SDK (reused at most 5 of its 15 minutes); the role"
                    + " needs rds-db:connect, the user the rds_iam role, and the connection TLS. See RUNBOOK."));
    public static final ConfigOption<String> AUTH_IAM_REGION = GROUP.add(ConfigOptions.key("auth.iam.region")
            .stringType()
            .noDefaultValue()
            .withDescription("Region of the database for IAM tokens; default: the region the job runs in (AWS_REGION,"
                    + " as on Managed Service for Apache Flink)."));
    public static final ConfigOption<String> SLOT_NAME = GROUP.add(ConfigOptions.key("slot.name")
            .stringType()
            .defaultValue("tributary")
            .withDescription("Logical replication slot (pgoutput); created if missing. One per running job."));
    public static final ConfigOption<String> PUBLICATION_NAME = GROUP.add(ConfigOptions.key("publication.name")
            .stringType()
            .defaultValue("tributary")
            .withDescription(
                    "Publication; created for the captured tables at start-up if missing, else set to exactly them."));
    public static final ConfigOption<List<String>> TABLES_INCLUDE = GROUP.addRequired(ConfigOptions.key(
                    "tables.include")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Regular expressions over schema.table; a table is captured if one matches. On a job "
                    + "restored from a savepoint or checkpoint taken after the initial snapshot, a table that now "
                    + "matches is snapshotted, then streamed; one that no longer matches stops (the publication "
                    + "follows). See RUNBOOK, adding and removing tables."));
    public static final ConfigOption<List<String>> TABLES_EXCLUDE = GROUP.add(ConfigOptions.key("tables.exclude")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Regular expressions over schema.table; a matching table is not captured."));
    public static final ConfigOption<List<String>> COLUMNS_EXCLUDE = GROUP.add(ConfigOptions.key("columns.exclude")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Regular expressions over schema.table.column; matching columns are not captured."));
    public static final ConfigOption<String> KEY_COLUMNS = GROUP.add(ConfigOptions.key("key-columns")
            .stringType()
            .defaultValue("")
            .withDescription("Key columns for tables without a primary key: 'schema.t1(a,b); schema.t2(c)'. "
                    + "The table needs REPLICA IDENTITY FULL; its snapshot is read as one chunk (not split), "
                    + "so tables with and without a primary key share one job."));
    public static final ConfigOption<String> SNAPSHOT_MODE = GROUP.add(ConfigOptions.key("snapshot.mode")
            .stringType()
            .defaultValue("initial")
            .withDescription("What a start without a checkpoint or savepoint reads first. 'initial': every captured"
                    + " table (parallel, lock-free), then the WAL; 'never': the WAL only, from the slot's confirmed"
                    + " position if the slot exists (its backlog included), else from now; 'when-needed': 'initial' if"
                    + " the slot does not exist, else 'never'; 'always': as 'initial'. A restored job never"
                    + " snapshots; if its slot is gone, or confirmed beyond the restored position, it stops and says how to"
                    + " re-baseline (docs/RUNBOOK.md)."));
    public static final ConfigOption<Boolean> SNAPSHOT_ENABLED = GROUP.add(ConfigOptions.key("snapshot.enabled")
            .booleanType()
            .noDefaultValue()
            .withDescription("Deprecated: use 'snapshot.mode'. true is 'initial', false is 'never'; not together"
                    + " with 'snapshot.mode'."));
    public static final ConfigOption<Integer> SNAPSHOT_SPLIT_SIZE = GROUP.add(ConfigOptions.key("snapshot.split-size")
            .intType()
            .defaultValue(8096)
            .withDescription("Rows per snapshot chunk."));
    public static final ConfigOption<Duration> HEARTBEAT_INTERVAL = GROUP.add(ConfigOptions.key("heartbeat.interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How often the slot is advanced while captured tables are idle, so WAL cannot pile up."));
    public static final ConfigOption<Integer> CONNECT_MAX_RETRIES = GROUP.add(ConfigOptions.key("connect.max-retries")
            .intType()
            .defaultValue(3)
            .withDescription("Connection attempts before start-up fails."));
    public static final ConfigOption<Duration> CONNECT_TIMEOUT = GROUP.add(ConfigOptions.key("connect.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("Timeout of one connection attempt."));

    public static final ConfigOption<String> SSL_MODE = GROUP.add(ConfigOptions.key("ssl.mode")
            .stringType()
            .noDefaultValue()
            .withDescription("TLS for every connection to the database (snapshot, replication, start-up checks,"
                    + " slot-lag metric): 'disable', 'prefer' (TLS if offered, certificate not checked), 'require'"
                    + " (TLS, certificate not checked), 'verify-ca' (certificate signed by 'ssl.root-cert'),"
                    + " 'verify-full' (also names 'hostname'). Default: 'verify-full' in service mode or when"
                    + " 'ssl.root-cert' is set, else 'prefer'. See RUNBOOK, TLS to PostgreSQL."));
    public static final ConfigOption<String> SSL_ROOT_CERT = GROUP.add(ConfigOptions.key("ssl.root-cert")
            .stringType()
            .noDefaultValue()
            .withDescription("The CA certificate(s) 'verify-ca' and 'verify-full' trust: a file path, an"
                    + " s3://bucket/key object (read once at start-up by the JobManager), the PEM text itself"
                    + " (starts with -----BEGIN; one certificate fits the value limit), or 'jvm' for the JVM's"
                    + " default trust store. Required by the verifying modes. On RDS: the global bundle"
                    + " global-bundle.pem stored in S3."));

    private SourceOptions() {}
}
