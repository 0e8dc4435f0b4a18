package io.smtpwatchdog.demo.inbound;

import io.smtpwatchdog.demo.smtp.Envelope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An inbox for protocol tests: records messages, refuses one domain, and can be made to fail. */
final class RecordingTestInbox implements Inbox {
    record Accepted(Envelope envelope, String content) {
    }

    final List<Accepted> accepted = new ArrayList<>();
    volatile boolean failing;

    @Override
    public boolean acceptsDomain(String domain) {
        return !domain.equals("unrouted.example");
    }

    @Override
    public synchronized String accept(Envelope envelope, byte[] data) throws IOException {
        if (failing) {
            throw new IOException("disk full (simulated)");
        }
        accepted.add(new Accepted(envelope, new String(data, StandardCharsets.ISO_8859_1)));
        return "test-" + accepted.size();
    }

    synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }
}
