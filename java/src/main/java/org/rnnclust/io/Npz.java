package org.rnnclust.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.rnnclust.InputException;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.data.npy.NpyFormat;

/**
 * NumPy {@code .npz} archives: a zip of {@code NAME.npy} entries, as {@code numpy.savez} and
 * {@code numpy.savez_compressed} write them, e.g. a PyTorch state dict exported with
 * {@code numpy.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})}.
 * Arrays keep the archive's order. Each entry's CRC-32 is checked (Java's ZipFile does not).
 */
public final class Npz {
    private static final String SUFFIX = ".npy";
    /** Fixed entry times make the same arrays give the same bytes (numpy does the same). */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {}

    /**
     * Reads every array of an .npz, keyed by entry name without ".npy", in archive order.
     *
     * @throws InputException naming the file (and the entry) for an unreadable or corrupt zip, an
     *     entry that is not an .npy array, a name used twice, or a malformed array
     */
    public static Map<String, NpyArray> read(Path file) {
        String source = file.toString();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = next(entries, source);
                String name = entry.getName();
                String where = source + ": entry " + name;
                if (entry.isDirectory() || !name.endsWith(SUFFIX)) throw new InputException(where + ": not an .npy array");
                String key = name.substring(0, name.length() - SUFFIX.length());
                if (arrays.containsKey(key)) throw new InputException(where + ": appears twice");
                arrays.put(key, readEntry(zip, entry, where));
            }
            return Collections.unmodifiableMap(arrays);
        } catch (ZipException e) {
            throw new InputException(source + ": not a valid .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }

    private static ZipEntry next(Enumeration<? extends ZipEntry> entries, String source) {
        try {
            return entries.nextElement();
        } catch (IllegalArgumentException e) {  // how ZipFile reports an entry name that is not UTF-8
            throw new InputException(source + ": not a valid .npz (zip) file: malformed entry name", e);
        }
    }

    private static NpyArray readEntry(ZipFile zip, ZipEntry entry, String where) {
        try (CheckedInputStream in = new CheckedInputStream(new BufferedInputStream(zip.getInputStream(entry), 1 << 16), new CRC32())) {
            NpyArray array = Npy.read(in, where);
            if (entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc()) {
                throw new InputException(where + ": CRC mismatch: the file is corrupted");
            }
            return array;
        } catch (IOException e) {
            throw new InputException(where + ": corrupt zip data: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code arrays} as an .npz of uncompressed entries (like {@code numpy.savez}), atomically.
     *
     * @throws InputException when the file cannot be written (a previous file is kept)
     * @throws IllegalArgumentException for an empty name
     */
    public static void write(Path file, Map<String, NpyArray> arrays) {
        Map<String, AtomicFile.Body> entries = new LinkedHashMap<>();
        arrays.forEach((name, array) -> entries.put(name, out -> Npy.write(out, array)));
        AtomicFile.write(file, out -> writeTo(out, entries));
    }

    /**
     * Writes a model's tensors (float32 as {@code <f4}, float64 as {@code <f8}) and, as a uint8 array
     * named {@code metadataName}, the UTF-8 bytes of {@code metadata}: what {@code numpy.load} reads
     * without pickle ({@code json.loads(npz[metadataName].tobytes())}).
     */
    public static void writeTensors(Path file, List<ModelFile.Tensor> tensors, String metadataName, byte[] metadata) {
        Map<String, AtomicFile.Body> entries = new LinkedHashMap<>();
        for (ModelFile.Tensor t : tensors) {
            entries.put(t.name(), out -> {
                out.write(NpyFormat.header(t.isDouble() ? "<f8" : "<f4", t.shape(), 0));
                if (t.isDouble()) LittleEndianArrays.write(out, t.doubles());
                else LittleEndianArrays.write(out, t.data());
            });
        }
        entries.put(metadataName, out -> {
            out.write(NpyFormat.header("|u1", new int[] {metadata.length}, 0));
            out.write(metadata);
        });
        AtomicFile.write(file, out -> writeTo(out, entries));
    }

    private static void writeTo(OutputStream out, Map<String, AtomicFile.Body> entries) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, AtomicFile.Body> e : entries.entrySet()) {
            if (e.getKey().isEmpty()) throw new IllegalArgumentException("an .npz array needs a name");
            // A stored entry needs its size and CRC up front: one pass to measure, one to write.
            Measure measure = new Measure();
            e.getValue().writeTo(measure);
            ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(measure.count);
            entry.setCompressedSize(measure.count);
            entry.setCrc(measure.crc.getValue());
            entry.setTimeLocal(ENTRY_TIME);
            zip.putNextEntry(entry);
            e.getValue().writeTo(zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    /** Counts and checksums bytes, keeping none. */
    private static final class Measure extends OutputStream {
        final CRC32 crc = new CRC32();
        long count;

        @Override
        public void write(int b) {
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            count += len;
        }
    }
}
