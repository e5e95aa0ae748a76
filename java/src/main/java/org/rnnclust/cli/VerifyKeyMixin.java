package org.rnnclust.cli;

import java.nio.file.Path;
import org.rnnclust.api.ModelKeys;
import picocli.CommandLine.Option;

/** --verify-key: the public key that a model or checkpoint read by the command must be signed by. */
final class VerifyKeyMixin {
    @Option(names = "--verify-key", paramLabel = "PUBLIC.pem", defaultValue = "${env:RNNCLUST_VERIFY_KEY}",
            description = "Refuse a model (or checkpoint) that is not signed by this Ed25519 public key (keygen makes "
                    + "one): unsigned, re-signed or changed files stop the command with exit 2. Default: the "
                    + "RNNCLUST_VERIFY_KEY environment variable; without either, any intact file loads.")
    Path verifyKey;

    /** The key as {@link ModelKeys}, read now (a bad key file is one line naming it). */
    ModelKeys keys() {
        return verifyKey == null ? ModelKeys.NONE : ModelKeys.verifyingWith(verifyKey);
    }
}
