/*
 * hsmapi_define.h - constants and return codes of the TASS SJJ1310 financial interface
 * ("libTassApi"), as implemented by libcacipher-tass (the vendor's C API over libcacipher's
 * host group: every [HOSTn] of a cacipher.ini as one HSM, with failover).
 *
 * Return-code convention of every function (int):
 *   0                   success (HAR_OK); Tass_EncryptData, Tass_EncryptICData and
 *                       Tass_TransferCipher return the number of hex characters written
 *   1 ... 99            the HSM's own two-digit error code, unchanged (e.g. 15 invalid input
 *                       data, 20 PIN block error, 23 bad PIN block format)
 *   0x06000000 + n      a library error, HAR_* below
 * Every failure also writes one line (function, message, code) to TassHsmApi.log in the
 * configured logpath (or TASSDBGENV) when logging is on, renamed to TassHsmApi.log<HH:MM:SS>
 * at 32 MiB as the vendor's was; the line names arguments, never their values.
 */
/* The vendor's include guard (__HSM_API_DEFINE_H__) is honoured and set too: a program that also
   includes its own copy of the vendor's header gets one set of definitions. */
#if !defined(CACIPHER_TASS_HSMAPI_DEFINE_H) && !defined(__HSM_API_DEFINE_H__)
#define CACIPHER_TASS_HSMAPI_DEFINE_H
#define __HSM_API_DEFINE_H__

#define HAR_OK                      (0x00000000)
#define HAR_BASE                    (0x06000000)
#define HAR_SOCK_INIT               (HAR_BASE + 0x00000001) /* socket initialisation failed */
#define HAR_SOCK_CONNECT            (HAR_BASE + 0x00000002) /* cannot connect: no HSM of the group reachable */
#define HAR_SOCK_SELECT             (HAR_BASE + 0x00000003) /* the HSM did not answer within the timeout */
#define HAR_SOCK_SEND               (HAR_BASE + 0x00000004) /* send failed */
#define HAR_SOCK_RECV               (HAR_BASE + 0x00000005) /* connection failed while receiving; unreadable reply frame or header not echoed */
#define HAR_SOCK_INVALID            (HAR_BASE + 0x00000006) /* invalid socket */
#define HAR_SOCK_CREATE             (HAR_BASE + 0x00000007) /* socket() failed */
#define HAR_SOCK_DATA_LEN           (HAR_BASE + 0x00000008) /* message too long */
#define HAR_MSG_LENFLG              (HAR_BASE + 0x00000009) /* message length error */
#define HAR_MSG_RSPCODE             (HAR_BASE + 0x0000000A) /* reply with a wrong response code, or fields that do not decode */
#define HAR_MEM_LENLESS             (HAR_BASE + 0x0000000B) /* output buffer too small */
#define HAR_MEM_MALLOC              (HAR_BASE + 0x0000000C) /* out of memory */
#define HAR_CFGFILE_NOEXIST         (HAR_BASE + 0x0000000D) /* no configuration file given (NULL) */
#define HAR_CFGFILE_OPEN            (HAR_BASE + 0x0000000E) /* configuration file cannot be opened */
#define HAR_CFGFILE_KEY_NOEXIST     (HAR_BASE + 0x0000000F) /* a required configuration key is missing */
#define HAR_CFGFILE_VALUE_NOEXIST   (HAR_BASE + 0x00000010) /* a configuration line has no '=' */
#define HAR_CFGFILE_VALUE_INVALID   (HAR_BASE + 0x00000011) /* an invalid configuration value (bad IPv4 address, ...) */
#define HAR_HEX_TO_BYTE             (HAR_BASE + 0x00000012) /* hex input of odd length or with a non-hex character */
#define HAR_BYTE_TO_HEX             (HAR_BASE + 0x00000013)
#define HAR_DER_DECODE              (HAR_BASE + 0x00000014) /* DER decoding failed */
#define HAR_PARAM_KEY_ID            (HAR_BASE + 0x00000015) /* key index out of range, or index 0 without a cryptogram */
#define HAR_PARAM_KEY_TYPE          (HAR_BASE + 0x00000016) /* unknown key type code */
#define HAR_PARAM_KEY_CIPHER        (HAR_BASE + 0x00000017) /* key cryptogram NULL or of a wrong length */
#define HAR_PARAM_KEY_SCHEME        (HAR_BASE + 0x00000018) /* unknown key scheme letter */
#define HAR_PARAM_KEY_HEADER        (HAR_BASE + 0x00000019)
#define HAR_PARAM_DERIVE_NUM        (HAR_BASE + 0x0000001A)
#define HAR_PARAM_DERIVE_DATA       (HAR_BASE + 0x0000001B)
#define HAR_PARAM_SESSION_KEY_MODE  (HAR_BASE + 0x0000001C)
#define HAR_PARAM_SESSION_KEY_DATA  (HAR_BASE + 0x0000001D)
#define HAR_PARAM_ENC_MODE          (HAR_BASE + 0x0000001E)
#define HAR_PARAM_MAC_MODE          (HAR_BASE + 0x0000001F)
#define HAR_PARAM_PRINT             (HAR_BASE + 0x00000020)
#define HAR_PARAM_ELEMENT_NUM       (HAR_BASE + 0x00000021) /* key component count out of range */
#define HAR_PARAM_IV                (HAR_BASE + 0x00000022)
#define HAR_PARAM_PAN               (HAR_BASE + 0x00000023) /* PAN not all digits */
#define HAR_PARAM_PADDING_MODE      (HAR_BASE + 0x00000024)
#define HAR_PARAM_CHAR              (HAR_BASE + 0x00000025)
#define HAR_PARAM_UNKNOWN           (HAR_BASE + 0x00000026)
#define HAR_PARAM_LEN               (HAR_BASE + 0x00000027) /* an argument of a wrong length */
#define HAR_PARAM_VALUE             (HAR_BASE + 0x00000028) /* an argument of a wrong value */
#define HAR_PARAM_ISNULL            (HAR_BASE + 0x00000029) /* a required pointer is NULL */
#define HAR_ALREADY_INITIALIZED     (HAR_BASE + 0x0000002A)
#define HAR_NOT_INITIALIZED         (HAR_BASE + 0x0000002B) /* a session-less function before SDF_HsmApiInit */
#define HAR_OPENDEVICE              (HAR_BASE + 0x0000002C)
#define HAR_OPENSESSION             (HAR_BASE + 0x0000002D)
#define HAR_DEVICEHANDLE_INVALID    (HAR_BASE + 0x0000002E) /* not an open device handle */
#define HAR_SESSIONHANDLE_INVALID   (HAR_BASE + 0x0000002F) /* NULL, closed, or its device closed */
#define HAR_SOCK_TIMEOUT            (HAR_BASE + 0x00000030)

