/*
 * cacipher.h - the C interface of libcacipher.
 *
 * libcacipher is the client library for a group of financial HSMs (TASS SJJ1310 / EVSM
 * family, Racal/payShield-style host commands). This header is the whole public C API;
 * it documents every call. Link with:
 *
 *     cc app.c $(pkg-config --cflags --libs cacipher)
 *
 * ------------------------------------------------------------------------------------
 * CONVENTIONS (read once; every call follows them)
 * ------------------------------------------------------------------------------------
 *
 * Result codes. Every call that can fail returns an int:
 *     0            CACIPHER_OK, success;
 *     1 ... 99     an HSM answered with that error code (the two-digit ERR of its reply),
 *                  see CACIPHER_HSM_* below and docs/error-codes.md;
 *     < 0          a library error, one of the CACIPHER_E_* constants below.
 * Calls that return a count (CACipher_HostCount) return it as a value >= 0 on success and
 * a negative CACIPHER_E_* on failure.
 *
 * Error details. CACipher_ErrorString(code) gives a short, static text for any code.
 * CACipher_LastError() gives the detailed message of the last call that FAILED on the
 * calling thread (for example "cacipher.ini line 7: [HOST1] port=80a18: port must be a
 * number from 1 to 65535"). Messages never contain secrets (clear keys, PINs, PIN blocks,
 * DMK material): they name fields, never their values.
 *
 * Strings. Input strings are NUL-terminated UTF-8 and are only read during the call (the
 * library keeps its own copies). Returned `const char *` are owned by the library: never
 * free them; how long each stays valid is stated per call.
 *
 * Instances. There are two ways to hold a configuration:
 *   - the GLOBAL instance: CACipher_Init ... CACipher_Finalize, used by passing NULL as
 *     the handle (this is how the vendor's library is used);
 *   - INDEPENDENT instances: CACipher_Open ... CACipher_Close, each with its own handle
 *     (cacipher_t *), its own configuration and its own log.
 * Both may be used in one process at the same time.
 *
 * Threads. Every function may be called from any thread, concurrently:
 *   - Init/Finalize of the global instance are serialised internally; a call that uses
 *     the global instance while another thread finalises it either completes on the old
 *     instance or fails with CACIPHER_E_NOT_INITIALIZED - it never crashes.
 *   - A handle may be used by many threads at once. CACipher_Close must not race with
 *     other calls on the SAME handle from the caller's side in a way that lets them pass
 *     the handle after Close returned: a closed handle is invalid, like freed memory
 *     (the library detects most such uses and answers CACIPHER_E_INVALID_ARG, but a
 *     handle value may be reused by a later CACipher_Open).
 *   - CACipher_LastError is per thread.
 *
 * Output buffers. Every call that returns bytes or text (now CACipher_LogPath; later the
 * HSM commands) uses the same convention:
 *
 *     int f(..., void *buf, size_t *len);
 *
 *   - buf is owned by the caller; *len is its capacity in bytes on entry;
 *   - on success the output is copied to buf and *len is set to its size;
 *   - text outputs are NUL-terminated and the NUL is COUNTED in *len (so
 *     `char b[64]; size_t n = sizeof b;` just works);
 *   - if buf is too small, nothing is written to buf, *len is set to the size needed and
 *     the call returns CACIPHER_E_BUFFER_TOO_SMALL;
 *   - if buf is NULL, the call is a size query: *len is set to the size needed and the
 *     call returns CACIPHER_OK;
 *   - len must not be NULL (CACIPHER_E_INVALID_ARG).
 *
 * NULL arguments. A NULL where a pointer is required returns CACIPHER_E_INVALID_ARG
 * (the handle argument is the exception: NULL means the global instance).
 */
