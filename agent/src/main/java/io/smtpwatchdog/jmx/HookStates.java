package io.smtpwatchdog.jmx;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Where the Watchdog MBean reads the hooks' states from: handed in by whoever installed the hooks, so that this
 * package never depends on the hook package (which starts it).
 */
final class HookStates {
    /** Each JDK hook's label and state. */
    final Supplier<Map<String, String>> hooks;
    /** Each declared host method and its state. */
    final Supplier<Map<String, String>> declarations;
    /** Each mail-library hook's label and state. */
    final Supplier<Map<String, String>> libraries;

    HookStates(Supplier<Map<String, String>> hooks, Supplier<Map<String, String>> declarations,
               Supplier<Map<String, String>> libraries) {
        this.hooks = hooks;
        this.declarations = declarations;
        this.libraries = libraries;
    }
}
