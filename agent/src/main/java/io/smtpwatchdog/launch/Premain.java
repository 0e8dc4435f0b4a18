package io.smtpwatchdog.launch;

import java.lang.instrument.Instrumentation;

/** The -javaagent entry point. */
public final class Premain {
    private Premain() {
    }

    public static void premain(String args, Instrumentation inst) {
    }
}
