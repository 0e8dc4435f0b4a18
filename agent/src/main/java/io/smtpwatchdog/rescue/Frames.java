package io.smtpwatchdog.rescue;

import io.smtpwatchdog.config.Declaration;

import java.util.List;

/**
 * What a blocked reader's stack says about its wait: inside a mail library's connect (the greeting), inside the same
 * library elsewhere (a reply later in the session, which is not a greeting and is never rescued here), or inside a
 * method the operator declared as a delivery.
 */
final class Frames {
    enum Wait {
        /** A known mail library's connect: it reads the greeting. */
        GREETING,
        /** A known mail library, past its connect: a reply in session. */
        SESSION,
        /** Inside a declared delivery, phase unknown. */
        DECLARED,
        /** Nothing known on the stack. */
        UNKNOWN
    }

    private final List<Declaration> declarations;

    Frames(List<Declaration> declarations) {
        this.declarations = declarations;
    }

    Wait of(StackTraceElement[] stack) {
        boolean library = false;
        boolean declared = false;
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            String m = f.getMethodName();
            // Commons Net's other protocols (POP3, FTP, ...) share SocketClient.connect: only its smtp package counts.
            if (c.endsWith(".smtp.SMTPTransport") || c.startsWith("org.apache.commons.net.smtp.")) {
                if (m.equals("protocolConnect") || m.equals("openServer") || m.equals("_connectAction_")) {
                    return Wait.GREETING;
                }
                library = true;
            }
            for (Declaration d : declarations) {
                if (d.kind() == Declaration.Kind.DELIVERY && d.typeName().equals(c) && d.methodName().equals(m)) {
                    declared = true;
                }
            }
        }
        return library ? Wait.SESSION : declared ? Wait.DECLARED : Wait.UNKNOWN;
    }

    /** The first frame of the host's own, for the log: where it waits. */
    static String hostFrame(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("sun.") && !c.startsWith("jdk.")) {
                return f.toString();
            }
        }
        return stack.length > 0 ? stack[0].toString() : "?";
    }
}
