package io.smtpwatchdog.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Swaps System.err for a buffer (or any stream) until closed; resets the log level on close too. */
final class StderrCapture implements AutoCloseable {
    private final PrintStream saved = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    StderrCapture() {
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    StderrCapture(PrintStream replacement) {
        System.setErr(replacement);
    }

    String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    List<String> lines() {
        return text().lines().toList();
    }

    @Override
    public void close() {
        System.setErr(saved);
        AgentLog.setLevel("info");
    }
}
