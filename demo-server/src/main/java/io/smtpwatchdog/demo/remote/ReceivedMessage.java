package io.smtpwatchdog.demo.remote;

import io.smtpwatchdog.demo.smtp.Envelope;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message as a simulated remote host received it.
 *
 * @param envelope the envelope it came with
 * @param data     its content, dot-stuffing removed
 */
public record ReceivedMessage(Envelope envelope, byte[] data) {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>\\r\\n]*>)");

    /** The Message-ID header, which tells copies of the same message apart from different messages. */
    public Optional<String> messageId() {
        Matcher m = MESSAGE_ID.matcher(new String(data, StandardCharsets.ISO_8859_1));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
