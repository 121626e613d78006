package io.sampan.cli;

import io.sampan.spec.Problem;
import io.sampan.spec.SpecException;
import io.sampan.spec.read.AppDocument;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check an app.yaml: the base and every environment it declares.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    AppInput input;

    @Option(names = "--env", paramLabel = "ENV", description = "check only this environment (default: the base and every declared one)")
    String environment;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try {
            AppDocument doc = input.read(System.in);
            List<Problem> problems = environment == null ? doc.validateAll() : doc.resolveWithProblems(environment).problems();
            AppInput.print(problems, err);
            if (problems.stream().anyMatch(Problem::isError)) {
                return SampanCommand.INVALID_INPUT;
            }
            var app = doc.resolve(environment);
            out.println(doc.file() + ": valid — app " + app.name() + ", " + app.services().size() + " services, " + app.jobs().size()
                    + " jobs, " + app.addons().size() + " addons"
                    + (doc.environments().isEmpty() ? "" : "; environments: " + String.join(", ", doc.environments())));
            return 0;
        } catch (SpecException e) {
            AppInput.print(e.problems(), err);
            return SampanCommand.INVALID_INPUT;
        }
    }
}
