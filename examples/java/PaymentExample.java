/*
 * PaymentExample.java - a small payment flow on the Java binding (org.cacipher.CACipher).
 *
 *   javac -cp PREFIX/share/java/cacipher.jar -d classes PaymentExample.java
 *   java -Djava.library.path=PREFIX/lib -cp PREFIX/share/java/cacipher.jar:classes PaymentExample cacipher.ini
 *
 * (or run the source directly: java -Djava.library.path=PREFIX/lib -cp PREFIX/share/java/cacipher.jar PaymentExample.java cacipher.ini)
 *
 * 1. Keys: generate a zone master key (ZMK) shared with a partner, and two zone PIN keys:
 *    ZPK1 (ours) and ZPK2 (the partner's), and export ZPK1 under the ZMK for the partner.
 * 2. PIN: a customer's PIN block arrives under ZPK1; translate it to ZPK2 for the partner
 *    and check it by translating it back.
 * 3. MAC: protect a message with a retail MAC (ISO 9797-1 algorithm 3) and verify it; a
 *    changed message must fail.
 *
 * A refused command throws CACipherException: getCode() is the HSM's code (1...99) or a
 * library code (< 0), getMessage() the library's explanation. Keys are key-field strings
 * ("U" + 32 hex: a double-length key under the LMK).
 */
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.GeneratedKey;
import org.cacipher.KeyScheme;
import org.cacipher.KeyType;
import org.cacipher.KeyWithCheckValue;
import org.cacipher.MacAlgorithm;
import org.cacipher.MacPadding;
import org.cacipher.MacSize;
import org.cacipher.PinFormat;
import org.cacipher.TranslatedPin;

public final class PaymentExample {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: PaymentExample cacipher.ini");
            System.exit(2);
        }
        // One shared instance per configuration; try-with-resources closes it at the end.
        try (CACipher hsm = CACipher.getInstance(args[0])) {
            System.out.println("libcacipher " + CACipher.version() + ", " + hsm.hostCount() + " HSM(s) configured");
            run(hsm);
            System.out.println("payment flow done");
        } catch (CACipherException e) {
            System.err.println("failed: " + e.getCodeText() + " (" + e.getCode() + "): " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(CACipher hsm) throws CACipherException {
        // ---- 1. keys
        GeneratedKey zmk = hsm.generateKey(KeyType.ZMK, KeyScheme.DOUBLE_VARIANT);
        System.out.println("ZMK  " + zmk.keyUnderLmk() + "  KCV " + zmk.checkValue());
        GeneratedKey zpk1 = hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT);
        System.out.println("ZPK1 " + zpk1.keyUnderLmk() + "  KCV " + zpk1.checkValue());

        // A8: ZPK1 under the ZMK, as it is sent to the partner; the KCV lets them check it.
        KeyWithCheckValue exported = hsm.exportKey(KeyType.ZPK, zmk.keyUnderLmk(), zpk1.keyUnderLmk(), KeyScheme.DOUBLE_VARIANT);
        System.out.println("ZPK1 under the ZMK " + exported.key() + "  KCV " + exported.checkValue());
        require(exported.checkValue().equals(zpk1.checkValue()), "export changed the key");

        // A0 mode 1: ZPK2 generated under the LMK and at once under the ZMK.
        GeneratedKey zpk2 = hsm.generateKey(KeyType.ZPK, KeyScheme.DOUBLE_VARIANT, zmk.keyUnderLmk(), null);
        System.out.println("ZPK2 " + zpk2.keyUnderLmk() + "  KCV " + zpk2.checkValue());

        // ---- 2. PIN
        String account = "400000123456";   // 12 rightmost PAN digits without the check digit
        // For the demo, make the incoming block ourselves: PIN 1234 -> under the LMK -> ISO 0 under ZPK1.
        char[] pin = {'1', '2', '3', '4'};
        String pinUnderLmk = hsm.encryptPin(pin, account);
        Arrays.fill(pin, '\0');   // clear PINs are char[] so they can be wiped
        String block1 = hsm.pinLmkToBlock(zpk1.keyUnderLmk(), PinFormat.ISO0, account, pinUnderLmk);
        System.out.println("PIN block under ZPK1 " + block1);

        // CC: ZPK1 -> ZPK2 (what a switch does for every PIN transaction).
        TranslatedPin block2 = hsm.translatePinZpkToZpk(zpk1.keyUnderLmk(), zpk2.keyUnderLmk(), 12, block1,
                PinFormat.ISO0, PinFormat.ISO0, account);
        System.out.println("PIN block under ZPK2 " + block2.pinBlock() + " (" + block2.pinLength() + " digits)");
        TranslatedPin back = hsm.translatePinZpkToZpk(zpk2.keyUnderLmk(), zpk1.keyUnderLmk(), 12, block2.pinBlock(),
                PinFormat.ISO0, PinFormat.ISO0, account);
        require(back.pinBlock().equals(block1) && block2.pinLength() == 4, "PIN translation does not round-trip");
        System.out.println("translated back to ZPK1: same block");

        // ---- 3. MAC
        String tak = hsm.generateKey(KeyType.TAK, KeyScheme.DOUBLE_VARIANT).keyUnderLmk();
        byte[] message = "0200 PAN=4000001234567899 AMOUNT=000000012345 CUR=156".getBytes(StandardCharsets.US_ASCII);
        String mac = hsm.generateMac(MacAlgorithm.ALG3, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, tak, message);
        System.out.println("MAC " + mac);
        require(hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, tak, message, mac), "MAC does not verify");
        System.out.println("MAC verified");
        byte[] changed = "0200 PAN=4000001234567899 AMOUNT=000000099999 CUR=156".getBytes(StandardCharsets.US_ASCII);
        require(!hsm.verifyMac(MacAlgorithm.ALG3, MacPadding.METHOD2, MacSize.BYTES_8, KeyType.TAK, tak, changed, mac),
                "a changed message was not refused");
        System.out.println("changed message refused");
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            System.err.println(what);
            System.exit(1);
        }
    }
}
