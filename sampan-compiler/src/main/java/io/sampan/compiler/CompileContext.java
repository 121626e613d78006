package io.sampan.compiler;

import io.sampan.spec.AppSpec;
import io.sampan.spec.Problem;
import java.util.ArrayList;
import java.util.List;

/** One compilation: the app, the cluster it is compiled for, and the problems found on the way. */
public final class CompileContext {
    private final AppSpec app;
    private final ClusterProfile profile;
    private final List<Problem> problems = new ArrayList<>();

    CompileContext(AppSpec app, ClusterProfile profile) {
        this.app = app;
        this.profile = profile;
    }

    public AppSpec app() {
        return app;
    }

    public ClusterProfile profile() {
        return profile;
    }

    /** Reports something the app asks that this cluster profile cannot give. */
    public void problem(String path, String message, String hint) {
        problems.add(Problem.error("cluster profile", path, null, message, hint));
    }

    List<Problem> problems() {
        return problems;
    }
}
