package io.sampan.server.registry;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** A new Sampan has an organisation named {@value #NAME}, the CLI's default, so it is usable at once. */
@Component
public class DefaultOrganisation implements ApplicationRunner {
    public static final String NAME = "default";
    private final OrganisationStore orgs;

    public DefaultOrganisation(OrganisationStore orgs) {
        this.orgs = orgs;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            orgs.get(NAME);
        } catch (RegistryException.NotFound absent) {
            try {
                orgs.create(NAME, "Default organisation");
            } catch (RegistryException.AlreadyExists anotherServerWasFaster) {
                // fine: it exists now
            }
        }
    }
}
