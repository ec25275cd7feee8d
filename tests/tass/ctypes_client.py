#!/usr/bin/env python3
"""ctypes_client.py - the vendor's C API from Python through ctypes, as scripts and
gateways that wrap libTassApi do: the library loaded by the vendor's file name, no argtypes
declared for most calls (ctypes passes Python ints as C int, bytes as char *), handles in
c_void_p, outputs in create_string_buffer of the documented sizes, the scheme as c_char.

    ctypes_client.py LIBRARY PORT LOGDIR

Prints one `ok - ...` / `FAIL - ...` line per check (tests/tass/run.sh counts them).
"""
import ctypes
import sys

ZMK = b"UE13D662B185F5F3B08594F89F1FF903A"  # the test LMK's ZMK (tests/tass/harness.h)
HAR_PARAM_ISNULL = 0x06000029
HAR_SESSIONHANDLE_INVALID = 0x0600002F

failures = 0


def check(cond, text):
    global failures
    print(("ok - " if cond else "FAIL - ") + "ctypes: " + text)
    if not cond:
        failures += 1


def is_hex(b, n):
    return len(b) == n and all(c in b"0123456789ABCDEF" for c in b)


def main():
    lib = ctypes.CDLL(sys.argv[1])
    port = int(sys.argv[2])
    logdir = sys.argv[3].encode()

    rc = lib.Tass_HsmApiInitByContent(b"127.0.0.1", port, 5, logdir)
    check(rc == 0, "Tass_HsmApiInitByContent(ip, port, timeout, logdir) = 0x%08X" % rc)

    dev, ses = ctypes.c_void_p(), ctypes.c_void_p()
    rc = lib.SDF_OpenDevice(ctypes.byref(dev), b"127.0.0.1", port)
    check(rc == 0 and dev.value, "SDF_OpenDevice into a c_void_p = 0x%08X" % rc)
    rc = lib.SDF_OpenSession(dev, ctypes.byref(ses))
    check(rc == 0 and ses.value, "SDF_OpenSession = 0x%08X" % rc)

    r = ctypes.create_string_buffer(2 * 8 + 1)
    rc = lib.SDF_GenerateRandom(ses, 8, r)
    check(rc == 0 and is_hex(r.value, 16), "SDF_GenerateRandom into create_string_buffer(17)")

    kz, kl, cv = ctypes.create_string_buffer(50), ctypes.create_string_buffer(50), ctypes.create_string_buffer(17)
    rc = lib.Tass_Generate_Pik(ses, 0, ZMK, ctypes.c_char(b"X"), kz, kl, cv)
    check(rc == 0 and len(kl.value) == 33 and is_hex(cv.value, 16), "Tass_Generate_Pik with the scheme as c_char = 0x%08X" % rc)

    blk, pin = ctypes.create_string_buffer(33), ctypes.create_string_buffer(13)
    rc = lib.Tass_EncryptPIN(ses, 0, kl, b"246810", 1, b"123456789012", blk)
    check(rc == 0 and is_hex(blk.value, 16), "Tass_EncryptPIN = 0x%08X" % rc)
    rc = lib.Tass_Decrypt_PIN(ses, 0, kl, blk, 1, b"123456789012", pin)
    check(rc == 0 and pin.value == b"246810", "Tass_Decrypt_PIN gives the PIN back")

    # A NULL output (None) is an error code, not a crash.
    rc = lib.Tass_Decrypt_PIN(ses, 0, kl, blk, 1, b"123456789012", None)
    check(rc == HAR_PARAM_ISNULL, "Tass_Decrypt_PIN with None as output = HAR_PARAM_ISNULL (0x%08X)" % rc)

    # The handle's integer value passed as a plain Python int (no argtypes) still works.
    rc = lib.SDF_GenerateRandom(ctypes.c_void_p(ses.value), 4, r)
    check(rc == 0 and is_hex(r.value, 8), "a session handle rebuilt from its integer value")

    lib.SDF_CloseSession(ses)
    rc = lib.SDF_GenerateRandom(ses, 4, r)
    check(rc == HAR_SESSIONHANDLE_INVALID, "a closed session = HAR_SESSIONHANDLE_INVALID (0x%08X)" % rc)
    check(lib.SDF_CloseDevice(dev) == 0, "SDF_CloseDevice = 0")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
