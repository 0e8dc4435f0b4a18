package io.smtpwatchdog.track;

/**
 * What the watchdog did, for whoever reports it to operators (JMX notifications). Called on the reaper thread; an
 * implementation must return quickly and never throw. Each event is ignored unless an implementation says otherwise.
 */
public interface Events {
    /** Nobody listens. */
    Events NONE = new Events() {
    };

    /** {@code c} was reaped, or in monitor mode ({@code onlyReported}) would have been. */
    default void reaped(Conn c, boolean onlyReported) {
    }

    /** The agent gave {@code s} back by calling {@code called}. */
    default void slotGivenBack(Slot s, String called) {
    }

    /** {@code c}'s socket was collected without a close. */
    default void abandoned(Conn c) {
    }

    /** {@code f}, found blocked at attach or startup, was rescued, or in monitor mode ({@code onlyReported}) would be. */
    default void rescued(Found f, boolean onlyReported) {
    }
}
