package io.sampan.server.api;

import io.sampan.server.access.AccessControl;
import io.sampan.server.access.Caller;
import io.sampan.server.access.CurrentCaller;
import io.sampan.server.access.OidcLogin;
import io.sampan.server.access.Role;
import io.sampan.server.access.Tokens;
import io.sampan.server.access.Users;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.OrganisationStore;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.RegistryException;
import java.time.Duration;
import java.time.Instant;
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

/** Users, their tokens, and who holds which role on organisations and projects. */
@RestController
@RequestMapping("/api/v1")
public class AccessController {
    static final int MAX_TOKEN_DAYS = 3650;
    private final Users users;
    private final Tokens tokens;
    private final AccessControl access;
    private final OrganisationStore orgs;
    private final OidcLogin oidc;

    public AccessController(Users users, Tokens tokens, AccessControl access, OrganisationStore orgs, OidcLogin oidc) {
        this.users = users;
        this.tokens = tokens;
        this.access = access;
        this.orgs = orgs;
        this.oidc = oidc;
    }

    /** The OIDC provider to log in with ({@link CurrentCaller#OIDC_PROVIDER}: open to all; 404 when OIDC login is not configured). */
    @GetMapping("/login/oidc")
    OidcLogin.Provider oidcProvider() {
        return oidc.provider().orElseThrow(() -> new RegistryException.NotFound("OIDC provider", "configured"));
    }

    public record Whoami(String name, boolean admin) {
    }

    @GetMapping("/whoami")
    Whoami whoami(Caller caller) {
        return new Whoami(caller.name(), caller.admin());
    }

    /** @param email lets the user's first OIDC login find this user (and the roles granted to it) */
    public record NewUser(String name, String displayName, Boolean admin, String email) {
    }

    public record UserView(String name, String displayName, boolean admin, Instant createdAt, String email) {
        static UserView of(Users.User u) {
            return new UserView(u.name(), u.displayName(), u.admin(), u.createdAt(), u.email());
        }
    }

    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    UserView createUser(Caller caller, @RequestBody NewUser body) {
        access.requireAdmin(caller, "creating a user");
        if (body == null) {
            throw new RegistryException.Invalid("name", "a JSON body with \"name\" is required");
        }
        return UserView.of(users.create(body.name(), body.displayName(), Boolean.TRUE.equals(body.admin()), body.email()));
    }

    @GetMapping("/users")
    List<UserView> listUsers(Caller caller) {
        access.requireAdmin(caller, "listing users");
        return users.list().stream().map(UserView::of).toList();
    }

    /** @param user whose token (admins only; default: the caller's own) */
    public record NewToken(String name, Integer validDays, String user) {
    }

    public record TokenView(String id, String user, String name, Instant createdAt, Instant expiresAt, Instant revokedAt, String token) {
    }

    /** A new token; its text is in this answer and nowhere else, ever. */
    @PostMapping("/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    TokenView createToken(Caller caller, @RequestBody NewToken body) {
        String name = body == null || body.name() == null || body.name().isBlank() ? "cli" : body.name();
        int days = body == null || body.validDays() == null ? 90 : body.validDays();
        if (days < 1 || days > MAX_TOKEN_DAYS) {
            throw new RegistryException.Invalid("validDays", "validDays must be from 1 to " + MAX_TOKEN_DAYS);
        }
        Users.User owner = users.byId(caller.userId()).orElseThrow();
        if (body != null && body.user() != null && !body.user().equals(caller.name())) {
            access.requireAdmin(caller, "making a token for another user");
            owner = users.get(body.user());
        }
        Tokens.Issued issued = tokens.issue(owner.id(), name, Duration.ofDays(days));
        Tokens.Token t = issued.token();
        return new TokenView(t.id(), owner.name(), t.name(), t.createdAt(), t.expiresAt(), null, issued.text());
    }

    @GetMapping("/tokens")
    List<TokenView> listTokens(Caller caller) {
        return tokens.of(caller.userId()).stream()
                .map(t -> new TokenView(t.id(), caller.name(), t.name(), t.createdAt(), t.expiresAt(), t.revokedAt(), null)).toList();
    }

    @DeleteMapping("/tokens/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeToken(Caller caller, @PathVariable String id) {
        Tokens.Token t = tokens.get(id);
        if (!t.userId().equals(caller.userId()) && !caller.admin()) {
            throw new RegistryException.NotFound("token", id);
        }
        tokens.revoke(id);
    }

    public record Membership(String role) {
    }

    /** Grants a role on the organisation (owners and admins); {@code {"role": null}} removes it. */
    @PutMapping("/orgs/{org}/members/{user}")
    Membership setOrgRole(Caller caller, @PathVariable String org, @PathVariable String user, @RequestBody Membership body) {
        Organisation o = orgs.get(org);
        if (!caller.admin()) {
            access.require(caller, o, null, Role.OWNER, "changing members of an organisation");
        }
        Role role = body == null || body.role() == null ? null : Role.parse("role", body.role());
        users.grant(users.get(user).id(), AccessControl.ORG, o.id(), role);
        return new Membership(role == null ? null : role.id());
    }

    /** Grants a role on the project (its owners and admins); {@code {"role": null}} removes it. */
    @PutMapping("/orgs/{org}/projects/{project}/members/{user}")
    Membership setProjectRole(Caller caller, @PathVariable String org, @PathVariable String project, @PathVariable String user,
            @RequestBody Membership body) {
        Organisation o = orgs.get(org);
        Project p = access.project(caller, o, project, Role.OWNER, "changing members of a project");
        Role role = body == null || body.role() == null ? null : Role.parse("role", body.role());
        users.grant(users.get(user).id(), AccessControl.PROJECT, p.id(), role);
        return new Membership(role == null ? null : role.id());
    }
}
