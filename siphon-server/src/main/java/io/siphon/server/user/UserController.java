package io.siphon.server.user;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Users and their roles (admin only, see the security configuration). */
@RestController
@RequestMapping("/api/v1/users")
public class UserController {

    private final UserStore users;

    UserController(UserStore users) {
        this.users = users;
    }

    /**
     * A user to create.
     *
     * @param username the login name
     * @param password at least 8 characters
     * @param role admin, operator or viewer
     */
    public record NewUser(String username, String password, Role role) {}

    /**
     * A change to a user; what is left out stays as it is.
     *
     * @param password a new password
     * @param role a new role
     */
    public record UserChange(String password, Role role) {}

    /** Every user. */
    @GetMapping
    public List<User> list() {
        return users.list();
    }

    /** One user. */
    @GetMapping("/{username}")
    public User get(@PathVariable String username) {
        return users.get(username);
    }

    /** Creates a user. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public User create(@RequestBody NewUser request) {
        return users.create(request.username(), request.password(), request.role());
    }

    /** Changes a user's password or role. */
    @PutMapping("/{username}")
    public User update(@PathVariable String username, @RequestBody UserChange change) {
        return users.update(username, change.password(), change.role());
    }

    /** Deletes a user and its tokens; the last admin cannot be deleted. */
    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String username) {
        users.delete(username);
    }
}
