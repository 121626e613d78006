package io.sampan.cli;

import io.sampan.compiler.AppCompiler;
import io.sampan.compiler.ClusterProfile;
import io.sampan.compiler.ClusterProfileReader;
import io.sampan.compiler.CompiledApp;
import io.sampan.compiler.Manifests;
import io.sampan.spec.AppSpec;
import io.sampan.spec.SpecException;
import io.sampan.spec.read.AppDocument;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "render", description = "Compile an app.yaml into the Kubernetes objects for one environment and cluster "
        + "(multi-document YAML that `kubectl apply -f -` accepts).")
final class RenderCommand implements Callable<Integer> {
    enum Format { yaml, json }

    @Mixin
    AppInput input;

    @Option(names = "--env", paramLabel = "ENV", description = "environment whose overrides apply (default: the base alone)")
    String environment;

    @Option(names = "--profile", paramLabel = "CLUSTER_YAML", description = "cluster profile: namespace, overcommit, ingressClass, domainSuffix, registryMirror, nodes, capabilities, gateway")
    Path profile;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "namespace (default: the profile's, else <app>-<env>, else <app>)")
    String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try {
            AppDocument doc = input.read(System.in);
            AppDocument.Resolution resolution = doc.resolveWithProblems(environment);
            if (resolution.spec() == null) {
                AppInput.print(resolution.problems(), err);
                return SampanCommand.INVALID_INPUT;
            }
            resolution.warnings().forEach(w -> err.println(w.format()));
            AppSpec app = resolution.spec();
            String fallback = environment == null ? app.name() : app.name() + "-" + environment;
            ClusterProfile cluster = profile == null ? ClusterProfile.defaults(fallback) : ClusterProfileReader.read(profile, fallback);
            if (namespace != null) {
                cluster = cluster.withNamespace(namespace);
            }
            CompiledApp compiled = new AppCompiler().compile(app, cluster);
            out.print(format == Format.json ? Manifests.toJson(compiled.objects()) : Manifests.toYaml(compiled.objects()));
            out.flush();
            return 0;
        } catch (SpecException e) {
            AppInput.print(e.problems(), err);
            return SampanCommand.INVALID_INPUT;
        }
    }
}
