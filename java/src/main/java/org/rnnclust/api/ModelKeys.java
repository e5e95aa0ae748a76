package org.rnnclust.api;

import java.nio.file.Path;
import org.rnnclust.io.ModelSignatures;

/**
 * Keys for signed model files and checkpoints (Ed25519; docs/reference.md, "Signed model files"):
 * what saving signs with, and what loading requires a signature of. Either may be absent: a model
 * saved without a signing key is unsigned, and a model loaded without a verification key is
 * checked by its checksum alone, as before signing existed.
 *
 * <pre>{@code
 * ModelKeys.generate(Path.of("keys"));                              // keys/private.pem, keys/public.pem
 * model.save(file, ModelKeys.signingWith(Path.of("keys/private.pem")));
 * ClusteringModel m = ClusteringModel.load(file, ModelKeys.verifyingWith(Path.of("keys/public.pem")));
 * }</pre>
 *
 * @param signer   signs what is saved (null: unsigned)
 * @param verifier what is loaded must carry its key's signature (null: any file that is intact)
 */
public record ModelKeys(ModelSignatures.Signer signer, ModelSignatures.Verifier verifier) {
    /** No keys: unsigned files written, any intact file read. */
    public static final ModelKeys NONE = new ModelKeys(null, null);

    /**
     * The keys of two PEM files, either null for none.
     *
     * @throws org.rnnclust.InputException naming a file that cannot be read or holds no such key
     */
    public static ModelKeys of(Path signingKey, Path verificationKey) {
        return new ModelKeys(signingKey == null ? null : ModelSignatures.signer(signingKey),
                verificationKey == null ? null : ModelSignatures.verifier(verificationKey));
    }

    /** Signing with the private key in {@code pem}, verifying nothing. */
    public static ModelKeys signingWith(Path pem) {
        return of(pem, null);
    }

    /** Verifying against the public key in {@code pem}, signing nothing. */
    public static ModelKeys verifyingWith(Path pem) {
        return of(null, pem);
    }

    /**
     * Makes a new key pair in {@code dir}: {@value ModelSignatures#PRIVATE_FILE} (owner-only) and
     * {@value ModelSignatures#PUBLIC_FILE}; an existing key is never overwritten.
     *
     * @throws org.rnnclust.InputException when a key file exists or the folder cannot be written
     */
    public static void generate(Path dir) {
        ModelSignatures.generate(dir);
    }
}
