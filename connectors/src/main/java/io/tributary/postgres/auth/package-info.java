/**
 * Authentication of PostgreSQL connections at the moment each one is opened, as pgjdbc authentication plugins.
 *
 * <p><b>Why plugins.</b> The job opens connections in four places it does not all control: Flink CDC's Hikari pool
 * (snapshot chunks, schema reads), Debezium's replication connection, Debezium's own JDBC connections, and the
 * job's start-up checks and slot-lag metric. pgjdbc 42.7.4 asks the class named by
 * {@code authenticationPluginClassName} for the password of every new connection, whoever opens it, so one property
 * set ({@link io.tributary.postgres.auth.PostgresAuthProperties}) reaches all of them: Debezium passes
 * {@code database.*} keys to the driver (JdbcConnection.patternBasedFactory: {@code config.asProperties()}), the job's
 * pool factory adds them to Flink CDC's Hikari pool ({@code PostgresDriverPoolFactory}), plain JDBC callers put them in
 * their {@code Properties}; all through {@code PostgresConnectionProperties}, as the settings' driver properties.
 *
 * <p><b>Modes.</b>
 * <ul>
 *   <li>IAM ({@link io.tributary.postgres.auth.PostgresIamTokenPlugin}): a token signed locally by the AWS SDK,
 *       reused for 5 minutes of its 15 ({@link io.tributary.postgres.auth.PostgresIamTokens}). RDS accepts IAM
 *       tokens only over TLS.</li>
 *   <li>Secret ({@link io.tributary.postgres.auth.PostgresSecretPasswordPlugin}): the password read from Secrets
 *       Manager, cached 5 seconds ({@link io.tributary.postgres.auth.PostgresSecretPasswords}); the job graph holds
 *       only the ARN.</li>
 * </ul>
 * A plain password (local runs, {@code password.env}) needs no plugin and is passed as pgjdbc's {@code password}.
 *
 * <p><b>Limits.</b> A plugin cannot see whether its password was accepted. After a rotation, connections opened
 * while the cache still holds the old password fail; the next attempt (a library retry, a task restart) reads the
 * secret again. A connection that is already open is never affected by a rotation: PostgreSQL checks passwords
 * only when a session starts.
 */
package io.tributary.postgres.auth;
