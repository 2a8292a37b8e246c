package io.siphon.server.user;

import io.siphon.server.Timestamps;
import io.siphon.spi.ErrorCode;
import io.siphon.spi.SiphonException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Users in the metadata store, with their password hashes (bcrypt). */
@Repository
public class UserStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static final int MIN_PASSWORD = 8;

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;

    UserStore(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.encoder = encoder;
    }

    /** Every user, by name. */
    public List<User> list() {
        return jdbc.sql(
                        "SELECT username, role, created_at, updated_at FROM siphon_user ORDER BY"
                                + " username")
                .query(UserStore::user)
                .list();
    }

    /** One user, if it exists. */
    public Optional<User> find(String username) {
        return jdbc.sql(
                        "SELECT username, role, created_at, updated_at FROM siphon_user WHERE"
                                + " username = ?")
                .param(username)
                .query(UserStore::user)
                .optional();
    }

    /**
     * One user.
     *
     * @throws SiphonException {@link ErrorCode#NOT_FOUND}
     */
    public User get(String username) {
        return find(username)
                .orElseThrow(
                        () ->
                                new SiphonException(
                                        ErrorCode.NOT_FOUND,
                                        "user '" + username + "' does not exist"));
    }

    /** The stored bcrypt hash of a user's password, for signing in. */
    public Optional<String> passwordHashOf(String username) {
        return jdbc.sql("SELECT password_hash FROM siphon_user WHERE username = ?")
                .param(username)
                .query(String.class)
                .optional();
    }

    /** Whether any user exists (the first start creates the admin). */
    boolean any() {
        return jdbc.sql("SELECT COUNT(*) FROM siphon_user").query(Long.class).single() > 0;
    }

    /**
     * Creates a user.
     *
     * @throws SiphonException {@link ErrorCode#ALREADY_EXISTS}, or {@code CONFIG_INVALID_VALUE} for
     *     a bad name or a short password
     */
    @Transactional
    public User create(String username, String password, Role role) {
        checkName(username);
        checkPassword(password);
        if (role == null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY, "role is missing; use admin, operator or viewer");
        }
        if (find(username).isPresent()) {
            throw new SiphonException(
                    ErrorCode.ALREADY_EXISTS, "user '" + username + "' exists already");
        }
        OffsetDateTime now = Timestamps.now();
        jdbc.sql(
                        "INSERT INTO siphon_user (username, password_hash, role, created_at,"
                                + " updated_at) VALUES (?, ?, ?, ?, ?)")
                .params(username, encoder.encode(password), role.name(), now, now)
                .update();
        return get(username);
    }

    /**
     * Changes a user's password and/or role (null leaves it as it is).
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} when it would leave no admin
     */
    @Transactional
    public User update(String username, String password, Role role) {
        User user = get(username);
        if (password != null) {
            checkPassword(password);
            jdbc.sql(
                            "UPDATE siphon_user SET password_hash = ?, updated_at = ? WHERE"
                                    + " username = ?")
                    .params(encoder.encode(password), Timestamps.now(), username)
                    .update();
        }
        if (role != null && role != user.role()) {
            if (user.role() == Role.ADMIN) {
                requireAnotherAdmin(username);
            }
            jdbc.sql("UPDATE siphon_user SET role = ?, updated_at = ? WHERE username = ?")
                    .params(role.name(), Timestamps.now(), username)
                    .update();
        }
        return get(username);
    }

    /**
     * Deletes a user and its API tokens.
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} for the last admin
     */
    @Transactional
    public void delete(String username) {
        User user = get(username);
        if (user.role() == Role.ADMIN) {
            requireAnotherAdmin(username);
        }
        jdbc.sql("DELETE FROM siphon_user WHERE username = ?").param(username).update();
    }

    private void requireAnotherAdmin(String username) {
        long others =
                jdbc.sql("SELECT COUNT(*) FROM siphon_user WHERE role = 'ADMIN' AND username <> ?")
                        .param(username)
                        .query(Long.class)
                        .single();
        if (others == 0) {
            throw new SiphonException(
                    ErrorCode.STATE_CONFLICT,
                    "'"
                            + username
                            + "' is the last admin; make another user admin first, so the"
                            + " server keeps someone who can manage users");
        }
    }

    private static void checkName(String username) {
        if (username == null || !NAME.matcher(username).matches()) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "username '"
                            + username
                            + "' is not valid; use 1 to 64 letters, digits, '.', '_', '@' or '-',"
                            + " starting with a letter or digit");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new SiphonException(
                    ErrorCode.CONFIG_INVALID_VALUE,
                    "password is too short; use at least " + MIN_PASSWORD + " characters");
        }
    }

    private static User user(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }
}
