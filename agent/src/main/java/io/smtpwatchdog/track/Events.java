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

        @Override
        public void rescued(Found f, boolean onlyReported) {
        }
    };

    /** {@code c} was reaped, or in monitor mode ({@code onlyReported}) would have been. */
    void reaped(Conn c, boolean onlyReported);

    /** The agent gave {@code s} back by calling {@code called}. */
    void slotGivenBack(Slot s, String called);

    /** {@code c}'s socket was collected without a close. */
    void abandoned(Conn c);

    /** {@code f}, found blocked at attach or startup, was rescued, or in monitor mode ({@code onlyReported}) would be. */
    void rescued(Found f, boolean onlyReported);
}
