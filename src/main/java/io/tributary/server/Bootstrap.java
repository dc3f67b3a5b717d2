package io.tributary.server;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.AccessKeyStore;
import io.tributary.auth.Roles;
import io.tributary.auth.UserStore;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First-start set-up of identities: the admin user (password from TRIBUTARY_ADMIN_PASSWORD or
 * generated) and the access keys declared in the file and environment.
 */
final class Bootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    static final String ADMIN = "admin";

    /** What first start created; the generated password is shown once and never stored in clear. */
    record Result(Optional<String> generatedAdminPassword, boolean adminCreated) {}

    private Bootstrap() {}

    static Result run(TributaryConfig config, UserStore users, AccessKeyStore keys) {
        requireNonNull(config, "config is null");
        boolean created = false;
        Optional<String> generated = Optional.empty();
        if (users.isEmpty()) {
            Optional<String> fromEnv = config.environmentValue(TributaryConfig.ADMIN_PASSWORD_ENV);
            String password = fromEnv.orElseGet(Bootstrap::generatePassword);
            users.create(ADMIN, password, Set.of(Roles.ALL_ACCESS));
            created = true;
            if (fromEnv.isEmpty()) {
                generated = Optional.of(password);
            }
            LOG.info("Created the admin user '{}' (password {})", ADMIN,
                    fromEnv.isPresent() ? "from " + TributaryConfig.ADMIN_PASSWORD_ENV : "generated and printed once on the console");
        }
        for (TributaryConfig.DeclaredKey key : config.accessKeys()) {
            if (users.find(key.user()).isEmpty()) {
                throw new io.tributary.common.TributaryException(io.tributary.common.ErrorCode.INVALID_ARGUMENT,
                        "access key " + key.id() + " (from " + key.source() + ") belongs to user '" + key.user()
                                + "', who does not exist");
            }
            keys.declare(key.id(), key.secret(), key.user(), key.source());
        }
        return new Result(generated, created);
    }

    static String generatePassword() {
        char[] alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                sb.append('-');
            }
            sb.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }
}
