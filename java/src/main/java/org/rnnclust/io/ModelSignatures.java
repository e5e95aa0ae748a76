package org.rnnclust.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.rnnclust.InputException;

/**
 * Ed25519 signatures of model files and checkpoints ({@link ModelFile}'s version 2), with the
 * JDK's own Ed25519 (no other dependency). A signature covers a domain string and the file's
 * SHA-256 checksum, which covers every byte before it (the version, the header and the tensors):
 * signing the 32-byte digest rather than the file keeps memory flat for any model size (the JDK's
 * Ed25519 holds a whole message to sign it). Keys are PEM files as OpenSSL writes them: a private
 * key in PKCS#8 ({@code openssl genpkey -algorithm ed25519} makes one too), a public key in X.509
 * SubjectPublicKeyInfo.
 */
public final class ModelSignatures {
    /** Bytes of a file's signature block: one Ed25519 signature. */
    static final int BLOCK = 64;
    private static final String ALGORITHM = "Ed25519";
    private static final byte[] DOMAIN = "rnnclust-model-signature-v1".getBytes(StandardCharsets.US_ASCII);
    /** The key files {@link #generate} writes into a folder. */
    public static final String PRIVATE_FILE = "private.pem";
    public static final String PUBLIC_FILE = "public.pem";

    private ModelSignatures() {}

    /** Signs files with a private key. */
    public record Signer(PrivateKey key) {
        /** The signature block of a file whose checksum is {@code checksum}. */
        byte[] signatureBlock(byte[] checksum) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initSign(key);
                s.update(DOMAIN);
                s.update(checksum);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
            }
        }
    }

    /** Checks files against a public key. */
    public record Verifier(PublicKey key) {
        /** Why a file with this checksum and signature block is refused, or null when the signature verifies. */
        String problem(byte[] checksum, byte[] block) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initVerify(key);
                s.update(DOMAIN);
                s.update(checksum);
                if (s.verify(block)) return null;
            } catch (GeneralSecurityException e) {
                // a malformed signature: refused below like any other
            }
            return "the signature does not verify with the given key: the file was changed after it was signed, "
                    + "or signed by another key";
        }
    }

    /**
     * Makes a new Ed25519 key pair in {@code dir} (created if missing): {@value #PRIVATE_FILE},
     * readable by its owner alone where the file system has POSIX permissions, and
     * {@value #PUBLIC_FILE}. Refuses to replace an existing key file.
     *
     * @throws InputException when a key file exists or the folder cannot be written
     */
    public static void generate(Path dir) {
        Path privateFile = dir.resolve(PRIVATE_FILE);
        Path publicFile = dir.resolve(PUBLIC_FILE);
        for (Path f : new Path[] {privateFile, publicFile}) {
            if (Files.exists(f)) throw new InputException(f + ": exists; a key is never overwritten (move it away first)");
        }
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519: " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(dir);
            // The private key is created owner-only before any byte of it is written.
            try {
                Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(privateFile);
            }
            Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new InputException(e.getFile() + ": exists; a key is never overwritten (move it away first)");
        } catch (IOException e) {
            throw new InputException(dir + ": cannot write the keys: " + e.getMessage());
        }
    }

    /**
     * The signer of the private key in {@code pem}.
     *
     * @throws InputException naming the file when it cannot be read or holds no Ed25519 private key
     */
    public static Signer signer(Path pem) {
        byte[] der = readPem(pem, "PRIVATE KEY");
        try {
            return new Signer(KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new InputException(pem + ": not an Ed25519 private key (" + oneLine(e.getMessage()) + ")");
        }
    }

    /**
     * The verifier of the public key in {@code pem}.
     *
     * @throws InputException naming the file when it cannot be read or holds no Ed25519 public key
     */
    public static Verifier verifier(Path pem) {
        byte[] der = readPem(pem, "PUBLIC KEY");
        try {
            return new Verifier(KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new InputException(pem + ": not an Ed25519 public key (" + oneLine(e.getMessage()) + ")");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The DER bytes of the first {@code type} block of a PEM file. */
    private static byte[] readPem(Path pem, String type) {
        String text;
        try {
            if (Files.size(pem) > 1 << 16) throw new InputException(pem + ": not a PEM key file (larger than 64 KiB)");
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(pem + ": not a PEM key file (not ASCII)");
        } catch (IOException e) {
            throw FileErrors.cannotRead(pem, e);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new InputException(pem + ": no '" + begin + "' block (a " + type.toLowerCase(java.util.Locale.ROOT)
                    + " in PEM is needed)");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new InputException(pem + ": the " + type.toLowerCase(java.util.Locale.ROOT) + " block is not base64");
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
