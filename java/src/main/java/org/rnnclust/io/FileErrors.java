package org.rnnclust.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.rnnclust.InputException;

/** One-line messages for files that cannot be read or written, worded alike across formats. */
final class FileErrors {
    private FileErrors() {}

    static InputException cannotRead(Path file, IOException e) {
        if (e instanceof NoSuchFileException) return new InputException(file + ": no such file", e);
        String reason = reason(e);
        if (e instanceof AccessDeniedException || reason.equals("Permission denied")) {
            return new InputException(file + ": cannot read (permission denied)", e);
        }
        return new InputException(file + ": cannot read: " + reason, e);
    }

    static InputException cannotWrite(Path file, IOException e) {
        if (e instanceof AccessDeniedException) {
            return new InputException(file + ": cannot write (permission denied)", e);
        }
        if (e instanceof NoSuchFileException n) {
            return new InputException(file + ": cannot write: " + n.getFile() + " does not exist", e);
        }
        if (e instanceof FileAlreadyExistsException x) {
            // Files.createDirectories met a regular file where a folder should be
            return new InputException(file + ": cannot write: " + x.getFile() + " exists and is not a folder", e);
        }
        return new InputException(file + ": cannot write: " + reason(e), e);
    }

    private static String reason(IOException e) {
        String text = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        if (text == null) text = e.getClass().getSimpleName();
        // java.io (ZipFile, RandomAccessFile) words it "PATH (REASON)"; the caller names the path already
        if (e instanceof FileNotFoundException && text.endsWith(")") && text.contains(" (")) {
            text = text.substring(text.lastIndexOf(" (") + 2, text.length() - 1);
        }
        return text.replaceAll("\\s+", " ").strip();
    }
}
