package org.cacipher.tass.impl;

import cn.tass.exceptions.TAException;
import java.util.Locale;
import java.util.Set;
import org.cacipher.CACipher;
import org.cacipher.CACipherException;
import org.cacipher.HostInfo;

/**
 * The framework codes of the vendor spec's section 5.2 for a configuration that does not open,
 * instead of one -300 for all of them:
 *
 * <pre>
 *   -302 NO_CONFIG               no device configured: no [HOST n] section, or one without host= / port=
 *   -301 CONFIG_OBJECT_ERROR     the text is not a configuration: a line neither [SECTION] nor key=value,
 *                                a section header without ']', a key missing before '=', a section twice
 *   -306 INVALID_CONFIG_PARAMETER a known key with a bad value (port=abc, port=70000, timeout=-1, linkNum=x,
 *                                msgheadlength=65, socketProtocol=FTP, ...)
 *   -305 UNSUPPORTED_DEVICE_MODEL hsmModel names no device this library has a driver for
 *   -403 LOG_UNKNOWN_CATEGORY    logsw names a category that does not exist
 *   -400 LOG_ERROR               logPath does not exist or cannot be written
 *   -303 CONFIG_FILE_READ_ERROR  the configuration file does not exist or cannot be read
 *   -304 BAD_CONFIG_FILE_NAME    the path names a directory (and, in hsmGeneralFinance, contains a NUL)
 * </pre>
 *
 * libcacipher reports all configuration errors as {@code E_CONFIG} (-5) with a message that says
 * which rule failed (its wording is set by {@code Sources/CACipherCore/Config}); the kind is read
 * from that wording here. {@code TassCompatTest}/{@code AppPatterns} check every kind against the
 * real library, so a change of wording fails the suite rather than silently turning into -306.
 * The message passed on is the library's (it names the section, key and value, never a secret).
 */
final class ConfigErrors {
    private ConfigErrors() {
    }

    /**
     * hsmModel values this library serves (upper case): the models libcacipher knows
     * ({@code ConfigParser.knownModels}) and the vendor's other device families it sends the same
     * host commands to ({@code VendorDialect.otherFamilyModels}). Any other name has no driver:
     * the vendor's SDK loads a driver class per model and fails on an unknown one.
     */
    static final Set<String> MODELS = Set.of("SJJ1310", "SJJ1303", "EHSM", "EVSM", "GHSM", "GVSM", "KMS", "SJY42A_IC",
                                             "SJJ19151", "SJJ1507", "SRJ1933", "SHSM", "SVSM", "TASKMS");

    /** Lexical and structural rules of the configuration text (ConfigLexer, ConfigParser). */
    private static final String[] SYNTAX = {
        "has no closing ']'", "has text after its ']'", "empty section name", "is neither a [SECTION] header nor a key=value line",
        "has no key before '='", "a line starting with '{'", "appears twice", " repeats [", "configuration text is larger than",
        "both a section-less host= list and [HOSTn] sections",
    };

    /** Rules that say no device is configured (ConfigParser, HostDraft, GroupCore). */
    private static final String[] NO_DEVICE = {
        "no host configured", "has no host=", "has no port=", "host= list has no port=", "host group has no members",
    };

    /** The vendor's code for a library error raised while opening a configuration. */
    static TAException map(CACipherException e) {
        int c = e.getCode();
        String m = e.getMessage() == null ? "" : e.getMessage();
        int ta;
        switch (c) {
            case CACipherException.E_CONFIG_FILE:
                ta = m.contains("is a directory") ? TAException.BAD_CONFIG_FILE_NAME : TAException.CONFIG_FILE_READ_ERROR;
                break;
            case CACipherException.E_LOG:
                ta = TAException.LOG_ERROR;
                break;
            case CACipherException.E_CONFIG:
                ta = configKind(m);
                break;
            default:
                return CACipherBackend.map(e);
        }
        return new TAException(ta, m + " (libcacipher " + c + ")", e);
    }

    private static int configKind(String m) {
        for (String s : SYNTAX) {
            if (m.contains(s)) return TAException.CONFIG_OBJECT_ERROR;
        }
        for (String s : NO_DEVICE) {
            if (m.contains(s)) return TAException.NO_CONFIG;
        }
        if (m.contains("unknown log category")) return TAException.LOG_UNKNOWN_CATEGORY;
        // every other rule of the parser is a value rule: "<where>: [SECTION] key=value: why"
        return TAException.INVALID_CONFIG_PARAMETER;
    }

    /** -305 when a configured device's hsmModel is not one of {@link #MODELS}. */
    static void checkModels(CACipher hsm) throws TAException {
        try {
            int n = hsm.hostCount();
            for (int i = 0; i < n; i++) {
                HostInfo h = hsm.hostInfo(i);
                String model = h.hsmModel() == null ? "" : h.hsmModel().trim();
                if (!model.isEmpty() && !MODELS.contains(model.toUpperCase(Locale.ROOT))) {
                    throw new TAException(TAException.UNSUPPORTED_DEVICE_MODEL, "[" + h.section() + "] hsmModel=" + shown(model)
                            + ": unsupported device model (supported: " + String.join(", ", new java.util.TreeSet<>(MODELS)) + ")");
                }
            }
        } catch (CACipherException e) {
            throw CACipherBackend.map(e);
        }
    }

    /** A configuration value for a message: at most 40 printable ASCII characters. */
    private static String shown(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length() && b.length() < 40; i++) {
            char ch = v.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        return v.length() > 40 ? b + "..." : b.toString();
    }
}
