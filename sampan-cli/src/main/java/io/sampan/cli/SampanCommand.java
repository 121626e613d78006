package io.sampan.cli;

public final class SampanCommand {
    public static void main(String[] args) {
        System.out.println("sampan " + Runtime.version());
    }
}
