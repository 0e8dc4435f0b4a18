package io.smtpwatchdog.track;

/**
 * What the watchdog did, for whoever reports it to operators (JMX notifications). Called on the reaper thread; an
 * implementation must return quickly and never throw.
 */
public interface Events {
    /** Nobody listens. */
    Events NONE = new Events() {
        @Override
        public void reaped(Conn c, boolean onlyReported) {
        }

        @Override
        public void slotGivenBack(Slot s, String called) {
        }

        @Override
        public void abandoned(Conn c) {
        }
    };

    /** {@code c} was reaped, or in monitor mode ({@code onlyReported}) would have been. */
    void reaped(Conn c, boolean onlyReported);

    /** The agent gave {@code s} back by calling {@code called}. */
    void slotGivenBack(Slot s, String called);

    /** {@code c}'s socket was collected without a close. */
    void abandoned(Conn c);
}
