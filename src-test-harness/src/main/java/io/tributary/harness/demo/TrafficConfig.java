package io.tributary.harness.demo;

import io.tributary.event.Op;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/** Settings of a {@link TrafficGenerator}; build with {@link TrafficGenerator#builder}. */
public final class TrafficConfig {
    private final TrafficGenerator.ConnectionFactory connections;
    private final double changesPerSecond;
    private final int rowsPerTransaction;
    private final int insertPercent;
    private final int updatePercent;
    private final long seed;
    private final long maxChanges;
    private final List<DemoTable> tables;
    private final int oddValuePercent;
    private final int savepointPercent;
    private final long truncateEvery;

    private TrafficConfig(Builder b) {
        this.connections = b.connections;
        this.changesPerSecond = b.changesPerSecond;
        this.rowsPerTransaction = b.rowsPerTransaction;
        this.insertPercent = b.insertPercent;
        this.updatePercent = b.updatePercent;
        this.seed = b.seed;
        this.maxChanges = b.maxChanges;
        this.tables = List.copyOf(b.tables);
        this.oddValuePercent = b.oddValuePercent;
        this.savepointPercent = b.savepointPercent;
        this.truncateEvery = b.truncateEvery;
    }

    /** Share (percent) of written values replaced by an odd one of the column's type ({@link DemoValues#odd}). */
    public int oddValuePercent() {
        return oddValuePercent;
    }

    /** Share (percent) of transactions with a change rolled back to a savepoint inside them. */
    public int savepointPercent() {
        return savepointPercent;
    }

    /** Every n-th transaction is {@code TRUNCATE products} (0: never). */
    public long truncateEvery() {
        return truncateEvery;
    }

    TrafficGenerator.ConnectionFactory connections() {
        return connections;
    }

    /** 0 means as fast as possible. */
    public double changesPerSecond() {
        return changesPerSecond;
    }

    public int rowsPerTransaction() {
        return rowsPerTransaction;
    }

    public long seed() {
        return seed;
    }

    public long maxChanges() {
        return maxChanges;
    }

    public List<DemoTable> tables() {
        return tables;
    }

    Op pickOp(SplittableRandom r) {
        int p = r.nextInt(100);
        return p < insertPercent ? Op.INSERT : p < insertPercent + updatePercent ? Op.UPDATE : Op.DELETE;
    }

    /** Defaults: 100 changes/s, one row per transaction, 40/40/20 mix, all tables, no limit. */
    public static final class Builder {
        private final TrafficGenerator.ConnectionFactory connections;
        private double changesPerSecond = 100;
        private int rowsPerTransaction = 1;
        private int insertPercent = 40;
        private int updatePercent = 40;
        private long seed = 42;
        private long maxChanges = Long.MAX_VALUE;
        private Set<DemoTable> tables = EnumSet.allOf(DemoTable.class);
        private int oddValuePercent;
        private int savepointPercent;
        private long truncateEvery;

        Builder(TrafficGenerator.ConnectionFactory connections) {
            this.connections = Objects.requireNonNull(connections, "connections");
        }

        /** Target rate in committed changes per second (rows, not transactions). */
        public Builder changesPerSecond(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("changesPerSecond must be a positive finite number, was " + rate
                        + "; use asFastAsPossible() for no limit");
            }
            this.changesPerSecond = rate;
            return this;
        }

        /** No rate limit: write as fast as the database takes it (benchmarks). */
        public Builder asFastAsPossible() {
            this.changesPerSecond = 0;
            return this;
        }

        public Builder rowsPerTransaction(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("rowsPerTransaction must be >= 1, was " + rows);
            }
            this.rowsPerTransaction = rows;
            return this;
        }

        /** Percentages of inserts, updates and deletes; must add up to 100. */
        public Builder mix(int insertPercent, int updatePercent, int deletePercent) {
            if (insertPercent < 0
                    || updatePercent < 0
                    || deletePercent < 0
                    || insertPercent + updatePercent + deletePercent != 100) {
                throw new IllegalArgumentException("mix must be three non-negative percentages adding up to 100, was "
                        + insertPercent + "/" + updatePercent + "/" + deletePercent);
            }
            this.insertPercent = insertPercent;
            this.updatePercent = updatePercent;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop after exactly this many committed changes (the last transaction may be shorter). */
        public Builder maxChanges(long changes) {
            if (changes < 0) {
                throw new IllegalArgumentException("maxChanges must be >= 0, was " + changes);
            }
            this.maxChanges = changes;
            return this;
        }

        /** Restrict traffic to these tables (default: all demo tables). */
        public Builder tables(DemoTable first, DemoTable... more) {
            this.tables = EnumSet.of(first, more);
            return this;
        }

        /**
         * Replace this share (0–100) of written values by values PostgreSQL stores but a Java class
         * cannot hold: numeric NaN/±Infinity, float ±Infinity/NaN, ±infinity and BC dates. Off by
         * default, so the same seed keeps writing the same changes.
         */
        public Builder oddValues(int percent) {
            this.oddValuePercent = percent(percent, "oddValues");
            return this;
        }

        /** In this share (0–100) of transactions, one more change is made and rolled back to a savepoint. */
        public Builder savepointRollbacks(int percent) {
            this.savepointPercent = percent(percent, "savepointRollbacks");
            return this;
        }

        /** Make every n-th transaction a {@code TRUNCATE} of the small products table (0: never). */
        public Builder truncateProductsEvery(long transactions) {
            if (transactions < 0) {
                throw new IllegalArgumentException("truncateProductsEvery must be >= 0, was " + transactions);
            }
            this.truncateEvery = transactions;
            return this;
        }

        private static int percent(int p, String what) {
            if (p < 0 || p > 100) {
                throw new IllegalArgumentException(what + " must be a percentage 0..100, was " + p);
            }
            return p;
        }

        public TrafficGenerator build() {
            return new TrafficGenerator(new TrafficConfig(this));
        }
    }
}
