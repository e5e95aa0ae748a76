package org.rnnclust.spark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.rnnclust.InputException;
import org.rnnclust.Setting;

/**
 * Spark train's folder (model.rnnclust, checkpoints/last.ckpt): a path on the driver's file
 * system, or the URI of a Hadoop file system every machine of a cluster sees (hdfs://…, or
 * file:///… of a shared mount). The engine writes files locally; for a URI they are written in a
 * local working folder first, then copied to a hidden name beside their place and renamed over it,
 * which HDFS does atomically: a reader finds the previous checkpoint or the new one, never part of
 * one. A resume copies the checkpoint down first.
 */
final class TrainFolder implements AutoCloseable {
    private static final Pattern URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private final String text;
    private final org.apache.hadoop.fs.Path remote;  // null: a local folder
    private final Configuration conf;
    private final Path local;

    private TrainFolder(String text, org.apache.hadoop.fs.Path remote, Configuration conf, Path local) {
        this.text = text;
        this.remote = remote;
        this.conf = conf;
        this.local = local;
    }

    /** {@code text} names a local folder, or a Hadoop URI (read with {@code conf}). */
    static TrainFolder of(String text, Configuration conf) {
        if (!URI.matcher(text).matches()) return new TrainFolder(text, null, conf, Path.of(text));
        try {
            return new TrainFolder(text, new org.apache.hadoop.fs.Path(text), conf,
                    Files.createTempDirectory("rnnclust-train-"));
        } catch (IllegalArgumentException e) {
            throw new InputException(text + ": not a file system URI: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the engine reads and writes {@code name} (a relative path such as checkpoints/last.ckpt). */
    Path local(String name) {
        Path file = local.resolve(name);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new InputException(describe(name) + ": cannot create its folder: " + e.getMessage());
        }
        return file;
    }

    /** {@code name} as messages give it: in the folder as the user named it. */
    String describe(String name) {
        return text.endsWith("/") ? text + name : text + "/" + name;
    }

    boolean exists(String name) {
        if (remote == null) return Files.exists(local.resolve(name));
        try {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(remote, name);
            return file.getFileSystem(conf).exists(file);
        } catch (IOException e) {
            throw new InputException(describe(name) + ": cannot read: " + e.getMessage());
        }
    }

    /** Copies {@code name} down to {@link #local} (nothing to do for a local folder). */
    void fetch(String name) {
        if (remote == null) return;
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(remote, name);
        try {
            file.getFileSystem(conf).copyToLocalFile(false, file,
                    new org.apache.hadoop.fs.Path(local(name).toUri()), true);
        } catch (IOException e) {
            throw new InputException(describe(name) + ": cannot copy it here: " + e.getMessage());
        }
    }

    /** Puts the local {@code name} in its place in the folder, whole (nothing to do for a local folder). */
    void publish(String name) {
        if (remote == null) return;
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(remote, name);
        org.apache.hadoop.fs.Path partial = new org.apache.hadoop.fs.Path(file.getParent(), "." + file.getName() + ".partial");
        try {
            FileSystem fs = file.getFileSystem(conf);
            fs.mkdirs(file.getParent());
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.resolve(name).toUri()), partial);
            FileContext.getFileContext(file.toUri(), conf).rename(partial, file, Options.Rename.OVERWRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(describe(name) + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** {@code e} with the local working folder's paths in its message replaced by the folder's name. */
    InputException named(InputException e) {
        if (remote == null || !e.getMessage().contains(local.toString())) return e;
        String base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        return new InputException(e.getMessage().replace(local.toString(), base), e,
                e.settings().toArray(new Setting[0]));
    }

    /** Removes the local working folder of a URI. */
    @Override
    public void close() {
        if (remote == null) return;
        try (Stream<Path> files = Files.walk(local)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
