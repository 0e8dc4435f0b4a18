package io.smtpwatchdog.demo;

/** Entry point of the demo-server; the relay itself arrives with issue 2. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("demo-server: not yet implemented");
    }
}
