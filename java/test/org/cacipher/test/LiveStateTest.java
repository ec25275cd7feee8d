package org.cacipher.test;

import java.util.ArrayList;
import java.util.List;
import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.HostStatus;

/** setStateListener, metricsText and transmit with a deadline (CACipherTest's helpers). */
final class LiveStateTest {
    private LiveStateTest() {}

    static void run() throws Exception {
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        boolean[] onCaller = {false};
        try (CACipher c = CACipher.open(CACipherTest.config)) {
            c.setStateListener((member, from, to) -> {
                synchronized (seen) {
                    if (Thread.currentThread() == caller) onCaller[0] = true;
                    seen.add(member + ":" + from + "->" + to);
                    seen.notifyAll();
                }
            });
            byte[] r = c.transmit("NC".getBytes(), 5000);
            CACipherTest.check(r.length > 4 && r[0] == 'N' && r[1] == 'D' && r[2] == '0' && r[3] == '0', "transmit(NC, 5000)");
            long end = System.currentTimeMillis() + 5000;
            synchronized (seen) {
                while (!seen.contains("0:UNKNOWN->UP") && System.currentTimeMillis() < end) seen.wait(100);
                CACipherTest.check(seen.contains("0:UNKNOWN->UP"), "listener told HOST1 UNKNOWN -> UP: " + seen);
                CACipherTest.check(!onCaller[0], "listener runs on the library's thread");
            }
            String m = c.metricsText();
            CACipherTest.check(m.contains("# TYPE cacipher_calls_total counter\n"), "metricsText has the families");
            CACipherTest.check(m.contains("\ncacipher_calls_total 1\n"), "metricsText counts the call");
            CACipherTest.check(m.contains("cacipher_member_up{member=\"HOST1\"} 1\n"), "metricsText: HOST1 up");
            CACipherTest.code(CACipherException.E_INVALID_ARG, () -> c.transmit("NC".getBytes(), 0));
            c.setStateListener(null);
            CACipherTest.eq(c.hostStatus(0).state(), HostStatus.State.UP, "HOST1 state");
        }
    }
}
