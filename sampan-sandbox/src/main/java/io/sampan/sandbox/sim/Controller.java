package io.sampan.sandbox.sim;

/**
 * A level-triggered controller: given the key of an object ({@code namespace/name}), it reads what
 * is and writes what should be. It is called again when something it watches changes, when it
 * asked to be called back later, or after it failed.
 */
public interface Controller {
    String name();

    void reconcile(String key);
}
