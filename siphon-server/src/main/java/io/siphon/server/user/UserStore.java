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

    /**
     * The condition, in the same statement as the change, that the user is no admin or another
     * admin remains.
     */
    private static final String KEEPS_AN_ADMIN =
            "(role <> 'ADMIN' OR EXISTS (SELECT 1 FROM siphon_user peer WHERE peer.role ="
                    + " 'ADMIN' AND peer.username <> ?))";

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final PasswordPolicy policy = PasswordPolicy.standard();

    /**
     * Where a user stands now: its role, and the version of its credentials (which grows with every
     * change of password or role), for sessions to check on every request.
     *
     * @param role the role
     * @param credentialsVersion the version of the password and role
     */
    public record Standing(Role role, int credentialsVersion) {}

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

    /** Where a user stands now, if it exists. */
    public Optional<Standing> standing(String username) {
        return jdbc.sql("SELECT role, credentials_version FROM siphon_user WHERE username = ?")
                .param(username)
                .query(
                        (rs, row) ->
                                new Standing(
                                        Role.valueOf(rs.getString("role")),
                                        rs.getInt("credentials_version")))
                .optional();
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
        policy.check(username, password);
        if (role == null) {
            throw new SiphonException(
                    ErrorCode.CONFIG_MISSING_KEY, "role is missing; use admin, operator or viewer");
        }
        // Names differing only in case would be two users that people take for one.
        Optional<String> same =
                jdbc.sql("SELECT username FROM siphon_user WHERE LOWER(username) = LOWER(?)")
                        .param(username)
                        .query(String.class)
                        .optional();
        if (same.isPresent()) {
            throw new SiphonException(
                    ErrorCode.ALREADY_EXISTS,
                    "user '"
                            + same.get()
                            + "' exists already"
                            + (same.get().equals(username)
                                    ? ""
                                    : "; names differing only in case are the same user"));
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
     * Changes a user's password and/or role (null leaves it as it is). Either change ends the
     * user's sessions (their credentials version no longer matches); a new password also deletes
     * the user's API tokens, which were bought with the old one.
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} when it would leave no admin
     */
    @Transactional
    public User update(String username, String password, Role role) {
        User user = get(username);
        if (password != null) {
            policy.check(username, password);
            jdbc.sql(
                            "UPDATE siphon_user SET password_hash = ?, updated_at = ?,"
                                    + " credentials_version = credentials_version + 1 WHERE"
                                    + " username = ?")
                    .params(encoder.encode(password), Timestamps.now(), username)
                    .update();
            jdbc.sql("DELETE FROM siphon_api_token WHERE username = ?").param(username).update();
        }
        if (role != null && role != user.role()) {
            lockAdmins();
            int changed =
                    jdbc.sql(
                                    "UPDATE siphon_user SET role = ?, updated_at = ?,"
                                            + " credentials_version = credentials_version + 1"
                                            + " WHERE username = ? AND "
                                            + KEEPS_AN_ADMIN)
                            .params(role.name(), Timestamps.now(), username, username)
                            .update();
            if (changed == 0) {
                throw lastAdmin(username);
            }
        }
        return get(username);
    }

    /**
     * Deletes a user and its API tokens; its sessions end at their next request.
     *
     * @throws SiphonException {@link ErrorCode#STATE_CONFLICT} for the last admin
     */
    @Transactional
    public void delete(String username) {
        get(username);
        lockAdmins();
        int deleted =
                jdbc.sql("DELETE FROM siphon_user WHERE username = ? AND " + KEEPS_AN_ADMIN)
                        .params(username, username)
                        .update();
        if (deleted == 0) {
            throw lastAdmin(username);
        }
    }

    /**
     * Locks every admin row until the transaction ends. Two admins demoting each other at once
     * would each still see the other as admin in their own snapshot; with the rows locked, the
     * second waits for the first and its statement then sees the first's change.
     */
    private void lockAdmins() {
        jdbc.sql("SELECT username FROM siphon_user WHERE role = 'ADMIN' FOR UPDATE")
                .query(String.class)
                .list();
    }

    private static SiphonException lastAdmin(String username) {
        return new SiphonException(
                ErrorCode.STATE_CONFLICT,
                "'"
                        + username
                        + "' is the last admin; make another user admin first, so the"
                        + " server keeps someone who can manage users");
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

    private static User user(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getString("username"),
                Role.valueOf(rs.getString("role")),
                Timestamps.read(rs, "created_at"),
                Timestamps.read(rs, "updated_at"));
    }
}
