package io.smtpwatchdog.track;

/**
 * Recognises the end of an SMTP greeting in the bytes a client reads, without buffering them: the greeting is the
 * first reply of a session, and it ends as every reply does ({@link Replies}): at a whole final reply line, three
 * digits followed by a space (or by the end of the line), then LF (RFC 5321 §4.2). {@code 220-} lines continue a
 * multi-line greeting; any final code ends the wait, so a {@code 554} refusal or a {@code 421} counts too. Lines that
 * are not replies never complete it: a peer that drips garbage is still waiting for its deadline. The state is a
 * single int so that parsing allocates nothing.
 */
final class Greeting {
    private Greeting() {
    }

    /**
     * Feeds {@code n} bytes to the parser state {@code state} and returns the new state; test it with
     * {@link #isDone(int)}. Bytes after the end of the greeting are not looked at.
     */
    static int feed(int state, byte[] b, int off, int n) {
        int s = state;
        for (int i = off, end = off + n; i < end && !Replies.isDone(s); i++) {
            s = Replies.step(s, b[i]);
        }
        return s;
    }

    static boolean isDone(int state) {
        return Replies.isDone(state);
    }
}