#ifndef CACIPHER_H
#define CACIPHER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------
 * Result codes (the library's; they never change value, new ones are only added).
 * They mirror CACipherError.Code in the Swift sources; a test keeps both in sync.
 * ------------------------------------------------------------------------------------ */
#define CACIPHER_OK                      0
#define CACIPHER_E_INVALID_ARG         (-1)  /* NULL pointer, bad length, value out of range */
#define CACIPHER_E_BUFFER_TOO_SMALL    (-2)  /* *len now holds the size needed */
#define CACIPHER_E_NOT_INITIALIZED     (-3)  /* no global instance (CACipher_Init first) */
#define CACIPHER_E_ALREADY_INITIALIZED (-4)  /* CACipher_Init twice without Finalize */
#define CACIPHER_E_CONFIG              (-5)  /* malformed configuration (see LastError) */
#define CACIPHER_E_CONFIG_FILE         (-6)  /* configuration file cannot be read */
#define CACIPHER_E_LOG                 (-7)  /* logPath missing or not writable */
#define CACIPHER_E_NO_MEMORY           (-8)  /* out of memory */
#define CACIPHER_E_CONNECT             (-10) /* cannot connect to the HSM */
#define CACIPHER_E_TIMEOUT             (-11) /* HSM did not answer within readTimeout */
#define CACIPHER_E_ALL_DOWN            (-12) /* no HSM of the group is available */
#define CACIPHER_E_BAD_FRAME           (-13) /* malformed reply frame from the HSM */
#define CACIPHER_E_IO                  (-14) /* connection failed during the exchange */
#define CACIPHER_E_POOL_EXHAUSTED      (-15) /* no pooled connection became free in time */
#define CACIPHER_E_DMK_MISMATCH        (-16) /* HSM holds another DMK; kept out of the group */
#define CACIPHER_E_RETRY_BUDGET        (-17) /* retry budget exhausted; the group is failing */
#define CACIPHER_E_TLS                 (-20) /* TLS handshake or channel failure */
#define CACIPHER_E_TLS_VERIFY          (-21) /* TLS peer certificate verification failed */
#define CACIPHER_E_INTERNAL            (-99) /* internal library error (a bug: report it) */

/* HSM error codes (1...99) the emulator and SJJ1310-family devices answer with. Codes
 * not listed here are passed through unchanged. Full table: docs/error-codes.md. */
#define CACIPHER_HSM_VERIFICATION_FAILED   1
#define CACIPHER_HSM_SOURCE_KEY_PARITY    10
#define CACIPHER_HSM_DEST_KEY_PARITY      11
#define CACIPHER_HSM_NO_KEY_AT_INDEX      12
#define CACIPHER_HSM_NOT_INITIALISED      13
#define CACIPHER_HSM_INVALID_INPUT        15
#define CACIPHER_HSM_PIN_BLOCK_ERROR      20
#define CACIPHER_HSM_PIN_BLOCK_FORMAT     23
#define CACIPHER_HSM_PIN_LENGTH           24
#define CACIPHER_HSM_INVALID_KEY_SCHEME   26
#define CACIPHER_HSM_KEY_TYPE_NOT_ALLOWED 27
#define CACIPHER_HSM_NOT_SUPPORTED        68
#define CACIPHER_HSM_LENGTH_ERROR         80
#define CACIPHER_HSM_INTERNAL_ERROR       99

/* ------------------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------------------ */

/* An independent library instance (CACipher_Open). Opaque. */
typedef struct cacipher cacipher_t;

/* One configured HSM, as CACipher_HostInfo reports it. All strings NUL-terminated. */
typedef struct cacipher_host_info {
    char host[256];          /* host= : IP address or DNS name */
    int  port;               /* port= : 1...65535 */
    int  linkNum;            /* linkNum= : negative = pool only, positive = pool then short */
    int  connTimeoutMs;      /* connect timeout, ms (connTimeout=, else timeout=, else 6000) */
    int  readTimeoutMs;      /* read timeout, ms (readTimeout=, else timeout=, else 6000) */
    int  headerLength;       /* msgheadlength= : 0...32 */
    char hsmModel[32];       /* hsmModel= , default "SJJ1310" */
    char socketProtocol[16]; /* "TCP", "TLSv1.2" or "TLSv1.3" */
    int  encodeType;         /* encodetype= , default 0 */
    int  tlsVerify;          /* tlsVerify= : 1 (default) verify the HSM's certificate, 0 not */
    char section[32];        /* the section name as written ("HOST1", "HOST 2") */
    int  reserved[8];        /* zero; room for later fields without changing the size */
} cacipher_host_info;

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
/* The library writes this layout; these checks keep header and library in agreement. */
_Static_assert(offsetof(cacipher_host_info, port) == 256, "cacipher_host_info layout");
_Static_assert(offsetof(cacipher_host_info, hsmModel) == 276, "cacipher_host_info layout");
_Static_assert(offsetof(cacipher_host_info, socketProtocol) == 308, "cacipher_host_info layout");
_Static_assert(offsetof(cacipher_host_info, encodeType) == 324, "cacipher_host_info layout");
_Static_assert(offsetof(cacipher_host_info, section) == 332, "cacipher_host_info layout");
_Static_assert(sizeof(cacipher_host_info) == 396, "cacipher_host_info layout");
#endif


/* The state of one member of the group (cacipher_host_status.state). */
#define CACIPHER_MEMBER_UNKNOWN          0  /* not contacted yet */
#define CACIPHER_MEMBER_UP               1  /* serving */
#define CACIPHER_MEMBER_EJECTED          2  /* failed; probed in the background until it answers */
#define CACIPHER_MEMBER_DMK_MISMATCH     3  /* holds another DMK than the group: kept out */
#define CACIPHER_MEMBER_NOT_INITIALISED  4  /* answered NC with an error (e.g. 13): kept out */

/* What the group knows of one HSM right now, as CACipher_HostStatus reports it. */
typedef struct cacipher_host_status {
    int       state;            /* CACIPHER_MEMBER_* */
    int       inFlight;         /* commands on the wire to this member now */
    long long completed;        /* replies received (any ERR) since the instance opened */
    long long failures;         /* transport failures (connect, timeout, reset, bad frame) */
    long long ejections;        /* times the member was ejected */
    double    latencyMicros;    /* moving average of the reply time, microseconds */
    char      dmkCheckValue[24];/* 16 hex from NC, "" until read */
    char      lastError[256];   /* last transport failure, "" if none */
    int       reserved[8];      /* zero; room for later fields without changing the size */
} cacipher_host_status;

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(offsetof(cacipher_host_status, completed) == 8, "cacipher_host_status layout");
_Static_assert(offsetof(cacipher_host_status, latencyMicros) == 32, "cacipher_host_status layout");
_Static_assert(offsetof(cacipher_host_status, dmkCheckValue) == 40, "cacipher_host_status layout");
_Static_assert(offsetof(cacipher_host_status, lastError) == 64, "cacipher_host_status layout");
_Static_assert(sizeof(cacipher_host_status) == 352, "cacipher_host_status layout");
#endif

/* ------------------------------------------------------------------------------------
 * The global instance
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_Init - initialise the global instance from a configuration.
 *
 * fileOrContent: either the path of a configuration file (cacipher.ini) or the
 *   configuration itself in the string form "{[LOGGER];logsw=error;...;[HOST1];...}".
 *   The first character that is not blank decides: '{' means content, anything else a
 *   path. See docs/config.md for the keys.
 *
 * Parses the configuration, opens the log (logPath) and records the hosts. Does not
 * connect to any HSM. Thread-safe: concurrent Init/Finalize calls are serialised.
 *
 * Returns CACIPHER_OK, or:
 *   CACIPHER_E_INVALID_ARG          fileOrContent is NULL;
 *   CACIPHER_E_ALREADY_INITIALIZED  the global instance exists (Finalize first);
 *   CACIPHER_E_CONFIG_FILE          the file cannot be read;
 *   CACIPHER_E_CONFIG               the configuration is malformed (LastError says where);
 *   CACIPHER_E_LOG                  logPath does not exist or is not writable.
 */
int CACipher_Init(const char *fileOrContent);

/*
 * CACipher_InitWithFile - like CACipher_Init, but the argument is always a file path.
 * (A file whose text starts with '{' is read in the string form.)
 * Errors as CACipher_Init.
 */
int CACipher_InitWithFile(const char *path);

/*
 * CACipher_InitWithString - like CACipher_Init, but the argument is always content:
 * the "{...;...}" string form, or INI text with one entry per line (as in a file).
 * Errors as CACipher_Init (never CACIPHER_E_CONFIG_FILE).
 */
int CACipher_InitWithString(const char *content);

/*
 * CACipher_Finalize - shut the global instance down. Afterwards CACipher_Init may be
 * called again. Thread-safe (see "Threads" above).
 *
 * Returns CACIPHER_OK, or CACIPHER_E_NOT_INITIALIZED if there is no global instance.
 */
int CACipher_Finalize(void);

/* ------------------------------------------------------------------------------------
 * Independent instances
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_Open - open an independent instance.
 *
 * fileOrContent: as for CACipher_Init.
 * out: receives the new handle on success, NULL on failure. The caller owns the handle
 *   and must release it with CACipher_Close.
 *
 * Returns CACIPHER_OK or the errors of CACipher_Init (never ALREADY_INITIALIZED);
 * CACIPHER_E_INVALID_ARG if fileOrContent or out is NULL.
 */
int CACipher_Open(const char *fileOrContent, cacipher_t **out);

/*
 * CACipher_Close - close an instance from CACipher_Open and free it. The handle is
 * invalid afterwards.
 *
 * Returns CACIPHER_OK, or CACIPHER_E_INVALID_ARG if h is NULL or not an open handle
 * (for example closed twice).
 */
int CACipher_Close(cacipher_t *h);

/* ------------------------------------------------------------------------------------
 * Errors and version
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_ErrorString - a short English text for any result code: 0, every
 * CACIPHER_E_*, the HSM codes 1...99, and "unknown error code" for anything else.
 * Never NULL. The text is static (valid for the life of the process). Thread-safe.
 */
const char *CACipher_ErrorString(int code);

/*
 * CACipher_LastError - the detailed message of the last call that failed on the calling
 * thread (calls that succeed leave it unchanged). Never NULL: "" if no call has failed
 * on this thread. The buffer belongs to the library and stays valid until the next
 * failing call on the same thread (or the thread's end). Thread-safe (per thread).
 */
const char *CACipher_LastError(void);

/*
 * CACipher_Version - the library version, "MAJOR.MINOR.PATCH". Static; never NULL.
 */
const char *CACipher_Version(void);

/* ------------------------------------------------------------------------------------
 * Configuration queries
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_HostCount - the number of HSMs configured ([HOST1], [HOST2], ... up to the
 * first gap in the numbering).
 *
 * h: a handle from CACipher_Open, or NULL for the global instance.
 *
 * Returns the count (>= 1), or CACIPHER_E_NOT_INITIALIZED (h NULL and no global
 * instance), or CACIPHER_E_INVALID_ARG (h is not an open handle).
 */
int CACipher_HostCount(cacipher_t *h);

/*
 * CACipher_HostInfo - the configuration of one HSM.
 *
 * h: a handle, or NULL for the global instance.
 * index: 0 for HOST1, 1 for HOST2, ... (0 <= index < CACipher_HostCount(h)).
 * out: caller-owned struct, filled completely on success (unused bytes zeroed).
 *
 * Returns CACIPHER_OK, CACIPHER_E_NOT_INITIALIZED, or CACIPHER_E_INVALID_ARG (out NULL,
 * index out of range, h not an open handle).
 */
int CACipher_HostInfo(cacipher_t *h, int index, cacipher_host_info *out);

/*
 * CACipher_LogPath - the log directory (logPath) the instance was configured with, as
 * text, using the output-buffer convention above.
 *
 * h: a handle, or NULL for the global instance.
 * buf, len: see "Output buffers". The NUL terminator counts in *len.
 *
 * Returns CACIPHER_OK, CACIPHER_E_BUFFER_TOO_SMALL (*len = size needed),
 * CACIPHER_E_INVALID_ARG (len NULL, bad handle), CACIPHER_E_NOT_INITIALIZED.
 */
int CACipher_LogPath(cacipher_t *h, char *buf, size_t *len);

/* ------------------------------------------------------------------------------------
 * The group: raw commands and member status
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_Transmit - send one raw host command through the group and return the reply.
 *
 * h: a handle, or NULL for the global instance.
 * cmd, cmdLen: the command code and its fields, e.g. "B20004ABCD" (no length prefix, no
 *   message header: the library adds both). 2 <= cmdLen <= 65535 - msgheadlength.
 * rsp, rspLen: the reply from the response code on ("B300ABCD": response code, the
 *   two-digit HSM error code, then the fields), using the output-buffer convention.
 *
 * The group picks the least busy member; if the exchange fails for a transport reason
 * (refused, reset, timeout, malformed reply) the command is sent to another member when
 * that is safe (always, except for commands that store a key inside the HSM - A0/A6 with
 * a K index - which are re-sent only if the first send provably never reached an HSM).
 * See docs/failover.md.
 *
 * An HSM error code in the reply is NOT a failure of this call: it returns CACIPHER_OK
 * and the code is in rsp[2..3]. Typed calls return that code instead.
 *
 * Returns CACIPHER_OK, or CACIPHER_E_INVALID_ARG (NULL cmd or rspLen, bad cmdLen),
 * CACIPHER_E_BUFFER_TOO_SMALL (*rspLen = size needed; the reply is lost: size the buffer
 * for the largest reply, 65535 bytes always suffices), CACIPHER_E_NOT_INITIALIZED, or a
 * group error: CACIPHER_E_ALL_DOWN (every member failed; LastError lists why),
 * CACIPHER_E_TIMEOUT, CACIPHER_E_CONNECT, CACIPHER_E_IO, CACIPHER_E_BAD_FRAME (only one
 * member configured), CACIPHER_E_POOL_EXHAUSTED, CACIPHER_E_DMK_MISMATCH,
 * CACIPHER_E_RETRY_BUDGET.
 */
int CACipher_Transmit(cacipher_t *h, const unsigned char *cmd, size_t cmdLen,
                      unsigned char *rsp, size_t *rspLen);

/*
 * CACipher_HostStatus - what the group knows of one member now (state, counters, DMK
 * check value, last failure).
 *
 * h: a handle, or NULL for the global instance.
 * index: 0 for HOST1, ... (< CACipher_HostCount(h)).
 * out: caller-owned, filled completely on success.
 *
 * Returns CACIPHER_OK, CACIPHER_E_NOT_INITIALIZED, or CACIPHER_E_INVALID_ARG (out NULL,
 * index out of range, bad handle). Thread-safe; a snapshot, not a transaction.
 */
int CACipher_HostStatus(cacipher_t *h, int index, cacipher_host_status *out);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_H */
