package io.smtpwatchdog.it.child;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * Lets the agent do everything it does (register its MBeans, track and reap a connection), then lists the TCP
 * sockets of this process that are listening, from /proc (Linux). This program opens no listener of its own, so
 * every one found is the agent's. Usage: {@code tarpitPort [control]}; with {@code control} it opens one listener
 * itself first, to show the check finds one when there is one. Prints {@code LISTENING n [local addresses]}.
 */
public final class ListenerCheck {
    public static void main(String[] a) throws Exception {
        AgentView.awaitLive();
        // Creating the platform MBeanServer, as a container would, makes the agent register its MBeans now.
        ObjectName watchdog = new ObjectName("smtpwatchdog:type=Watchdog");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ManagementFactory.getPlatformMBeanServer().isRegistered(watchdog) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.out.println("MBEANS " + ManagementFactory.getPlatformMBeanServer().isRegistered(watchdog));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[0])), 5000);
            s.getInputStream().read();
        } catch (Exception reaped) {
            System.out.println("REAPED " + reaped.getClass().getName());
        }
        java.net.ServerSocket control = a.length > 1
                ? new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()) : null;
        Set<String> ours = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ours.add(target.substring(8, target.length() - 1));
                    }
                } catch (Exception gone) {
                    // closed while listing
                }
            });
        }
        int listening = 0;
        StringBuilder where = new StringBuilder();
        for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (f[3].equals("0A") && ours.contains(f[9])) { // 0A = LISTEN; f[9] = inode
                    listening++;
                    where.append(' ').append(f[1]);
                }
            }
        }
        System.out.println("LISTENING " + listening + where);
        if (control != null) {
            control.close();
        }
        System.exit(0);
    }
}
