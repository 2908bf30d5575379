package io.tributary.postgres;

import io.tributary.event.TableId;
import io.tributary.postgres.auth.PostgresAuthProperties;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything the PostgreSQL CDC source needs, validated once in {@link Builder#build()}.
 *
 * <p>Table patterns are Java regexes matched against the whole {@code schema.table} name.
 * Excluded columns are {@code schema.table.column} names or regexes over them. {@link #toString()}
 * never prints the password.
 */
public final class PostgresSourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** PostgreSQL limits identifiers (slot names included) to 63 bytes. */
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private final String hostname;
    private final int port;
    private final String database;
    private final String username;
    private final String password;
    private final String slotName;
    private final String publicationName;
    private final List<String> tableInclude;
    private final List<String> tableExclude;
    private final List<String> excludedColumns;
    private final Map<TableId, List<String>> keyColumns;
    private final PostgresSnapshotMode snapshotMode;
    private final Duration heartbeatInterval;
    private final int connectMaxRetries;
    private final Duration connectTimeout;
    private final int splitSize;
    private final PostgresSslMode sslMode;
    private final String sslRootCert;
    private final Map<String, String> driverProperties;

    private PostgresSourceSettings(Builder b) {
        this.hostname = b.hostname;
        this.port = b.port;
        this.database = b.database;
        this.username = b.username;
        this.password = b.password;
        this.slotName = b.slotName;
        this.publicationName = b.publicationName;
        this.tableInclude = List.copyOf(b.tableInclude);
        this.tableExclude = List.copyOf(b.tableExclude);
        this.excludedColumns = List.copyOf(b.excludedColumns);
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        b.keyColumns.forEach((t, cols) -> keys.put(t, List.copyOf(cols)));
        this.keyColumns = Collections.unmodifiableMap(keys);
        this.snapshotMode = b.snapshotMode;
        this.heartbeatInterval = b.heartbeatInterval;
        this.connectMaxRetries = b.connectMaxRetries;
        this.connectTimeout = b.connectTimeout;
        this.splitSize = b.splitSize;
        this.sslMode = b.sslMode;
        this.sslRootCert = b.sslRootCert;
        this.driverProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.driverProperties));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String hostname() {
        return hostname;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String username() {
        return username;
    }

    /**
     * The password, or null when {@link #driverProperties()} name an authentication plugin
     * ({@link PostgresAuthProperties}: IAM tokens, a secret read at connection time).
     */
    public String password() {
        return password;
    }

    public String slotName() {
        return slotName;
    }

    public String publicationName() {
        return publicationName;
    }

    /** Regexes over {@code schema.table}; a table is captured if one matches and no exclude matches. */
    public List<String> tableInclude() {
        return tableInclude;
    }

    public List<String> tableExclude() {
        return tableExclude;
    }

    /** {@code schema.table.column} names or regexes over them; matching columns are never read. */
    public List<String> excludedColumns() {
        return excludedColumns;
    }

    /** Key columns for tables that have no primary key (or whose key should be overridden). */
    public Map<TableId, List<String>> keyColumns() {
        return keyColumns;
    }

    /** What a start without state reads first; see {@link PostgresSnapshotMode}. */
    public PostgresSnapshotMode snapshotMode() {
        return snapshotMode;
    }

    /** True unless the mode is {@code never}: the job may snapshot (so the snapshot's chunk key must resolve). */
    public boolean snapshotEnabled() {
        return snapshotMode != PostgresSnapshotMode.NEVER;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public int connectMaxRetries() {
        return connectMaxRetries;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Rows per snapshot chunk. */
    public int splitSize() {
        return splitSize;
    }

    /** TLS to the database, for every connection ({@link PostgresConnectionProperties}). */
    public PostgresSslMode sslMode() {
        return sslMode;
    }

    /**
     * The root certificates a verifying {@link #sslMode()} trusts, as PEM text; null: the JVM's default trust store.
     */
    public String sslRootCert() {
        return sslRootCert;
    }

    /**
     * Further pgjdbc driver properties every connection gets (e.g. an {@code authenticationPluginClassName} and its
     * own keys); see {@link PostgresConnectionProperties}.
     */
    public Map<String, String> driverProperties() {
        return driverProperties;
    }

    /** True if {@code table} matches an include pattern and no exclude pattern. */
    public boolean captures(TableId table) {
        String name = table.toString();
        return tableInclude.stream().anyMatch(p -> Pattern.matches(p, name))
                && tableExclude.stream().noneMatch(p -> Pattern.matches(p, name));
    }

    /** True if column {@code column} of {@code table} is excluded. */
    public boolean excludes(TableId table, String column) {
        String name = table + "." + column;
        return excludedColumns.stream().anyMatch(p -> p.equals(name) || Pattern.matches(p, name));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + hostname + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "PostgresSourceSettings{" + username + "@" + hostname + ":" + port + "/" + database
                + ", password=****, auth=" + authMode() + ", slot=" + slotName + ", publication=" + publicationName
                + ", include=" + tableInclude + ", exclude=" + tableExclude
                + ", excludedColumns=" + excludedColumns + ", keyColumns=" + keyColumns
                + ", snapshot.mode=" + snapshotMode.optionValue() + ", heartbeat=" + heartbeatInterval
                + ", connectMaxRetries=" + connectMaxRetries + ", connectTimeout=" + connectTimeout
                + ", splitSize=" + splitSize + ", ssl.mode=" + sslMode.optionValue()
                + ", ssl.root-cert=" + (sslRootCert != null ? "pem" : sslMode.verifiesCertificate() ? "jvm" : "none")
                + ", driverProperties="
                + driverProperties.keySet() + "}";
    }

    private String authMode() {
        String plugin = driverProperties.get(PostgresAuthProperties.PLUGIN);
        return plugin == null ? "password" : plugin.substring(plugin.lastIndexOf('.') + 1);
    }

    /** Builds {@link PostgresSourceSettings}; {@link #build()} says what to fix when a value is bad. */
    public static final class Builder {
        private String hostname;
        private int port = 5432;
        private String database;
        private String username;
        private String password;
        private String slotName;
        private String publicationName;
        private final List<String> tableInclude = new ArrayList<>();
        private final List<String> tableExclude = new ArrayList<>();
        private final List<String> excludedColumns = new ArrayList<>();
        private final Map<TableId, List<String>> keyColumns = new LinkedHashMap<>();
        private PostgresSnapshotMode snapshotMode = PostgresSnapshotMode.INITIAL;
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private int connectMaxRetries = 3;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private int splitSize = 8096;
        private PostgresSslMode sslMode = PostgresSslMode.PREFER;
        private String sslRootCert;
        private final Map<String, String> driverProperties = new LinkedHashMap<>();

        private Builder() {}

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Adds several driver properties, e.g. an authentication plugin's ({@link PostgresAuthProperties}). */
        public Builder driverProperties(Map<String, String> properties) {
            properties.forEach(this::driverProperty);
            return this;
        }

        public Builder slotName(String slotName) {
            this.slotName = slotName;
            return this;
        }

        public Builder publicationName(String publicationName) {
            this.publicationName = publicationName;
            return this;
        }

        public Builder tableInclude(List<String> patterns) {
            tableInclude.clear();
            tableInclude.addAll(patterns);
            return this;
        }

        public Builder tableExclude(List<String> patterns) {
            tableExclude.clear();
            tableExclude.addAll(patterns);
            return this;
        }

        public Builder excludedColumns(List<String> columns) {
            excludedColumns.clear();
            excludedColumns.addAll(columns);
            return this;
        }

        public Builder keyColumns(TableId table, List<String> columns) {
            keyColumns.put(table, List.copyOf(columns));
            return this;
        }

        /** The former switch: true is {@code initial}, false is {@code never}. */
        public Builder snapshotEnabled(boolean snapshotEnabled) {
            this.snapshotMode = snapshotEnabled ? PostgresSnapshotMode.INITIAL : PostgresSnapshotMode.NEVER;
            return this;
        }

        public Builder snapshotMode(PostgresSnapshotMode snapshotMode) {
            this.snapshotMode = snapshotMode;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder connectMaxRetries(int connectMaxRetries) {
            this.connectMaxRetries = connectMaxRetries;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder splitSize(int splitSize) {
            this.splitSize = splitSize;
            return this;
        }

        public Builder sslMode(PostgresSslMode sslMode) {
            this.sslMode = sslMode;
            return this;
        }

        /** Root certificates as PEM text for a verifying mode; null (the default): the JVM's trust store. */
        public Builder sslRootCert(String pem) {
            this.sslRootCert = pem;
            return this;
        }

        /** Adds a pgjdbc driver property every connection gets; see {@link PostgresConnectionProperties}. */
        public Builder driverProperty(String key, String value) {
            driverProperties.put(key, value);
            return this;
        }

        public PostgresSourceSettings build() {
            List<String> problems = new ArrayList<>();
            require(problems, hostname, "hostname", "the database host name or address");
            require(problems, database, "database", "the database to capture");
            require(problems, username, "username", "a role with REPLICATION and SELECT on the tables");
            boolean plugin = PostgresAuthProperties.usesPlugin(driverProperties);
            if (password == null && !plugin) {
                problems.add("password is not set: give the password of the database user");
            }
            if (password != null && plugin) {
                problems.add("both a password and " + driverProperties.get(PostgresAuthProperties.PLUGIN)
                        + " are set: keep one way to authenticate");
            }
            if (port < 1 || port > 65535) {
                problems.add("port " + port + " is out of range: use 1..65535 (PostgreSQL listens on 5432 by default)");
            }
            if (slotName == null || !SLOT_NAME.matcher(slotName).matches()) {
                problems.add("slot.name '" + slotName + "' is not valid: use 1-63 lower-case letters, digits"
                        + " or underscores, one slot per running job");
            }
            if (publicationName == null || publicationName.isBlank()) {
                problems.add("publication.name is not set: name the publication the job reads (it is created"
                        + " for the captured tables if missing)");
            }
            if (tableInclude.isEmpty()) {
                problems.add("tables.include is empty: list at least one regex over schema.table, e.g. public\\..*");
            }
            checkRegexes(problems, "tables.include", tableInclude);
            checkRegexes(problems, "tables.exclude", tableExclude);
            checkRegexes(problems, "columns.exclude", excludedColumns);
            keyColumns.forEach((table, cols) -> {
                if (cols.isEmpty() || cols.stream().anyMatch(c -> c == null || c.isBlank())) {
                    problems.add("key-columns for " + table + " is empty or has a blank name: list its key columns");
                }
            });
            if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                problems.add("heartbeat.interval " + heartbeatInterval + " must be positive, e.g. 30 s: it keeps"
                        + " an idle database's WAL from growing");
            }
            if (connectMaxRetries < 0) {
                problems.add("connect.max-retries " + connectMaxRetries + " must be 0 or more");
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                problems.add("connect.timeout " + connectTimeout + " must be positive, e.g. 30 s");
            }
            if (splitSize < 1) {
                problems.add("snapshot.split-size " + splitSize
                        + " must be at least 1 row per snapshot chunk (default 8096)");
            }
            if (sslMode == null) {
                problems.add("ssl.mode is not set: use disable, prefer, require, verify-ca or verify-full");
            }
            if (sslRootCert != null) {
                try {
                    PostgresRootCertificates.parse(sslRootCert, "ssl.root-cert");
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            driverProperties.forEach((k, v) -> {
                if (PostgresConnectionProperties.OWN_KEYS.contains(k) || v == null) {
                    problems.add("driver property '" + k + "' is set by Tributary itself or has no value: remove it");
                }
            });
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "PostgreSQL source settings are invalid: " + String.join("; ", problems));
            }
            return new PostgresSourceSettings(this);
        }

        private static void require(List<String> problems, String value, String name, String what) {
            if (value == null || value.isBlank()) {
                problems.add(name + " is not set: give " + what);
            }
        }

        private static void checkRegexes(List<String> problems, String name, List<String> patterns) {
            for (String p : patterns) {
                try {
                    Pattern.compile(Objects.requireNonNull(p, name + " holds null"));
                } catch (PatternSyntaxException | NullPointerException e) {
                    problems.add(name + " entry '" + p + "' is not a valid regex: " + e.getMessage());
                }
            }
        }
    }
}
