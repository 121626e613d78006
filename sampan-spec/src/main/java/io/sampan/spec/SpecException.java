package io.sampan.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Input was rejected; carries every problem found, not just the first. */
public class SpecException extends RuntimeException {
    private final transient List<Problem> problems;

    public SpecException(List<Problem> problems) {
        super(problems.stream().filter(Problem::isError).map(Problem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }
}