/* Cipher modes */
#define ENCRYPT_MODE_ECB 0
#define ENCRYPT_MODE_CBC 1
#define ENCRYPT_MODE_CFB 2
#define ENCRYPT_MODE_OFB 3
/* MAC modes (ISO 9797-1 algorithm) */
#define MAC_MODE_ISO9797_1_1 1
#define MAC_MODE_ISO9797_1_3 3
/* Hash algorithms */
#define HASH_MODE_SHA1       1
#define HASH_MODE_MD5        2
#define HASH_MODE_ISO10118_2 3
#define HASH_MODE_NOHASH     4
#define HASH_MODE_SHA224     5
#define HASH_MODE_SHA256     6
#define HASH_MODE_SHA384     7
#define HASH_MODE_SHA512     8
#define HASH_MODE_SM3        20
/* Symmetric padding */
#define PADDING_MODE_SYMM_PBOCENC   0
#define PADDING_MODE_SYMM_PBOCMAC   1
#define PADDING_MODE_SYMM_ANSIX9_19 2
#define PADDING_MODE_SYMM_ANSIX9_23 3
#define PADDING_MODE_SYMM_PKCS5     4
#define PADDING_MODE_SYMM_NOPAD     5
/* Asymmetric padding, key types, usages */
#define PADDING_MODE_ASYM_NOPAD     0
#define PADDING_MODE_ASYM_PKCS1V1_5 1
#define KEY_TYPE_RSA   1
#define KEY_TYPE_ECC   2
#define KEY_USAGE_SIGN  0
#define KEY_USAGE_ENC   1
#define KEY_USAGE_KEYEX 2
/* PAN field selectors */
#define PANFMT_PIN_LMK 99
#define PANFMT_PIN4    4
#define PANFMT_DISPER  0
#define PANFMT_CVV     88
/* Key scheme letters */
#define KEY_SCHEME_DES   'Z'
#define KEY_SCHEME_DES2X 'X'
#define KEY_SCHEME_DES2U 'U'
#define KEY_SCHEME_DES3Y 'Y'
#define KEY_SCHEME_DES3T 'T'
#define KEY_SCHEME_SM1   'P'
#define KEY_SCHEME_SM4   'R'
#define KEY_SCHEME_AES   'L'
/* Key type codes (3H) */
#define KEY_TYPE_KEKZMK  "000"
#define KEY_TYPE_ZPK     "001"
#define KEY_TYPE_PVKTPK  "002"
#define KEY_TYPE_CVK     "402"
#define KEY_TYPE_TAK     "003"
#define KEY_TYPE_ZAK     "008"
#define KEY_TYPE_BDK     "009"
#define KEY_TYPE_MDKMKAC "109"
#define KEY_TYPE_MKSMI   "209"
#define KEY_TYPE_MKSMC   "309"
#define KEY_TYPE_MKDAK   "409"
#define KEY_TYPE_MKDN    "509"
#define KEY_TYPE_DEKZEK  "00A"
#define KEY_TYPE_TEK     "00B"
#define KEY_TYPE_HMAC    "10C"
#define KEY_TYPE_KMC     "011"

#define SOCKET_MAXDATALEN (6 * 1024 + 128)
#define DEFAULT_INIFILE   "CfgTassHsmApi.ini"
/* The vendor's name for the bounded sprintf of the platform (programs written with its
   headers use it). */
#ifdef WIN32
#define TASS_SPRINTF sprintf_s
#else
#define TASS_SPRINTF snprintf
#endif

#endif /* CACIPHER_TASS_HSMAPI_DEFINE_H */
