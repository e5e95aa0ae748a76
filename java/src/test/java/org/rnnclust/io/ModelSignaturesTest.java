package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.io.ModelFile.Tensor;

/**
 * Signed model files (format version 2): a file signed with a key loads with its public key, and
 * is refused with one line when anything about it changed, checked against OpenSSL where it is
 * installed (keys it makes load here, and it verifies the signatures made here); without a key,
 * signed and unsigned files load alike, and unsigned files keep their version-1 bytes.
 */
class ModelSignaturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path keys;
    @TempDir Path dir;

    @BeforeAll
    static void makeKeys() {
        ModelSignatures.generate(keys.resolve("a"));
        ModelSignatures.generate(keys.resolve("b"));
    }

    private static ModelSignatures.Signer signer(String name) {
        return ModelSignatures.signer(keys.resolve(name).resolve(ModelSignatures.PRIVATE_FILE));
    }

    private static ModelSignatures.Verifier verifier(String name) {
        return ModelSignatures.verifier(keys.resolve(name).resolve(ModelSignatures.PUBLIC_FILE));
    }

    private static ObjectNode header() {
        ObjectNode h = JSON.createObjectNode();
        h.put("kind", "rnnclust-model");
        h.putObject("architecture").put("hidden", 3);
        return h;
    }

    private static List<Tensor> tensors() {
        return List.of(new Tensor("w", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                Tensor.ofDoubles("mean", new int[] {2}, new double[] {0.5, -0.25}));
    }

    private Path write(String name, ModelSignatures.Signer s) {
        Path file = dir.resolve(name);
        ModelFile.write(file, header(), tensors(), s);
        return file;
    }

    private static String refusal(Path file, ModelSignatures.Verifier v) {
        String m = assertThrows(InputException.class, () -> ModelFile.read(file, v)).getMessage();
        assertTrue(m.startsWith(file + ": ") && !m.contains("\n"), m);
        return m;
    }

    @Test
    void aSignedFileLoadsWithItsKeyAndWithoutAnyAndAnUnsignedOneKeepsItsBytes() throws Exception {
        Path unsigned = write("plain.rnnc", null);
        Path signed = write("signed.rnnc", signer("a"));
        byte[] plain = Files.readAllBytes(unsigned);
        byte[] withSignature = Files.readAllBytes(signed);
        assertEquals(1, ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN).getInt(8), "unsigned: version 1");
        assertEquals(2, ByteBuffer.wrap(withSignature).order(ByteOrder.LITTLE_ENDIAN).getInt(8), "signed: version 2");
        assertEquals(plain.length + ModelSignatures.BLOCK, withSignature.length);
        // The same bytes but the version field and the block: the signature covers the rest.
        byte[] head = Arrays.copyOf(withSignature, plain.length - 32);
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1);
        assertArrayEquals(Arrays.copyOf(plain, plain.length - 32), head);
        for (ModelSignatures.Verifier v : new ModelSignatures.Verifier[] {null, verifier("a")}) {
            ModelFile.Loaded loaded = ModelFile.read(signed, v);
            assertEquals(header(), loaded.header());
            assertEquals(tensors(), List.copyOf(loaded.tensors().values()));
        }
        assertEquals(tensors(), List.copyOf(ModelFile.read(unsigned).tensors().values()));
        // Ed25519 is deterministic: the same content and key, the same file.
        assertArrayEquals(withSignature, Files.readAllBytes(write("again.rnnc", signer("a"))));
    }

    @Test
    void withAKeyEveryOtherFileIsRefusedWithOneLine() throws Exception {
        Path signed = write("signed.rnnc", signer("a"));
        byte[] good = Files.readAllBytes(signed);
        ModelSignatures.Verifier a = verifier("a");
        int checksumAt = good.length - ModelSignatures.BLOCK - 32;

        assertTrue(refusal(write("plain.rnnc", null), a).contains("not signed"));
        assertTrue(refusal(write("other.rnnc", signer("b")), a).contains("does not verify"), "another key's signature");

        // A header byte and a tensor byte changed, the checksum recomputed: only the signature tells.
        int headerByte = new String(good, StandardCharsets.ISO_8859_1).indexOf("\"hidden\" : 3") + 11;
        int tensorByte = checksumAt - 1;
        for (int at : new int[] {headerByte, tensorByte}) {
            byte[] b = good.clone();
            b[at] ^= 1;
            resealChecksum(b, checksumAt);
            Path changed = dir.resolve("changed.rnnc");
            Files.write(changed, b);
            ModelFile.read(changed);  // intact as a file: loads without a key
            assertTrue(refusal(changed, a).contains("does not verify"), "byte " + at);
        }

        // The valid model sealed again as an unsigned file (version 1, its own checksum, no block).
        byte[] unsigned = Arrays.copyOf(good, checksumAt + 32);
        ByteBuffer.wrap(unsigned).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1);
        resealChecksum(unsigned, checksumAt);
        Path resealed = dir.resolve("resealed.rnnc");
        Files.write(resealed, unsigned);
        ModelFile.read(resealed);
        assertTrue(refusal(resealed, a).contains("not signed"));

        // A cut signature block.
        Path cut = dir.resolve("cut.rnnc");
        Files.write(cut, Arrays.copyOf(good, good.length - 10));
        assertTrue(refusal(cut, a).contains("truncated"), refusal(cut, a));
        assertTrue(refusal(cut, null).contains("truncated"), "cut is refused without a key too");

        // Any one byte of the file changed, wherever it is: refused with the key.
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= (byte) (1 + r.nextInt(255));
            Path flipped = dir.resolve("flipped.rnnc");
            Files.write(flipped, b);
            refusal(flipped, a);
        }
    }

    private static void resealChecksum(byte[] file, int checksumAt) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(file, checksumAt));
        System.arraycopy(sha, 0, file, checksumAt, 32);
    }

    @Test
    void keysAreWrittenOnceThePrivateOneOwnerOnlyAndBadKeyFilesAreOneLine() throws IOException {
        Path folder = dir.resolve("k");
        ModelSignatures.generate(folder);
        Path privateKey = folder.resolve(ModelSignatures.PRIVATE_FILE);
        if (Files.getFileStore(privateKey).supportsFileAttributeView("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(privateKey));
        }
        byte[] before = Files.readAllBytes(privateKey);
        InputException again = assertThrows(InputException.class, () -> ModelSignatures.generate(folder));
        assertTrue(again.getMessage().contains("exists"), again.getMessage());
        assertArrayEquals(before, Files.readAllBytes(privateKey), "never overwritten");

        Path notPem = Files.writeString(dir.resolve("x.pem"), "hello");
        assertTrue(assertThrows(InputException.class, () -> ModelSignatures.verifier(notPem)).getMessage()
                .startsWith(notPem + ": no '-----BEGIN PUBLIC KEY-----' block"));
        // A public key where the private one is wanted, and an RSA-sized blob.
        Path publicKey = folder.resolve(ModelSignatures.PUBLIC_FILE);
        assertTrue(assertThrows(InputException.class, () -> ModelSignatures.signer(publicKey)).getMessage()
                .contains("PRIVATE KEY"));
        Path wrong = Files.writeString(dir.resolve("w.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertTrue(assertThrows(InputException.class, () -> ModelSignatures.verifier(wrong)).getMessage()
                .startsWith(wrong + ": not an Ed25519 public key"));
        Path missing = dir.resolve("none.pem");
        assertTrue(assertThrows(InputException.class, () -> ModelSignatures.verifier(missing)).getMessage()
                .startsWith(missing + ": "));
    }

    /** OpenSSL as the oracle: its Ed25519 keys load, and it verifies the signature block made here. */
    @Test
    void openSslKeysLoadAndOpenSslVerifiesTheSignatures() throws Exception {
        assumeTrue(run(List.of("openssl", "version")) == 0, "openssl is not installed");
        Path priv = dir.resolve("ossl-private.pem");
        Path pub = dir.resolve("ossl-public.pem");
        assertEquals(0, run(List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", priv.toString())));
        assertEquals(0, run(List.of("openssl", "pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString())));
        Path signed = write("ossl.rnnc", ModelSignatures.signer(priv));
        ModelFile.read(signed, ModelSignatures.verifier(pub));

        byte[] b = Files.readAllBytes(signed);
        int checksumAt = b.length - ModelSignatures.BLOCK - 32;
        byte[] message = concat("rnnclust-model-signature-v1".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOfRange(b, checksumAt, checksumAt + 32));
        Path msg = Files.write(dir.resolve("msg.bin"), message);
        Path sig = Files.write(dir.resolve("sig.bin"), Arrays.copyOfRange(b, b.length - ModelSignatures.BLOCK, b.length));
        assertEquals(0, run(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", msg.toString(), "-sigfile", sig.toString())), "OpenSSL verifies the block");
        message[message.length - 1] ^= 1;
        Files.write(msg, message);
        assertTrue(run(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-in", msg.toString(), "-sigfile", sig.toString())) != 0, "and refuses another checksum");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
