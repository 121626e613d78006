package io.sampan.server.access;

import io.sampan.server.registry.Environment;
import io.sampan.server.registry.Organisation;
import io.sampan.server.registry.Project;
import io.sampan.server.registry.ProjectStore;
import io.sampan.server.registry.RegistryException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Who may do what. A role on an organisation applies to all its projects; the higher of the
 * organisation and project roles counts. Callers with no role see nothing: the API answers 404 as
 * for a name that does not exist, so names of other tenants cannot be probed. Callers who can see a
 * thing but may not change it get 403 with the role needed.
 */
@Component
public class AccessControl {
    public static final String ORG = "org";
    public static final String PROJECT = "project";
    private final Users users;
    private final ProjectStore projects;

    public AccessControl(Users users, ProjectStore projects) {
        this.users = users;
        this.projects = projects;
    }

    /**
     * The project, if the caller holds at least {@code needed} on it: 404 when they hold no role in
     * the organisation (whether or not the project exists), 403 naming the role when too little.
     */
    public Project project(Caller caller, Organisation org, String name, Role needed, String doing) {
        Project p;
        try {
            p = projects.get(org, name);
        } catch (RegistryException.NotFound absent) {
            seeOrganisation(caller, org);
            throw absent;
        }
        require(caller, org, p, needed, doing);
        return p;
    }

    /** The caller's effective role on the project, if any. */
    public Optional<Role> role(Caller caller, Organisation org, Project project) {
        if (caller.admin()) {
            return Optional.of(Role.OWNER);
        }
        if (!caller.authenticated()) {
            return Optional.empty();
        }
        Optional<Role> onOrg = users.role(caller.userId(), ORG, org.id());
        Optional<Role> onProject = project == null ? Optional.empty() : users.role(caller.userId(), PROJECT, project.id());
        if (onOrg.isEmpty()) {
            return onProject;
        }
        return onProject.isPresent() && onProject.get().atLeast(onOrg.get()) ? onProject : onOrg;
    }

    /** May the caller see the organisation at all (a role on it or on one of its projects)? */
    public void seeOrganisation(Caller caller, Organisation org) {
        if (caller.admin()) {
            return;
        }
        if (!caller.authenticated() || !users.organisations(caller.userId()).contains(org.id())) {
            throw new RegistryException.NotFound("organisation", org.name());
        }
    }

    /** Requires {@code needed} on the project (or the organisation when project is null); 404 without any role. */
    public Role require(Caller caller, Organisation org, Project project, Role needed, String doing) {
        Optional<Role> role = role(caller, org, project);
        if (role.isEmpty()) {
            if (project == null) {
                seeOrganisation(caller, org);
                throw new Forbidden(doing + " needs the " + needed.id() + " role on organisation " + org.name());
            }
            throw new RegistryException.NotFound("project", org.name() + "/" + project.name());
        }
        if (!role.get().atLeast(needed)) {
            throw new Forbidden(doing + " needs the " + needed.id() + " role" + (project == null ? " on organisation " + org.name()
                    : " on project " + project.name()) + "; you are " + role.get().id());
        }
        return role.get();
    }

    /** Deploying to an environment needs the environment's deploy role (developer unless the environment says more). */
    public void requireDeploy(Caller caller, Organisation org, Project project, Environment env) {
        Role needed = env.deployRole() == null ? Role.DEVELOPER : env.deployRole();
        require(caller, org, project, needed, "deploying to " + env.name());
    }

    public void requireAdmin(Caller caller, String doing) {
        if (!caller.admin()) {
            throw new Forbidden(doing + " needs a platform administrator");
        }
    }

    /** Seen but not allowed: HTTP 403. */
    public static final class Forbidden extends RuntimeException {
        public Forbidden(String message) {
            super(message);
        }
    }
}
