package org.cacipher.test;

import static org.cacipher.test.CACipherTest.check;
import static org.cacipher.test.CACipherTest.code;
import static org.cacipher.test.CACipherTest.eq;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.KeyScheme;
import org.cacipher.KeyType;

/**
 * Key replies with a 6H, 8H or 16H check value through the Java binding (docs/wire.md "A
 * shorter KCV in a reply"): a scripted HSM on 127.0.0.1 (an ephemeral port; NC answered so the
 * member is admitted, every other command with its usual fields and the tail the test sets).
 * The KCV comes back as received; another length is E_BAD_FRAME. NG in the payShield layout
 * gives the digits. Every socket read times out after 5 s.
 */
final class ReplyToleranceTest {
    static final String U = "U" + "AB".repeat(16);
    static final String X = "X" + "CD".repeat(16);
    static final Map<String, String> BEFORE = Map.of("A0", U, "A6", U, "A8", X, "A4", U, "BU", "", "AN", U, "KR", U, "NG", "");
    static volatile String tail = "";

    interface KcvCall {
        String call(CACipher c) throws CACipherException;
    }

    static void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                int n = in.readUnsignedShort();
                byte[] body = new byte[n];
                in.readFully(body);
                String cmd = new String(body, 0, 2, StandardCharsets.US_ASCII);
                String reply = cmd.equals("NC")
                        ? "ND00" + "08D7B4FB629D0885" + "REPLY-TOLERANCE-PEER    " + "SERIAL000001"
                        : cmd.charAt(0) + String.valueOf((char) (cmd.charAt(1) + 1)) + "00" + BEFORE.getOrDefault(cmd, "") + tail;
                byte[] r = reply.getBytes(StandardCharsets.ISO_8859_1);
                out.write(new byte[] {(byte) (r.length >> 8), (byte) r.length});
                out.write(r);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the connection (or 5 s without a request): done
        }
    }

    static void run() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                while (true) {
                    try {
                        Socket s = server.accept();
                        Thread t = new Thread(() -> serve(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            CACipher c = CACipher.open("{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=" + server.getLocalPort() + ";linkNum=-1;timeout=5}");
            try {
                Map<String, KcvCall> calls = Map.of(
                        "A0", h -> h.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT).checkValue(),
                        "A6", h -> h.importKey(KeyType.ZPK, U, X, KeyScheme.DOUBLE_VARIANT).checkValue(),
                        "A8", h -> h.exportKey(KeyType.ZPK, U, U, KeyScheme.DOUBLE_X917).checkValue(),
                        "A4", h -> h.formKeyFromComponents(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, U, U).checkValue(),
                        "BU", h -> h.keyCheckValue(KeyType.ZPK, U),
                        "AN", h -> h.convertKeyType(KeyType.ZPK, U, KeyType.ZAK, KeyScheme.DOUBLE_VARIANT).checkValue(),
                        "KR", h -> h.generateAndStoreKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, 0, null).checkValue());
                for (String kcv : new String[] {"012345", "01234567", "0123456789ABCDEF"}) {
                    tail = kcv;
                    for (Map.Entry<String, KcvCall> e : calls.entrySet()) {
                        eq(e.getValue().call(c), kcv, e.getKey() + " with " + kcv.length() + "H");
                    }
                }
                for (String bad : new String[] {"", "0123", "0123456789", "0123456789ABCDEF01", "0123456G"}) {
                    tail = bad;
                    for (Map.Entry<String, KcvCall> e : calls.entrySet()) {
                        KcvCall call = e.getValue();
                        CACipherException ex = code(CACipherException.E_BAD_FRAME, () -> call.call(c));
                        check(ex != null, e.getKey() + " with " + bad.length() + " characters");
                    }
                }
                tail = "1234F000000123456";
                eq(new String(c.decryptPin("987654321098", "0123456789ABCDEF")), "1234", "NG payShield layout: the digits");
                tail = "1234X";
                code(CACipherException.E_BAD_FRAME, () -> c.decryptPin("987654321098", "0123456789ABCDEF"));
            } finally {
                c.close();
            }
        }
    }
}
