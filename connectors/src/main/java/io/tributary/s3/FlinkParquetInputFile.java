package io.tributary.s3;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/** A Parquet {@link InputFile} on any Flink file system, so footers can be read from s3:// too. */
final class FlinkParquetInputFile implements InputFile {
    private final FileSystem fs;
    private final Path path;
    private final long length;

    FlinkParquetInputFile(Path path) throws IOException {
        this.fs = path.getFileSystem();
        this.path = path;
        this.length = fs.getFileStatus(path).getLen();
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        FSDataInputStream in = fs.open(path);
        return new DelegatingSeekableInputStream(in) {
            @Override
            public long getPos() throws IOException {
                return in.getPos();
            }

            @Override
            public void seek(long newPos) throws IOException {
                in.seek(newPos);
            }
        };
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
