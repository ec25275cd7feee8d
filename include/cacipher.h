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
 *   - fork(): a child may go on using instances and handles made before the fork (a
 *     pre-fork server's workers); its first call opens connections of its own. Locks the
 *     library's own threads held at the fork are taken before it and are free in the
 *     child. A fork while another thread is inside CACipher_Init* or CACipher_Finalize
 *     waits until that call has installed or removed the global instance (no network I/O
 *     happens meanwhile): the child sees the library initialised or not, never half way,
 *     and may itself call CACipher_Finalize (0, or CACIPHER_E_NOT_INITIALIZED when it
 *     inherited none), CACipher_Init and commands (docs/failover.md, "Fork safety").
 *     The C API has no log callback (the library writes its own files under logPath);
 *     the state-change callback (CACipher_SetStateCallback) is called with no library
 *     lock held, so it may take locks of its own - also ones the application takes in a
 *     pthread_atfork handler of its own - while another thread forks.
 *   - exec / posix_spawn: every descriptor the library opens (HSM connections, log files,
 *     the configuration and TLS files) is close-on-exec, so a program started with fork +
 *     exec or posix_spawn, even while calls are in flight, inherits none of them (aside:
 *     without tlsCAFile, OpenSSL itself reads the system CA store's public certificates
 *     during a TLS handshake).
 *
 * Output buffers. Every call that returns bytes or text (CACipher_LogPath,
 * CACipher_Transmit and the typed HSM commands) uses the same convention:
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
#define CACIPHER_E_LOG                 (-7)  /* logPath missing, not a directory or not writable */
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
 *   CACIPHER_E_LOG                  logPath does not exist (nothing is created), is not
 *                                   a directory or is not writable.
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
 * CACipher_OpenWithOptions - CACipher_Open with options (bits; 0 is CACipher_Open).
 *
 * CACIPHER_OPEN_KNOWN_MODELS_ONLY: an hsmModel= this library serves no device for (the
 *   models docs/config.md lists without a warning, and the vendor's other families it
 *   warns about) is CACIPHER_E_CONFIG with CACipher_LastErrorKind()
 *   CACIPHER_CONFIG_UNKNOWN_MODEL, checked after the parse and before the log is opened;
 *   without it such a model is accepted with a warning. (The vendor's Java SDK refuses an
 *   unknown model; its drop-in opens with this option.)
 *
 * Returns as CACipher_Open; CACIPHER_E_INVALID_ARG also for an unknown option bit.
 */
#define CACIPHER_OPEN_KNOWN_MODELS_ONLY 0x1u
int CACipher_OpenWithOptions(const char *fileOrContent, unsigned int options, cacipher_t **out);

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
 * CACipher_LastErrorKind - which configuration rule the last call that failed on the
 * calling thread broke, so a caller can tell the cases apart without reading the
 * message's wording: one of CACIPHER_CONFIG_* below, or CACIPHER_CONFIG_NONE (0) when that
 * failure was not a configuration error (or no call has failed on this thread). Set and
 * kept like CACipher_LastError. The result codes stay as documented (CACIPHER_E_CONFIG,
 * _CONFIG_FILE, _LOG); the kind refines them. Values never change; new ones are only added.
 */
#define CACIPHER_CONFIG_NONE                 0
#define CACIPHER_CONFIG_SYNTAX               1 /* E_CONFIG: a line neither [SECTION] nor key=value, a
                                                  header without ']', '=' without a key, a section
                                                  twice, both host forms, text over 1 MiB */
#define CACIPHER_CONFIG_NO_HOST              2 /* E_CONFIG: no [HOST1]; a host section without host=
                                                  or port=; a host= list without port= */
#define CACIPHER_CONFIG_NO_CONFIGURATION     3 /* E_CONFIG_FILE: an empty file path */
#define CACIPHER_CONFIG_FILE_UNREADABLE      4 /* E_CONFIG_FILE: missing, unreadable, over 1 MiB */
#define CACIPHER_CONFIG_NOT_A_FILE           5 /* E_CONFIG_FILE: the path is a directory */
#define CACIPHER_CONFIG_BAD_VALUE            6 /* E_CONFIG: a known key with a bad value */
#define CACIPHER_CONFIG_UNKNOWN_MODEL        7 /* E_CONFIG: CACIPHER_OPEN_KNOWN_MODELS_ONLY only */
#define CACIPHER_CONFIG_UNKNOWN_LOG_CATEGORY 8 /* E_CONFIG: logsw names no category */
#define CACIPHER_CONFIG_LOG_PATH             9 /* E_LOG: logPath missing, not a directory, not writable */
int CACipher_LastErrorKind(void);

/* The version this header belongs to (the VERSION file; make test-version checks it).
 * CACIPHER_VERSION_NUMBER is MAJOR*1000000 + MINOR*1000 + PATCH, like SQLITE_VERSION_NUMBER;
 * compare it with CACipher_Version() to detect a header/library mismatch. */
#define CACIPHER_VERSION        "0.1.0"
#define CACIPHER_VERSION_NUMBER 1000

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
 * that is safe (always, except for commands that store a key inside the HSM - A0/A6/E1 with
 * a K index, and E2 - which are re-sent only if the first send provably never reached an HSM).
 * See docs/failover.md.
 *
 * An HSM error code in the reply is NOT a failure of this call: it returns CACIPHER_OK
 * and the code is in rsp[2..3]. Typed calls return that code instead.
 *
 * Returns CACIPHER_OK, or CACIPHER_E_INVALID_ARG (NULL cmd or rspLen, bad cmdLen),
 * CACIPHER_E_BUFFER_TOO_SMALL (*rspLen = size needed; the reply is lost: size the buffer
 * for the largest reply, 65535 bytes always suffices), CACIPHER_E_NOT_INITIALIZED, or a
 * group error: CACIPHER_E_ALL_DOWN (every member failed; LastError lists why),
 * CACIPHER_E_TIMEOUT, CACIPHER_E_CONNECT, CACIPHER_E_IO, CACIPHER_E_BAD_FRAME,
 * CACIPHER_E_TLS, CACIPHER_E_TLS_VERIFY (only one member configured), CACIPHER_E_POOL_EXHAUSTED, CACIPHER_E_DMK_MISMATCH,
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

/*
 * CACipher_TransmitTimeout - CACipher_Transmit with a deadline of its own for this call.
 *
 * timeoutMs: the longest the whole call may take, in milliseconds (>= 1): pool waits,
 *   connects, the DMK check, the command and any re-send to another member. It replaces
 *   the group's call deadline for this call; one attempt on one member still ends at that
 *   member's readTimeout. When it passes the call returns CACIPHER_E_TIMEOUT; a member is
 *   not counted as failed (nor ejected) because a caller's own deadline was short.
 *
 * Everything else is CACipher_Transmit's: the arguments, the output-buffer convention and
 * the return codes, plus CACIPHER_E_INVALID_ARG for timeoutMs < 1.
 */
int CACipher_TransmitTimeout(cacipher_t *h, const unsigned char *cmd, size_t cmdLen,
                             unsigned char *rsp, size_t *rspLen, int timeoutMs);

/* ------------------------------------------------------------------------------------
 * Live group state for operators: metrics text and state-change callback
 * (docs/failover.md, "Metrics" and "State-change callback")
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_MetricsText - the group's counters as Prometheus / OpenMetrics text, ready to
 * serve on an application's /metrics.
 *
 * h: a handle, or NULL for the global instance.
 * buf, len: the text (UTF-8, lines ending in '\n'), NUL-terminated, using the
 *   output-buffer convention: *len is buf's capacity on entry and the text's size with its
 *   NUL on return. A short buffer gets nothing written, *len = the size needed and
 *   CACIPHER_E_BUFFER_TOO_SMALL (LastError names both sizes); buf NULL is a size query.
 *   The size can grow between two calls (a new counter value has more digits): allocate a
 *   little more than the size query said, or retry on CACIPHER_E_BUFFER_TOO_SMALL.
 *
 * Families: cacipher_calls_total, cacipher_call_failures_total, cacipher_resends_total,
 * cacipher_hedges_total, cacipher_call_duration_seconds (histogram), and per member
 * (label member="HOST1"): cacipher_member_up, cacipher_member_state{state=...},
 * cacipher_member_in_flight, cacipher_member_calls_total, cacipher_member_replies_total,
 * cacipher_member_failures_total, cacipher_member_resends_total,
 * cacipher_member_pool_waits_total, cacipher_member_ejections_total,
 * cacipher_member_standby_probes_total, cacipher_member_reply_duration_seconds (histogram).
 * The text never contains secrets or error messages.
 *
 * Returns CACIPHER_OK, CACIPHER_E_BUFFER_TOO_SMALL, CACIPHER_E_NOT_INITIALIZED, or
 * CACIPHER_E_INVALID_ARG (len NULL, bad handle). Thread-safe; a snapshot.
 */
int CACipher_MetricsText(cacipher_t *h, char *buf, size_t *len);

/*
 * The state-change callback: called once per change of a member's state, in the order of
 * the changes. member: 0 for HOST1, ...; oldState, newState: CACIPHER_MEMBER_*; user: the
 * pointer given to CACipher_SetStateCallback, untouched.
 *
 * It runs on the library's own notifier thread (one per instance), never while the library
 * holds a lock and never on the thread of the call that caused the change. It must return
 * promptly (later changes wait for it) and must not call CACipher_Close / CACipher_Finalize
 * on the same instance; any other call of the API is allowed.
 */
typedef void (*cacipher_state_callback)(void *user, int member, int oldState, int newState);

/*
 * CACipher_SetStateCallback - set, replace or (callback NULL) remove the instance's
 * state-change callback.
 *
 * h: a handle, or NULL for the global instance. Changes from the moment it returns are
 * reported (ejections, rejoins, DMK-guard refusals, members joining on first contact).
 * A delivery already in progress may still call the previous callback after this returns;
 * after CACipher_Close / CACipher_Finalize returns no callback of that instance runs.
 * The library does not own `user`.
 *
 * Returns CACIPHER_OK, CACIPHER_E_NOT_INITIALIZED, or CACIPHER_E_INVALID_ARG (bad handle).
 */
int CACipher_SetStateCallback(cacipher_t *h, cacipher_state_callback callback, void *user);

/* ====================================================================================
 * TYPED COMMANDS
 * ====================================================================================
 *
 * One function per host command family, built on the same group as CACipher_Transmit
 * (balancing, failover, re-send rules of docs/failover.md). Table and examples:
 * docs/typed-api.md. Conventions shared by every typed call:
 *
 *   - h first: a handle from CACipher_Open, or NULL for the global instance.
 *   - Keys are NUL-terminated KEY FIELD TEXT exactly as on the wire: a scheme letter and
 *     the hex of the key under the LMK (or a ZMK), e.g. "U0B7C6F68A38FA3C2CB42C2991576A986",
 *     16 hex without a letter (or "Z" + 16 hex) for single DES, or "K0001".."K9999" for a
 *     key held inside the HSM. Upper or lower case hex is accepted. SM4 ('R') and AES
 *     ('L') keys under the LMK are the letter + 48 hex (32 hex of key, 16 of an
 *     authenticator that binds the key to its type, so a key of another type is refused
 *     with 10/11); under a ZMK (keyUnderZMK in, keyZMK out) they are the letter + 32 hex.
 *   - Enumerations are the #define'd ints below. Key types are the 3-hex wire code as an
 *     int (variant digit << 8 | LMK pair code): CACIPHER_KEY_ZPK = 0x001, CVK = 0x402.
 *     Key schemes are the scheme letter as an int: CACIPHER_SCHEME_DOUBLE_VARIANT = 'U'.
 *   - Every value that is hex on the wire (PIN blocks, PINs under the LMK, MACs, IVs,
 *     KCVs, SM2 keys and signatures) is NUL-terminated upper-case hex text, in and out.
 *     Everything that is binary on the wire (data to MAC / encrypt / hash / sign, random
 *     bytes, hashes, SM2 ciphertexts and plaintexts) is bytes with a size_t length.
 *   - Accounts are the 12-digit account field: the rightmost 12 digits of the PAN
 *     without its check digit ("400000123456").
 *   - Outputs use the output-buffer convention above. Text outputs count their NUL. The
 *     CACIPHER_*_BUFSIZE constants are large enough for every text output of their kind.
 *     Calls with several outputs (a key and its KCV) are all or nothing: if any buffer is
 *     NULL or too small, nothing is written, EVERY *len is set to its size needed and the
 *     call returns CACIPHER_E_BUFFER_TOO_SMALL (all buffers NULL: a size query,
 *     CACIPHER_OK). A size query sends the command (a generated key is lost): size
 *     buffers with the constants instead. (CACipher_Random answers a size query without
 *     the HSM.)
 *   - Arguments are checked before anything is sent: NULL pointers, NULL length pointers,
 *     wrong lengths, non-hex or non-decimal text, malformed key fields, enum values out of
 *     range give CACIPHER_E_INVALID_ARG and LastError names the argument. The HSM checks
 *     the rest (key usage, parity, PIN block content) and its code is returned.
 *   - Result: CACIPHER_OK; an HSM code 1...99 when the HSM refused (the reply's ERR, e.g.
 *     CACIPHER_HSM_KEY_TYPE_NOT_ALLOWED 27 for a key of the wrong type, 10/11 for a key
 *     that does not decrypt under the LMK of the type the command needs, 12 nothing at a
 *     K index, 13 device not initialised, 15 invalid input, 26 scheme, 80 length); or a
 *     library error: CACIPHER_E_INVALID_ARG, CACIPHER_E_BUFFER_TOO_SMALL,
 *     CACIPHER_E_NOT_INITIALIZED, CACIPHER_E_BAD_FRAME (a reply that does not decode) and
 *     the group errors of CACipher_Transmit. Messages never contain keys, PINs or data.
 *   - Commands that store into the HSM (a storeIndex other than 0) are re-sent to another
 *     member only when the first send provably never reached an HSM (docs/failover.md).
 */

/* Key types (CACIPHER_KEY_*): variant digit << 8 | LMK pair code. Any 0x000...0x9FF is
 * accepted and sent as its 3-hex code; these are the usual ones. */
#define CACIPHER_KEY_ZMK   0x000
#define CACIPHER_KEY_ZPK   0x001
#define CACIPHER_KEY_TPK   0x002  /* also PVK, TMK */
#define CACIPHER_KEY_PVK   0x002
#define CACIPHER_KEY_TMK   0x002
#define CACIPHER_KEY_CVK   0x402
#define CACIPHER_KEY_TAK   0x003
#define CACIPHER_KEY_ZAK   0x008
#define CACIPHER_KEY_BDK   0x009
#define CACIPHER_KEY_MK_AC 0x109
#define CACIPHER_KEY_ZEK   0x00A  /* also DEK */
#define CACIPHER_KEY_DEK   0x00A
#define CACIPHER_KEY_TEK   0x00B
#define CACIPHER_KEY_HMAC  0x10C

/* Key schemes (CACIPHER_SCHEME_*): the scheme letter. */
#define CACIPHER_SCHEME_SINGLE_DES      'Z'  /* 16 hex (written without a letter in key fields) */
#define CACIPHER_SCHEME_DOUBLE_VARIANT  'U'  /* 32 hex */
#define CACIPHER_SCHEME_DOUBLE_X917     'X'  /* 32 hex */
#define CACIPHER_SCHEME_TRIPLE_VARIANT  'T'  /* 48 hex */
#define CACIPHER_SCHEME_TRIPLE_X917     'Y'  /* 48 hex */
#define CACIPHER_SCHEME_SM4             'R'  /* 48 hex under the LMK (32 key + 16 authenticator), 32 under a ZMK */
#define CACIPHER_SCHEME_AES128          'L'  /* 48 hex under the LMK (32 key + 16 authenticator), 32 under a ZMK */
#define CACIPHER_SCHEME_SM1             'P'  /* 32 hex; software HSMs answer 26 */

/* PIN block formats (the 2-digit wire codes). */
#define CACIPHER_PIN_FORMAT_ISO0     1   /* ISO 9564 format 0 / ANSI X9.8 */
#define CACIPHER_PIN_FORMAT_IBM3624  3   /* Diebold / IBM 3624 */
#define CACIPHER_PIN_FORMAT_ISO1     5   /* ISO 9564 format 1 */
#define CACIPHER_PIN_FORMAT_ISO3    47   /* ISO 9564 format 3 */

/* Key kinds of CACipher_TranslatePIN (TI). */
#define CACIPHER_PIN_KEY_TPK 1
#define CACIPHER_PIN_KEY_ZPK 2

/* MAC: which part of a message a call carries, algorithm, padding, size. */
#define CACIPHER_MAC_ONLY    0   /* the whole message */
#define CACIPHER_MAC_FIRST   1   /* first part: returns the chaining value */
#define CACIPHER_MAC_MIDDLE  2   /* middle part: needs iv, returns the chaining value */
#define CACIPHER_MAC_LAST    3   /* last part: needs iv, returns the MAC */
#define CACIPHER_MAC_ALG1    1   /* ISO 9797-1 algorithm 1 (CBC-MAC, X9.9); DES, SM4, AES keys */
#define CACIPHER_MAC_ALG3    3   /* ISO 9797-1 algorithm 3 (retail MAC, X9.19); DES keys */
#define CACIPHER_MAC_PAD_NONE    0  /* data must be whole blocks */
#define CACIPHER_MAC_PAD_ZEROS   1  /* ISO 9797-1 method 1 */
#define CACIPHER_MAC_PAD_METHOD2 2  /* ISO 9797-1 method 2: 0x80 then zeros */
#define CACIPHER_MAC_SIZE_4   0     /* 4-byte MAC (8 hex) */
#define CACIPHER_MAC_SIZE_8   1     /* 8-byte MAC (16 hex) */

/* Data encryption modes (no padding: whole blocks of 8 bytes, 16 for SM4/AES keys). */
#define CACIPHER_MODE_ECB 0
#define CACIPHER_MODE_CBC 1
/* Whole-block feedback modes, CACipher_ICEncrypt / CACipher_ICDecrypt (S3/S4) only (every
 * other call refuses them with CACIPHER_E_INVALID_ARG): CFB64 under DES keys, CFB128 under
 * SM4/AES keys; OFB. iv: one block. Stream modes: with CACIPHER_IC_PAD_NONE any length. */
#define CACIPHER_MODE_CFB 2
#define CACIPHER_MODE_OFB 3

/* Hash algorithms of CACipher_Hash (the 2-digit wire codes). */
#define CACIPHER_HASH_SHA1    1
#define CACIPHER_HASH_SHA224  5
#define CACIPHER_HASH_SHA256  6
#define CACIPHER_HASH_SHA384  7
#define CACIPHER_HASH_SHA512  8
#define CACIPHER_HASH_SM3    20

/* Buffer sizes that always suffice for text outputs (NUL included). */
#define CACIPHER_KEY_BUFSIZE        64   /* a key field: letter + up to 48 hex */
#define CACIPHER_KCV_BUFSIZE        17   /* 16 hex (a KCV is returned as the HSM sent it: 16, 8 or 6 hex) */
#define CACIPHER_PIN_BLOCK_BUFSIZE  33   /* 16 hex (DES keys) or 32 hex (SM4/AES keys) */
#define CACIPHER_PIN_LMK_BUFSIZE    17   /* a PIN under the LMK: 16 hex */
#define CACIPHER_PIN_BUFSIZE        17   /* clear PIN digits */
#define CACIPHER_MAC_BUFSIZE        33   /* a MAC (8/16 hex) or a chaining value (16/32 hex) */
#define CACIPHER_IV_BUFSIZE         33   /* 16 or 32 hex */
#define CACIPHER_SM2_PUBLIC_KEY_BUFSIZE  129  /* 128 hex: X || Y */
#define CACIPHER_SM2_PRIVATE_KEY_BUFSIZE  81  /* 80 hex: the private key blob under the LMK */
#define CACIPHER_SM2_SIGNATURE_BUFSIZE   129  /* 128 hex: r || s */
#define CACIPHER_HASH_MAX_SIZE            64  /* bytes (SHA-512) */
#define CACIPHER_SM2_CIPHER_OVERHEAD      97  /* ciphertext = plaintext + 97 bytes (C1 65, C3 32) */
#define CACIPHER_DEVICE_TEXT_BUFSIZE      25  /* DMK check value (16 hex), version (24), serial (12) */

/* ------------------------------------------------------------------------------------
 * Typed commands: keys
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_GenerateKey - A0: generate a key, optionally also under a ZMK and/or kept
 * inside the HSM.
 *
 * keyType: CACIPHER_KEY_*. lmkScheme: CACIPHER_SCHEME_* of the key under the LMK.
 * zmk: NULL, or a ZMK (key field, type 000) to also return the key under it (mode 1).
 * zmkScheme: scheme under the ZMK, 0 = lmkScheme (ignored without zmk).
 * storeIndex: 0, or 1...9999 to also keep the key at K<storeIndex>; label: NULL or up to
 *   99 printable ASCII characters.
 * keyLMK, keyLMKLen: the key under the LMK (key field text). keyZMK, keyZMKLen: the key
 *   under the ZMK; required with zmk, ignored (may be NULL) without. kcv, kcvLen: the KCV as
 *   the HSM sent it: 16 hex (TASS), or 8 / 6 hex from a device that answers so (docs/wire.md
 *   "A shorter KCV in a reply"; any other length is CACIPHER_E_BAD_FRAME). The same holds
 *   for every kcv output of a key command below except CACipher_StoredKeyInfo (16 hex).
 *
 * HSM codes: 10 (ZMK does not decrypt under the ZMK LMK), 26 (scheme, mixing DES and
 * SM4/AES), 27 (key type), 13, 15. Not re-sent when storeIndex != 0 (see above).
 */
int CACipher_GenerateKey(cacipher_t *h, int keyType, int lmkScheme, const char *zmk, int zmkScheme,
                         int storeIndex, const char *label,
                         char *keyLMK, size_t *keyLMKLen, char *keyZMK, size_t *keyZMKLen,
                         char *kcv, size_t *kcvLen);

/*
 * CACipher_ImportKey - A6: import a key received under a ZMK; returns it under the LMK.
 *
 * keyType: CACIPHER_KEY_*. zmk: the ZMK (key field or K index). keyUnderZMK: the key
 *   under the ZMK (key field text; its scheme letter says how it is encrypted).
 * lmkScheme: CACIPHER_SCHEME_* under the LMK. storeIndex, label: as CACipher_GenerateKey.
 * keyLMK/keyLMKLen, kcv/kcvLen: outputs. DES keys come back parity-adjusted.
 * HSM codes: 10 (ZMK), 12, 26, 27.
 */
int CACipher_ImportKey(cacipher_t *h, int keyType, const char *zmk, const char *keyUnderZMK, int lmkScheme,
                       int storeIndex, const char *label,
                       char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_ExportKey - A8: export a key (under the LMK of keyType, or a K index) under a ZMK.
 *
 * zmkScheme: CACIPHER_SCHEME_* under the ZMK. keyZMK/keyZMKLen, kcv/kcvLen: outputs.
 * HSM codes: 10 (ZMK), 11 (the key does not decrypt as keyType), 12, 26, 27.
 */
int CACipher_ExportKey(cacipher_t *h, int keyType, const char *zmk, const char *key, int zmkScheme,
                       char *keyZMK, size_t *keyZMKLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_FormKeyFromComponents - A4: form a key as the XOR of 2...9 components, each a
 * key field under the LMK of keyType (DES results get odd parity).
 *
 * components: array of count key fields; count: 2...9. keyLMK/keyLMKLen, kcv/kcvLen: outputs.
 * HSM codes: 10 (a component does not decrypt as keyType), 26, 27.
 */
int CACipher_FormKeyFromComponents(cacipher_t *h, int keyType, int lmkScheme,
                                   const char *const *components, int count,
                                   char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_KeyCheckValue - BU: the check value of a key under the LMK of keyType (16 hex:
 * the key's encryption of a zero block; 8 or 6 hex from a device that answers so). For a key at a K index the double-length flag
 * is sent; the HSM uses the stored key's own length.
 * HSM codes: 10 (the key does not decrypt as keyType), 12, 27.
 */
int CACipher_KeyCheckValue(cacipher_t *h, int keyType, const char *key, char *kcv, size_t *kcvLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: PIN
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_TranslatePIN_TPKtoZPK - CA: translate a PIN block from a TPK to a ZPK.
 *
 * tpk, zpk: key fields (types 002 and 001). maxPINLength: 4...12. pinBlock: 16 hex (DES
 *   key) or 32 hex (SM4/AES key). sourceFormat, destinationFormat: CACIPHER_PIN_FORMAT_*.
 * account: 12 digits. pinBlockOut/pinBlockOutLen: the block under the ZPK (16/32 hex).
 * pinLength: NULL, or receives the number of PIN digits (on success).
 * HSM codes: 10 (TPK), 11 (ZPK), 15 (block size does not fit the key), 20 (PIN block
 * does not decode), 24 (PIN longer than maxPINLength), 12, 27.
 */
int CACipher_TranslatePIN_TPKtoZPK(cacipher_t *h, const char *tpk, const char *zpk, int maxPINLength,
                                   const char *pinBlock, int sourceFormat, int destinationFormat,
                                   const char *account, char *pinBlockOut, size_t *pinBlockOutLen,
                                   int *pinLength);

/*
 * CACipher_TranslatePIN_ZPKtoZPK - CC: translate a PIN block from one ZPK to another.
 * Arguments and codes as CACipher_TranslatePIN_TPKtoZPK with a source ZPK.
 */
int CACipher_TranslatePIN_ZPKtoZPK(cacipher_t *h, const char *sourceZPK, const char *destinationZPK,
                                   int maxPINLength, const char *pinBlock, int sourceFormat,
                                   int destinationFormat, const char *account,
                                   char *pinBlockOut, size_t *pinBlockOutLen, int *pinLength);

/*
 * CACipher_TranslatePIN - TI (TASS form): translate a PIN block between any TPK/ZPK pair,
 * with an account per side.
 *
 * sourceKind, destinationKind: CACIPHER_PIN_KEY_TPK or CACIPHER_PIN_KEY_ZPK.
 * Other arguments as CACipher_TranslatePIN_TPKtoZPK. HSM codes as there.
 */
int CACipher_TranslatePIN(cacipher_t *h, int sourceKind, const char *sourceKey, int destinationKind,
                          const char *destinationKey, int maxPINLength, const char *pinBlock,
                          int sourceFormat, const char *sourceAccount, int destinationFormat,
                          const char *destinationAccount, char *pinBlockOut, size_t *pinBlockOutLen);

/*
 * CACipher_PINBlockToLMK - JE: a PIN block under a ZPK -> the PIN under the LMK (16 hex).
 * format: CACIPHER_PIN_FORMAT_*. account: 12 digits.
 * HSM codes: 10 (ZPK), 15, 20, 24, 12, 27.
 */
int CACipher_PINBlockToLMK(cacipher_t *h, const char *zpk, const char *pinBlock, int format,
                           const char *account, char *pinLMK, size_t *pinLMKLen);

/*
 * CACipher_PINLMKToBlock - JG: a PIN under the LMK (16 hex) -> a PIN block under a ZPK
 * (16 hex, 32 under SM4/AES ZPKs). HSM codes: 10 (ZPK), 20 (the PIN does not decrypt for
 * this account), 12, 27.
 */
int CACipher_PINLMKToBlock(cacipher_t *h, const char *zpk, int format, const char *account,
                           const char *pinLMK, char *pinBlock, size_t *pinBlockLen);

/*
 * CACipher_EncryptPIN - BA: a clear PIN (4...12 digits) -> the PIN under the LMK (16 hex).
 * The library zeroes its copies of the PIN. HSM codes: 24.
 */
int CACipher_EncryptPIN(cacipher_t *h, const char *pin, const char *account, char *pinLMK, size_t *pinLMKLen);

/*
 * CACipher_DecryptPIN - NG: a PIN under the LMK -> the clear PIN digits (text). A reply in
 * the payShield layout (digits, F padding, optionally a 12-digit reference number) gives
 * the digits alone; any other reply than 1...16 digits or that layout is CACIPHER_E_BAD_FRAME.
 * The library zeroes its own buffers holding the PIN after copying it out and never logs
 * it; zero `pin` yourself when done. HSM codes: 20 (not a PIN for this account).
 */
int CACipher_DecryptPIN(cacipher_t *h, const char *account, const char *pinLMK, char *pin, size_t *pinLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: MAC and data
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_GenerateMAC - M6: MAC of data (sent to the HSM as hex, so any bytes; up to
 * 32000 bytes per call, longer messages in parts).
 *
 * mode: CACIPHER_MAC_ONLY (whole message), _FIRST, _MIDDLE, _LAST. FIRST and MIDDLE
 *   return the chaining value (16 hex, 32 with SM4/AES keys) to pass as iv of the next
 *   part; FIRST/MIDDLE parts must be whole blocks. algorithm: CACIPHER_MAC_ALG1/ALG3.
 * padding: CACIPHER_MAC_PAD_*. macSize: CACIPHER_MAC_SIZE_4/8.
 * keyType: CACIPHER_KEY_TAK or CACIPHER_KEY_ZAK (others: HSM 27). key: key field.
 * iv: NULL for ONLY/FIRST; the previous chaining value (16 or 32 hex) for MIDDLE/LAST.
 * mac/macLen: 8 or 16 hex (MAC), or the chaining value.
 * HSM codes: 27, 10, 12, 15 (ALG3 with an SM4/AES key), 80 (not whole blocks).
 */
int CACipher_GenerateMAC(cacipher_t *h, int mode, int algorithm, int padding, int macSize, int keyType,
                         const char *key, const char *iv, const unsigned char *data, size_t dataLen,
                         char *mac, size_t *macLen);

/*
 * CACipher_VerifyMAC - M8: check a MAC (8 hex for CACIPHER_MAC_SIZE_4, 16 for _8).
 * mode: CACIPHER_MAC_ONLY, or CACIPHER_MAC_LAST with iv. Other arguments as
 * CACipher_GenerateMAC.
 * Returns CACIPHER_OK when the MAC matches, CACIPHER_HSM_VERIFICATION_FAILED (1) when it
 * does not, or the codes of CACipher_GenerateMAC.
 */
int CACipher_VerifyMAC(cacipher_t *h, int mode, int algorithm, int padding, int macSize, int keyType,
                       const char *key, const char *iv, const unsigned char *data, size_t dataLen,
                       const char *mac);

/*
 * CACipher_EncryptData - M0: encrypt whole blocks under a ZEK/DEK (CACIPHER_KEY_ZEK) or
 * TEK (CACIPHER_KEY_TEK), ECB or CBC, no padding.
 *
 * mode: CACIPHER_MODE_ECB or _CBC. iv: NULL for ECB; 16 hex (DES) or 32 hex (SM4/AES) for
 *   CBC. data, dataLen: 1...65408 bytes, a multiple of the block size.
 * out/outLen: dataLen bytes. ivOut/ivOutLen: CBC only, the IV of the next part (the last
 *   cipher block, hex); both may be NULL to ignore it (ignored for ECB).
 * HSM codes: 27 (other key types), 10, 12, 80.
 */
int CACipher_EncryptData(cacipher_t *h, int mode, int keyType, const char *key, const char *iv,
                         const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen,
                         char *ivOut, size_t *ivOutLen);

/*
 * CACipher_DecryptData - M2: the inverse of CACipher_EncryptData (same arguments; ivOut is
 * the last cipher block of the input). The library zeroes its copy of the plaintext.
 */
int CACipher_DecryptData(cacipher_t *h, int mode, int keyType, const char *key, const char *iv,
                         const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen,
                         char *ivOut, size_t *ivOutLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: device
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_Random - CR: count (1...2048) random bytes from the HSM into buf (binary).
 * A size query (buf NULL) sets *len = count without asking the HSM (the handle is still
 * checked: CACIPHER_E_NOT_INITIALIZED or CACIPHER_E_INVALID_ARG as for any call).
 */
int CACipher_Random(cacipher_t *h, size_t count, unsigned char *buf, size_t *len);

/*
 * CACipher_Hash - 3C: hash data (0...9999 bytes) with CACIPHER_HASH_*; the hash is binary
 * (20, 28, 32, 48, 64 bytes; CACIPHER_HASH_MAX_SIZE suffices).
 *
 * publicKey: NULL, or an SM2 public key (128 hex) to hash Z || data with SM3 (GB/T 32918
 *   Z value; algorithm must be CACIPHER_HASH_SM3, else CACIPHER_E_INVALID_ARG). userID,
 *   userIDLen: the user id for Z (0 bytes = the default "1234567812345678"); only with
 *   publicKey. HSM codes: 15 (the public key is not a curve point).
 */
int CACipher_Hash(cacipher_t *h, int algorithm, const unsigned char *data, size_t dataLen,
                  const unsigned char *userID, size_t userIDLen, const char *publicKey,
                  unsigned char *hash, size_t *hashLen);

/*
 * CACipher_DeviceInfo - NC: the HSM's DMK check value (16 hex; all "0" when it holds no
 * DMK), firmware version and serial number, each as text. Any of the three outputs may
 * be skipped by passing NULL for both its buffer and its length (at least one is needed).
 * The group sends NC to whichever member it picks.
 */
int CACipher_DeviceInfo(cacipher_t *h, char *dmkCheckValue, size_t *dmkCheckValueLen,
                        char *version, size_t *versionLen, char *serial, size_t *serialLen);

/*
 * CACipher_Echo - B2: the HSM sends data back (a health check). data: 0...65529 bytes.
 * A reply that differs from the data is CACIPHER_E_BAD_FRAME.
 */
int CACipher_Echo(cacipher_t *h, const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: SM2
 * The TASS SJJ1310 layouts (docs/wire.md, "SM2 commands"). Private keys: 80 hex (the
 * 40-byte blob under the LMK) or "K0001".."K9998"; public keys: 128 hex (X || Y; DER on the
 * wire) or a K index; signatures: 128 hex (r || s); ciphertexts: binary C1 || C3 || C2.
 * userID: bytes (0 bytes = the default "1234567812345678").
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_SM2GenerateKeyPair - E7: a new key pair; storeIndex 0, or 1...9998 (with an
 * optional label) to also keep it inside the HSM (then not re-sent, see above).
 * publicKey/publicKeyLen: 128 hex. privateKey/privateKeyLen: 80 hex under the LMK.
 */
int CACipher_SM2GenerateKeyPair(cacipher_t *h, int storeIndex, const char *label,
                                char *publicKey, size_t *publicKeyLen, char *privateKey, size_t *privateKeyLen);

/*
 * CACipher_SM2LoadPrivateKey - E2 then E1: keep a private key (80 hex under the LMK) inside
 * the HSM at storeIndex (1...9998); returns its public key. HSM codes: 10 (a blob of another
 * device or altered), 15 (not an SM2 key).
 */
int CACipher_SM2LoadPrivateKey(cacipher_t *h, const char *privateKey, int storeIndex, const char *label,
                               char *publicKey, size_t *publicKeyLen);

/*
 * CACipher_SM2PublicKey - E2: the public key (128 hex) of a private key.
 * HSM codes: 12, 15 (not a valid key under this LMK), 27 (index holds no SM2 key).
 */
int CACipher_SM2PublicKey(cacipher_t *h, const char *privateKey, char *publicKey, size_t *publicKeyLen);

/*
 * CACipher_SM2Sign - E5 (after E2 for a blob): sign data (0...9999 bytes; SM3 over Z || data). signature: 128 hex.
 * HSM codes: 12, 15, 27.
 */
int CACipher_SM2Sign(cacipher_t *h, const char *privateKey, const unsigned char *userID, size_t userIDLen,
                     const unsigned char *data, size_t dataLen, char *signature, size_t *signatureLen);

/*
 * CACipher_SM2Verify - E6: check a signature (128 hex). Returns CACIPHER_OK when valid,
 * CACIPHER_HSM_VERIFICATION_FAILED (1) when not; HSM codes 12, 15 (not a curve point), 27.
 */
int CACipher_SM2Verify(cacipher_t *h, const char *publicKey, const unsigned char *userID, size_t userIDLen,
                       const unsigned char *data, size_t dataLen, const char *signature);

/*
 * CACipher_SM2Encrypt - E3: encrypt 1...9902 bytes; out receives dataLen + 97 bytes
 * (C1 || C3 || C2). HSM codes: 12, 15, 27, 80.
 */
int CACipher_SM2Encrypt(cacipher_t *h, const char *publicKey, const unsigned char *data, size_t dataLen,
                        unsigned char *out, size_t *outLen);

/*
 * CACipher_SM2Decrypt - E4: decrypt C1 || C3 || C2 (98...9999 bytes); out receives
 * ciphertextLen - 97 bytes. The library zeroes its copy of the plaintext.
 * HSM codes: 15 (ciphertext does not decrypt), 12, 27.
 */
int CACipher_SM2Decrypt(cacipher_t *h, const char *privateKey, const unsigned char *ciphertext,
                        size_t ciphertextLen, unsigned char *out, size_t *outLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: RSA
 * The TASS SJJ1310 layouts (docs/wire.md, "RSA commands"). Keys (const char *, NUL-terminated):
 * "K0001".."K9998" (a key pair kept inside the HSM), or upper/lower-case hex: for public keys
 * the DER PKCS#1 RSAPublicKey (one SEQUENCE; else CACIPHER_E_INVALID_ARG), for private keys the
 * private key blob under the LMK from CACipher_RSAGenerateKeyPair. Public keys, private key
 * blobs and signatures come out as NUL-terminated upper-case hex in caller buffers; data,
 * ciphertexts and plaintexts are bytes. Every out buffer has an in/out length: in, its size;
 * out, the bytes written (text: including the NUL), or on CACIPHER_E_BUFFER_TOO_SMALL the size needed
 * (nothing written). NULL required pointers: CACIPHER_E_INVALID_ARG. The caller owns all buffers.
 * hash: CACIPHER_RSA_HASH_*; padding: CACIPHER_RSA_SIG_* (sign/verify), CACIPHER_RSA_ENC_*
 * (encrypt/decrypt); other values: CACIPHER_E_INVALID_ARG.
 * ------------------------------------------------------------------------------------ */
#define CACIPHER_RSA_HASH_SHA1     1
#define CACIPHER_RSA_HASH_SHA224   5
#define CACIPHER_RSA_HASH_SHA256   6
#define CACIPHER_RSA_HASH_SHA384   7
#define CACIPHER_RSA_HASH_SHA512   8
#define CACIPHER_RSA_HASH_SM3     20
#define CACIPHER_RSA_SIG_PKCS1     1
#define CACIPHER_RSA_SIG_PSS       2
#define CACIPHER_RSA_ENC_NONE      0
#define CACIPHER_RSA_ENC_PKCS1     1
#define CACIPHER_RSA_ENC_OAEP      2
#define CACIPHER_RSA_USAGE_SIGN    0
#define CACIPHER_RSA_USAGE_KEY_MANAGEMENT 1
#define CACIPHER_RSA_USAGE_ANY     2

/*
 * CACipher_RSAGenerateKeyPair - EI: a new key pair of bits (1024...4096, a multiple of 8),
 * exponent 3 or 65537, usage CACIPHER_RSA_USAGE_*; storeIndex 0, or 1...9998 (optional label)
 * to also keep it inside the HSM (then not re-sent after a failure). publicKey: hex DER
 * RSAPublicKey; privateKey: hex blob under the LMK (no clear secret).
 */
int CACipher_RSAGenerateKeyPair(cacipher_t *h, int bits, int exponent, int usage, int storeIndex, const char *label,
                                char *publicKey, size_t *publicKeyLen, char *privateKey, size_t *privateKeyLen);

/*
 * CACipher_RSAPublicKey - ER: the public key (hex DER RSAPublicKey) of the pair at index 1...9998.
 * HSM codes: 12 (no key at the index), 27 (the index holds no RSA pair).
 */
int CACipher_RSAPublicKey(cacipher_t *h, int index, char *publicKey, size_t *publicKeyLen);

/*
 * CACipher_RSASign - EW: the HSM hashes data (0...9999 bytes) with hash and signs it with
 * privateKey; signature: hex, the modulus length. PKCS#1 v1.5 signatures are deterministic.
 * HSM codes: 10 (a blob the HSM refuses: of another device or DMK, altered, or not an RSA
 * private key blob, e.g. an SM2 or symmetric key), 12 (no key at the index), 27 (the index
 * holds no RSA pair, or the key is for key management only), 15 (SM3 with PSS).
 */
int CACipher_RSASign(cacipher_t *h, const char *privateKey, int hash, int padding,
                     const unsigned char *data, size_t dataLen, char *signature, size_t *signatureLen);

/*
 * CACipher_RSAVerify - EY: check a signature (hex, 128...512 bytes) over data with publicKey.
 * Returns CACIPHER_OK when valid, CACIPHER_HSM_VERIFICATION_FAILED (1) when not (also for a
 * signature of another length than the modulus). HSM codes: 15 (a DER the HSM refuses: not an
 * RSA public key, or under 1024 / over 4096 bits), 12, 27 (for an index).
 */
int CACipher_RSAVerify(cacipher_t *h, const char *publicKey, int hash, int padding,
                       const unsigned char *data, size_t dataLen, const char *signature);

/*
 * CACipher_RSAEncrypt - 3A: encrypt data (at most 512 bytes; within the padding's limit for the
 * modulus) with publicKey; out receives the modulus length. The library zeroes its copy of data.
 * HSM codes: 80 (data over the padding's limit for the modulus: k-11 bytes PKCS#1 v1.5, k-42
 * OAEP, exactly k without padding), 15 (a DER the HSM refuses), 12, 27.
 */
int CACipher_RSAEncrypt(cacipher_t *h, const char *publicKey, int padding, const unsigned char *data, size_t dataLen,
                        unsigned char *out, size_t *outLen);

/*
 * CACipher_RSADecrypt - 3B: decrypt a modulus-length ciphertext (128...512 bytes) with
 * privateKey; the library zeroes its copy of the plaintext. HSM codes: 80 (not the modulus
 * length), 15 (does not decrypt), 10 (a blob the HSM refuses, as for CACipher_RSASign), 12,
 * 27 (the index holds no RSA pair, or the key is for signing only).
 */
int CACipher_RSADecrypt(cacipher_t *h, const char *privateKey, int padding, const unsigned char *ciphertext,
                        size_t ciphertextLen, unsigned char *out, size_t *outLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: IC data and MAC (S0, S3, S4)
 * The IC-card style commands (docs/wire.md, "IC data and MAC commands"): the working key is
 * the key (key field or K index, under the LMK of keyType), derived once per 16-byte factor
 * of `derivation`, then turned into a session key by sessionMode/sessionData, all inside
 * the HSM; the HSM pads (CACIPHER_IC_PAD_*). Data is binary both ways. Nothing is stored.
 *
 *   derivation: NULL or "" (the key itself), or the factors as one hex text, 32 hex per
 *     level (so 0, 32, 64 ... hex), at most 8 levels (3 for CACipher_ICGenerateMAC).
 *   sessionMode: CACIPHER_IC_SESSION_* (0...5). sessionData: hex, 16 hex for mode 1, 32 for
 *     modes 2 and 5, NULL or "" for modes 0, 3 and 4. evsm implements modes 0...2; others
 *     are sent as given and a device that lacks them answers with its code.
 *   mode (S3/S4): CACIPHER_MODE_ECB (iv NULL), or CACIPHER_MODE_CBC, _CFB, _OFB (iv: one
 *     block, 16 hex for DES keys, 32 hex for SM4/AES keys). CACipher_ICTranslate: ECB, CBC.
 * Checked before the wire (CACIPHER_E_INVALID_ARG): the above, data 1...60000 bytes, whole
 * blocks with CACIPHER_IC_PAD_NONE in ECB/CBC (and always for S4 but CFB/OFB with
 * CACIPHER_IC_PAD_NONE, which take any length), at most 255 bytes with
 * CACIPHER_IC_PAD_PBOC_ENCRYPTION. HSM codes: 10 (the key does not decrypt as keyType),
 * 12 (nothing at the index), 15, 27 (key type not allowed for the command), 68.
 * ------------------------------------------------------------------------------------ */

/* IC padding (the 2-digit wire code). */
#define CACIPHER_IC_PAD_PBOC_ENCRYPTION 0  /* a length byte, the data, then 80 00.. if not whole blocks (<= 255 bytes) */
#define CACIPHER_IC_PAD_PBOC_MAC        1  /* ISO 9797-1 method 2: 80 then zeros, always added */
#define CACIPHER_IC_PAD_ZEROS           2  /* zeros to a whole block, none if aligned; not removed by S4 */
#define CACIPHER_IC_PAD_ANSI_X923       3  /* zeros, then the count of added bytes, always added */
#define CACIPHER_IC_PAD_PKCS5           4  /* n bytes of value n (PKCS#7 for 16-byte blocks), always added */
#define CACIPHER_IC_PAD_NONE            5  /* none: the data must be whole blocks (CFB/OFB: any length) */

/* IC session key modes. */
#define CACIPHER_IC_SESSION_NONE   0  /* no session key: the (derived) key is the working key */
#define CACIPHER_IC_SESSION_1      1  /* 8 bytes (16 hex) of session data */
#define CACIPHER_IC_SESSION_2      2  /* 16 bytes (32 hex) of session data */

/* The most S3 adds to the data (a length byte and a padding block). */
#define CACIPHER_IC_PAD_OVERHEAD  17

/*
 * CACipher_ICEncrypt - S3: data (binary) padded and encrypted under the working key.
 *
 * keyType: CACIPHER_KEY_* of key (ZEK/DEK, TEK, MK-SMC 0x209 ...; the HSM decides which it
 *   takes). key: key field or K index. derivation, sessionMode, sessionData, mode, iv: see
 *   above. padding: CACIPHER_IC_PAD_*.
 * out/outLen: the cryptogram, at most dataLen + CACIPHER_IC_PAD_OVERHEAD bytes (exactly
 *   dataLen with CACIPHER_IC_PAD_NONE).
 * The library zeroes its copy of the data.
 */
int CACipher_ICEncrypt(cacipher_t *h, int keyType, const char *key, const char *derivation,
                       int sessionMode, const char *sessionData, int padding, int mode, const char *iv,
                       const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen);

/*
 * CACipher_ICDecrypt - S4: the inverse of CACipher_ICEncrypt (same arguments; data is the
 * cryptogram, whole blocks). out receives at most dataLen bytes: the plaintext with its
 * padding removed (CACIPHER_IC_PAD_ZEROS padding stays). The library zeroes its copy of
 * the plaintext; zero `out` yourself when done. HSM codes as S3, and 15 when the padding
 * does not check.
 */
int CACipher_ICDecrypt(cacipher_t *h, int keyType, const char *key, const char *derivation,
                       int sessionMode, const char *sessionData, int padding, int mode, const char *iv,
                       const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen);

/*
 * CACipher_ICGenerateMAC - S0: the MAC of data (binary, 1...60000 bytes) under the working
 * key, after the HSM pads it with `padding`.
 *
 * keyType: CACIPHER_KEY_ZAK or _TAK (evsm also takes MK-AC 0x109 and MK-SMI 0x209).
 * algorithm: CACIPHER_MAC_ALG1 (CBC-MAC; DES, SM4, AES keys) or CACIPHER_MAC_ALG3 (retail
 *   MAC; double or triple DES keys only). macLength: bytes of MAC, 1...9 or 16, at most the
 *   key's block (8 DES, 16 SM4/AES). derivation: at most 3 levels.
 * iv: NULL (a zero block; a key at a K index needs an explicit iv) or the initial chaining
 *   value, 16 hex (DES) or 32 hex (SM4/AES).
 * mac/macLen: 2 * macLength hex (CACIPHER_MAC_BUFSIZE suffices).
 */
int CACipher_ICGenerateMAC(cacipher_t *h, int keyType, const char *key, int algorithm, int macLength,
                           const char *derivation, int sessionMode, const char *sessionData, int padding,
                           const char *iv, const unsigned char *data, size_t dataLen, char *mac, size_t *macLen);

/*
 * CACipher_ICTranslate - S5: a cryptogram under the source key side re-encrypted under the
 * destination side; the clear data never leaves the HSM.
 *
 * src*: the source side, as the arguments of CACipher_ICDecrypt (the padding it removes);
 * dst*: the destination side, as those of CACipher_ICEncrypt (the padding it adds). Each side
 * has its own key type, key, derivation, session key, padding, mode and IV.
 * data, dataLen: the cryptogram, whole blocks of the source key, 1...60000 bytes.
 * out/outLen: at most dataLen + CACIPHER_IC_PAD_OVERHEAD bytes.
 * HSM codes: 10 (source key), 11 (destination key does not decrypt as dstKeyType), 15, 27.
 */
int CACipher_ICTranslate(cacipher_t *h,
                         int srcKeyType, const char *srcKey, const char *srcDerivation, int srcSessionMode,
                         const char *srcSessionData, int srcPadding, int srcMode, const char *srcIV,
                         int dstKeyType, const char *dstKey, const char *dstDerivation, int dstSessionMode,
                         const char *dstSessionData, int dstPadding, int dstMode, const char *dstIV,
                         const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: IC keys (KD, KG, KR, AN, AM, SH, SI)
 * ------------------------------------------------------------------------------------ */

/* Derivation modes of CACipher_DeriveKey. */
#define CACIPHER_DERIVE_PBOC   0   /* PBOC 3.0 / EMV option A: 8-byte factors F, each level encrypts F || ~F */
#define CACIPHER_DERIVE_ECB16  1   /* 16-byte factors, each level encrypts the factor as is */

/* Buffer sizes of CACipher_StoredKeyInfo's text outputs (NUL included). */
#define CACIPHER_KEY_LABEL_BUFSIZE 100  /* up to 99 characters */
#define CACIPHER_KEY_TIME_BUFSIZE  100  /* evsm: YYYYMMDDhhmmss (UTC); a device may use its own form */

/*
 * CACipher_DeriveKey - KD: derive a key of keyType (under the LMK in lmkScheme) from a
 * source key, one level per factor.
 *
 * sourceType: CACIPHER_KEY_* of sourceKey (key field under the LMK of that type, or a K
 *   index). keyType, lmkScheme: the derived key's type and scheme.
 * mode: CACIPHER_DERIVE_PBOC (factors of 16 hex) or CACIPHER_DERIVE_ECB16 (32 hex).
 * factors: the factors as one hex text, 1...99 of them (not NULL).
 * storeIndex, label: 0, or 1...9999 with an optional label (NULL or up to 99 printable
 *   ASCII) to also keep the key at K<storeIndex> (then not re-sent, see above).
 * keyLMK/keyLMKLen (CACIPHER_KEY_BUFSIZE), kcv/kcvLen (CACIPHER_KCV_BUFSIZE): outputs.
 * HSM codes: 10 (the source does not decrypt as sourceType), 12, 26, 27.
 */
int CACipher_DeriveKey(cacipher_t *h, int sourceType, const char *sourceKey, int keyType, int lmkScheme,
                       int mode, const char *factors, int storeIndex, const char *label,
                       char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_StoredKeyInfo - KG: what the HSM holds at K<index> (1...9999); no key material.
 *
 * keyType: receives the key type (CACIPHER_KEY_* form); scheme: the scheme letter
 *   (CACIPHER_SCHEME_*); both required, written on success only.
 * kcv/kcvLen: 16 hex (required). label/labelLen (CACIPHER_KEY_LABEL_BUFSIZE) and
 *   time/timeLen (CACIPHER_KEY_TIME_BUFSIZE): text; pass NULL for both pointers of one
 *   to skip it. All outputs are all or nothing.
 * HSM codes: 12 (nothing stored at the index).
 */
int CACipher_StoredKeyInfo(cacipher_t *h, int index, int *keyType, int *scheme, char *kcv, size_t *kcvLen,
                           char *label, size_t *labelLen, char *time, size_t *timeLen);

/*
 * CACipher_GenerateAndStoreKey - KR: generate a key of keyType under the LMK in lmkScheme.
 * storeIndex: 0 (not stored), or 1...9999 with an optional label to keep it at
 * K<storeIndex>; 9999 is sent as is and means "not stored" to TASS devices and evsm.
 * Storing calls are not re-sent (see above). keyLMK/keyLMKLen, kcv/kcvLen: outputs.
 * HSM codes: 26 (scheme), 27.
 */
int CACipher_GenerateAndStoreKey(cacipher_t *h, int keyType, int lmkScheme, int storeIndex, const char *label,
                                 char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_ConvertKeyType - AN: a key under the LMK of sourceType (or at a K index)
 * re-encrypted under the LMK of keyType in lmkScheme. The HSM decides which pairs it
 * converts (evsm: the same type, TAK <-> ZAK, ZEK <-> TEK; never to or from ZMK/TPK).
 * HSM codes: 10 (key does not decrypt as sourceType), 12, 26, 27 (pair not converted).
 */
int CACipher_ConvertKeyType(cacipher_t *h, int sourceType, const char *key, int keyType, int lmkScheme,
                            char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_FormKeyFromClearComponents - AM: form a key of keyType (under the LMK in
 * lmkScheme) as the XOR of count (1...99) CLEAR components, each hex text of the scheme's
 * key length (16 hex single DES, 32 double, 48 triple, 32 SM4/AES). To load one clear key,
 * pass it as the only component (or with an all-zero second one, as HSM_IC_PutPlainKey does).
 * storeIndex, label: as CACipher_GenerateAndStoreKey. The library zeroes its copies of the
 * components and of the request; zero yours. Messages never contain them.
 * HSM codes: 26 (scheme, e.g. SM1 on a software HSM), 27.
 */
int CACipher_FormKeyFromClearComponents(cacipher_t *h, int keyType, int lmkScheme, const char *const *components, int count,
                                        int storeIndex, const char *label,
                                        char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/* The protection key of CACipher_ExportKeyUnderProtection / _ImportKeyUnderProtection:
 *   protMode: 0 ECB, 1 CBC (SH: a zero IV; SI: the IV of the P extension).
 *   protKeyType, protKey: the protection key (key field under the LMK of that type, or a K index).
 *   protDerivation: NULL / "" or factors of 32 hex each (one level per factor).
 *   protSessionMode, protSessionData: session key mode 0...5 and its data as for the IC
 *   data commands (hex; 16 hex for mode 1, 32 for modes 2 and 5). */

/* A cryptogram of CACipher_ExportKeyUnderProtection: header (up to 32 bytes), key (up to 24)
 * and a padding block (up to 16), as hex text with its NUL. */
#define CACIPHER_PROTECTED_KEY_BUFSIZE 145

/*
 * CACipher_ExportKeyUnderProtection - SH: export key (under the LMK of keyType, or a K
 * index), derived by `derivation` (NULL/"" or 32 hex per level), under the protection key,
 * with `header` (NULL/"" or up to 64 hex: 0...32 bytes) in front of the key.
 * cryptogram/cryptogramLen: hex text (CACIPHER_PROTECTED_KEY_BUFSIZE). kcv/kcvLen: the
 * exported key's check value (16 hex, or 8 / 6 as the HSM sent it). HSM codes: 10 (protection key), 11 (key does not
 * decrypt as keyType), 12, 15, 27.
 */
int CACipher_ExportKeyUnderProtection(cacipher_t *h, int protMode, int protKeyType, const char *protKey,
                                      const char *protDerivation, int protSessionMode, const char *protSessionData,
                                      int keyType, const char *key, const char *derivation, const char *header,
                                      char *cryptogram, size_t *cryptogramLen, char *kcv, size_t *kcvLen);

/*
 * CACipher_ImportKeyUnderProtection - SI: import a key of keyType in lmkScheme from a
 * cryptogram (hex text, 1...65535 bytes: header || key [|| padding] under the protection key).
 * header: NULL/"" or the header hex the cryptogram starts with (0...32 bytes).
 * expectedKcv: NULL (no P extension; then padding must be 0 and iv NULL), or 16 hex: the
 *   check value the HSM must find (HSM code 01 when it does not), sent with padding (0 none,
 *   1 ISO 9797-1 method 2 after the key; 0...99 are passed on) and, with protMode 1 only,
 *   iv (16 or 32 hex; required then).
 * storeIndex, label: as CACipher_GenerateAndStoreKey. keyLMK/keyLMKLen, kcv/kcvLen: outputs.
 * HSM codes: 1 (check value mismatch), 10, 12, 15, 26, 27.
 */
int CACipher_ImportKeyUnderProtection(cacipher_t *h, int protMode, int protKeyType, const char *protKey,
                                      const char *protDerivation, int protSessionMode, const char *protSessionData,
                                      int keyType, int lmkScheme, const char *cryptogram, const char *header,
                                      int padding, const char *iv, const char *expectedKcv, int storeIndex, const char *label,
                                      char *keyLMK, size_t *keyLMKLen, char *kcv, size_t *kcvLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: EMV / PBOC cards (K6, K2, K4, KX)
 * The card keys derive inside the HSM from the issuer master key `mdk` (key field of type
 * MK-AC 0x109 under the LMK, double-length 3DES or SM4, or a K index) through `pan` (the
 * rightmost 16 digits of PAN and PAN sequence number, text) and `atc` (the application
 * transaction counter: 4 hex). ARQC and ARPC are 16 hex, ARC 4 hex (e.g. "3030" for "00"),
 * MACs and diagnostic values 16 hex; transaction data, script data and cryptograms are bytes.
 * Checked before the wire: the above, transaction data 1...255 bytes, script data 1...4095,
 * PINs 4...12 digits, accounts 12 digits. HSM codes: 10 (mdk does not decrypt as MK-AC),
 * 12, 15, 27.
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_VerifyARQC - K6 mode 0: verify arqc over data.
 * Returns CACIPHER_OK when it verifies, CACIPHER_HSM_VERIFICATION_FAILED (1) when not; then
 * `diagnostic` (NULL, or a buffer of at least 17 bytes: *diagnosticLen its size, checked
 * before the wire) receives the HSM's 16-hex diagnostic value (evsm: the check value of the
 * session key it derived) and *diagnosticLen is set to 17.
 */
int CACipher_VerifyARQC(cacipher_t *h, const char *mdk, const char *pan, const char *atc,
                        const unsigned char *data, size_t dataLen, const char *arqc,
                        char *diagnostic, size_t *diagnosticLen);

/*
 * CACipher_VerifyARQCAndGenerateARPC - K6 mode 1: verify arqc and, when it verifies, return
 * the ARPC (method 1) for the authorisation response code arc in arpc/arpcLen (17 bytes).
 * A mismatch returns 1 with the diagnostic as CACipher_VerifyARQC (arpc untouched).
 */
int CACipher_VerifyARQCAndGenerateARPC(cacipher_t *h, const char *mdk, const char *pan, const char *atc,
                                       const unsigned char *data, size_t dataLen, const char *arqc, const char *arc,
                                       char *arpc, size_t *arpcLen, char *diagnostic, size_t *diagnosticLen);

/*
 * CACipher_GenerateARPC - K6 mode 2: the ARPC (16 hex, method 1) of arqc and arc, without
 * verifying the ARQC.
 */
int CACipher_GenerateARPC(cacipher_t *h, const char *mdk, const char *pan, const char *atc, const char *arqc, const char *arc,
                          char *arpc, size_t *arpcLen);

/*
 * CACipher_EncryptIssuerScript - K2: the issuer script data (1...4095 bytes) encrypted under
 * the session encryption key (the HSM pads with 80 00.. when not whole blocks).
 * out/outLen: at most dataLen + 16 bytes. The library zeroes its copy of the data.
 */
int CACipher_EncryptIssuerScript(cacipher_t *h, const char *mdk, const char *pan, const char *atc,
                                 const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen);

/*
 * CACipher_IssuerScriptMAC - K4: the 8-byte MAC (16 hex, CACIPHER_MAC_BUFSIZE suffices) of
 * the issuer script data (1...4095 bytes) under the session MAC key.
 */
int CACipher_IssuerScriptMAC(cacipher_t *h, const char *mdk, const char *pan, const char *atc,
                             const unsigned char *data, size_t dataLen, char *mac, size_t *macLen);

/* A buffer size for KX's enciphered PIN data (bytes): evsm returns 16 for a DES MDK. */
#define CACIPHER_OFFLINE_PIN_MAX_SIZE 64

/*
 * CACipher_OfflinePIN - KX with clear PINs (PIN input mode 1): the enciphered PIN data for
 * an offline PIN change, format 41 (newPIN only) or 42 (with oldPIN).
 * newPIN: 4...12 digits. oldPIN: NULL or 4...12 digits. account: NULL ("000000000000") or
 * 12 digits. out/outLen: bytes (CACIPHER_OFFLINE_PIN_MAX_SIZE suffices). The library zeroes
 * its byte copies of the PINs and of the result; messages never contain them.
 */
int CACipher_OfflinePIN(cacipher_t *h, const char *mdk, const char *pan, const char *atc,
                        const char *newPIN, const char *oldPIN, const char *account,
                        unsigned char *out, size_t *outLen);

/*
 * CACipher_OfflinePINFromBlock - KX with PIN blocks (input modes 2/3): as CACipher_OfflinePIN,
 * the HSM opens the blocks itself.
 * pinKeyKind: CACIPHER_PIN_KEY_ZPK or CACIPHER_PIN_KEY_TPK; pinKey: that key.
 * sourceFormat: CACIPHER_PIN_FORMAT_*. newPINBlock: 16 hex (32 under SM4/AES keys);
 * oldPINBlock: NULL or a block of the same size. account: 12 digits (the blocks' account).
 * HSM codes also 20 (a PIN block does not decode), 11 (pinKey).
 */
int CACipher_OfflinePINFromBlock(cacipher_t *h, const char *mdk, const char *pan, const char *atc,
                                 int pinKeyKind, const char *pinKey, int sourceFormat,
                                 const char *newPINBlock, const char *oldPINBlock, const char *account,
                                 unsigned char *out, size_t *outLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: EMV 4.x ARPC method 2 (KW modes 3 and 4)
 * The card key derives inside the HSM from `mdk` (MK-AC 0x109 under the LMK, double-length
 * 3DES or SM4, or a K index) by EMV option A (SM4: the PBOC form, one block) through `pan`
 * (rightmost 16 digits of PAN and PAN sequence number); the AC session key by the EMV common
 * session key derivation (EMV 4.x Book 2 A1.3.1; SM4: one block, R || 00 x 8) with the
 * diversification value R chosen by skScheme:
 *   CACIPHER_EMV_SK_ATC    (0): skData = ATC, 4 hex; R = ATC || 000000000000
 *   CACIPHER_EMV_SK_ATC_UN (1): skData = ATC || UN, 12 hex; R = ATC || 0000 || UN
 *   CACIPHER_EMV_SK_R      (2): skData = R, 16 hex
 * ARPC method 2 (Book 2 8.2.2): the leftmost 4 bytes of the ISO 9797-1 algorithm 3 MAC
 * (SM4: algorithm 1; padding method 2) of ARQC || CSU || PAD. arqc: 16 hex; csu: 8 hex (card status update);
 * pad: NULL or "" (none) or 2...16 hex (proprietary authentication data, at most 8 bytes).
 * arpc/arpcLen: the caller's buffer, at least 9 bytes (8 hex and the NUL, written with
 * *arpcLen set to 9). The library keeps no pointer after the call.
 * Checked before the wire (CACIPHER_E_INVALID_ARG, nothing sent): the above, data 1...255
 * bytes. HSM codes: 10 (mdk does not decrypt as MK-AC), 12, 27 (a K index of another type),
 * 26 (an mdk neither double-length 3DES nor SM4), 15.
 * ------------------------------------------------------------------------------------ */
#define CACIPHER_EMV_SK_ATC 0
#define CACIPHER_EMV_SK_ATC_UN 1
#define CACIPHER_EMV_SK_R 2

/*
 * CACipher_VerifyARQCAndGenerateARPCMethod2 - KW mode 3: verify arqc over data and, when it
 * verifies, return the 4-byte ARPC (method 2) in arpc/arpcLen.
 * A mismatch returns CACIPHER_HSM_VERIFICATION_FAILED (1), arpc untouched; `diagnostic`
 * (NULL, or at least 17 bytes: *diagnosticLen its size, checked before the wire) then
 * receives the HSM's 16-hex diagnostic (evsm: the check value of the session key).
 */
int CACipher_VerifyARQCAndGenerateARPCMethod2(cacipher_t *h, const char *mdk, const char *pan, int skScheme,
                                              const char *skData, const unsigned char *data, size_t dataLen,
                                              const char *arqc, const char *csu, const char *pad,
                                              char *arpc, size_t *arpcLen, char *diagnostic, size_t *diagnosticLen);

/*
 * CACipher_GenerateARPCMethod2 - KW mode 4: the ARPC (8 hex, method 2) of arqc, csu and pad,
 * without verifying the ARQC.
 */
int CACipher_GenerateARPCMethod2(cacipher_t *h, const char *mdk, const char *pan, int skScheme, const char *skData,
                                 const char *arqc, const char *csu, const char *pad, char *arpc, size_t *arpcLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: card and PIN verification (CW, CY, DG, DE, EA, JA)
 * Text in, text out. pan: the full PAN (CW/CY); account: the 12-digit account field;
 * pinLMK: a PIN under the LMK (16 hex, as CACipher_EncryptPIN returns). Checked before the
 * wire (CACIPHER_E_INVALID_ARG): keys, digits and lengths as each call states. None stores.
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_GenerateCVV - CW: the 3-digit Visa CVV (cvv/cvvLen: 4 bytes with the NUL).
 * cvk: a double-length CVK (type 0x402) key field or K index; cvkB: NULL, or CVK B when cvk
 *   is CVK A of a pair of single-length keys (16 hex each).
 * pan: 8...19 digits. expiry: 4 digits (YYMM). serviceCode: 3 digits ("000" for CVV2, "999"
 *   for iCVV by the card scheme's rules). HSM codes: 10 (cvk does not decrypt as a CVK), 27.
 */
int CACipher_GenerateCVV(cacipher_t *h, const char *cvk, const char *cvkB, const char *pan, const char *expiry,
                         const char *serviceCode, char *cvv, size_t *cvvLen);

/*
 * CACipher_VerifyCVV - CY: CACIPHER_OK when cvv (3 digits) is the card's CVV,
 * CACIPHER_HSM_VERIFICATION_FAILED (1) when not. Other arguments and codes as CW.
 */
int CACipher_VerifyCVV(cacipher_t *h, const char *cvk, const char *cvkB, const char *cvv, const char *pan,
                       const char *expiry, const char *serviceCode);

/*
 * CACipher_GeneratePVV - DG: the 4-digit Visa PVV (pvv/pvvLen: 5 bytes) of a PIN under the
 * LMK. pvk: the PVK (type 0x002) key field. pvki: 0...15 (10...15 are sent as A...F).
 * HSM codes: 10 (pvk), 20 (the PIN does not decrypt for this account).
 */
int CACipher_GeneratePVV(cacipher_t *h, const char *pvk, const char *pinLMK, const char *account, int pvki,
                         char *pvv, size_t *pvvLen);

/*
 * CACipher_GenerateIBMPINOffset - DE: the IBM 3624 offset of a PIN under the LMK, one digit
 * per PIN digit (offset/offsetLen: up to 13 bytes; CACIPHER_PIN_BUFSIZE suffices).
 * checkLength: 4...12 (the PIN must be at least that long, else HSM 24).
 * decimalisationTable: 16 digits. validationData: 12 characters, hex digits and one 'N'
 * (the HSM puts the last 5 digits of the account there). HSM codes: 10, 20, 24.
 */
int CACipher_GenerateIBMPINOffset(cacipher_t *h, const char *pvk, const char *pinLMK, int checkLength, const char *account,
                                  const char *decimalisationTable, const char *validationData, char *offset, size_t *offsetLen);

/*
 * CACipher_VerifyPINByIBMOffset - EA: CACIPHER_OK when the PIN in pinBlock (under zpk,
 * format CACIPHER_PIN_FORMAT_*) verifies against offset (checkLength...12 digits; the
 * leftmost checkLength PIN digits are checked), CACIPHER_HSM_VERIFICATION_FAILED (1) when
 * not. maxPINLength: 4...12. Other arguments as DE. HSM codes: 10 (zpk or pvk), 20, 24.
 */
int CACipher_VerifyPINByIBMOffset(cacipher_t *h, const char *zpk, const char *pvk, const char *pinBlock, int format,
                                  int checkLength, const char *account, const char *decimalisationTable,
                                  const char *validationData, const char *offset, int maxPINLength);

/*
 * CACipher_GenerateRandomPIN - JA: a random PIN of length (4...12) digits for account,
 * under the LMK (pinLMK/pinLMKLen: 16 hex, CACIPHER_PIN_LMK_BUFSIZE).
 */
int CACipher_GenerateRandomPIN(cacipher_t *h, const char *account, int length, char *pinLMK, size_t *pinLMKLen);

/* ------------------------------------------------------------------------------------
 * Typed commands: Racal data and MAC (E0, UQ, MS), as TASS devices take them
 * part: CACIPHER_MAC_ONLY / _FIRST / _MIDDLE / _LAST for messages in several calls; FIRST
 * and MIDDLE parts are whole blocks and return the chaining value to pass on as iv.
 * Data is binary; IVs and MACs are hex text (16 hex DES, 32 hex SM4/AES). None stores.
 * ------------------------------------------------------------------------------------ */

/*
 * CACipher_RacalEncryptData - E0 direction 0: encrypt data under a ZEK/DEK (key type 00A).
 * mode: CACIPHER_MODE_ECB (iv NULL) or _CBC (iv one block). padded: 1 = the only or last
 *   part gets 80 then zeros (ISO 9797-1 method 2; the vendor library's "180000"), any
 *   length; 0 = none, whole blocks. data: 0...4095 bytes (with the padding added).
 * out/outLen: at most dataLen + 16 bytes. ivOut/ivOutLen: CBC FIRST/MIDDLE parts only, the
 *   IV of the next part (hex; both may be NULL to ignore it).
 * HSM codes: 10 (key does not decrypt as a ZEK), 12, 15, 27, 80.
 */
int CACipher_RacalEncryptData(cacipher_t *h, int part, int mode, const char *key, const char *iv, int padded,
                              const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen,
                              char *ivOut, size_t *ivOutLen);

/*
 * CACipher_RacalDecryptData - E0 direction 1: the inverse (data whole blocks; with padded the
 * method-2 padding of the only or last part is removed, HSM 15 when it is not there).
 * out receives at most dataLen bytes. The library zeroes its copy of the plaintext.
 */
int CACipher_RacalDecryptData(cacipher_t *h, int part, int mode, const char *key, const char *iv, int padded,
                              const unsigned char *data, size_t dataLen, unsigned char *out, size_t *outLen,
                              char *ivOut, size_t *ivOutLen);

/*
 * CACipher_ZPKMAC - UQ: the China UnionPay POS MAC of data (0...4095 bytes) under a ZPK
 * (key type 001). macBytes: 4 (the UnionPay MAC) up to the block size. iv: NULL for
 * ONLY/FIRST, the previous chaining value for MIDDLE/LAST. mac/macLen: 2 * macBytes hex, or
 * for FIRST/MIDDLE the chaining value (one block). HSM codes: 10, 12, 27.
 */
int CACipher_ZPKMAC(cacipher_t *h, int part, const char *key, const char *iv, int macBytes,
                    const unsigned char *data, size_t dataLen, char *mac, size_t *macLen);

/*
 * CACipher_ZAKTAKMAC - MS: the ANSI X9.9 (single DES) / X9.19 (double or triple DES) MAC
 * (ISO 9797-1 algorithm 1 for SM4/AES keys), zero padding, of data (up to 4096 bytes).
 * keyType: CACIPHER_KEY_TAK or CACIPHER_KEY_ZAK (others: CACIPHER_E_INVALID_ARG).
 * iv: NULL (zeros) for ONLY/FIRST, the chaining value for MIDDLE/LAST; required for a key at
 *   a K index, as is keyLengthFlag (0 single DES, 1 double DES / SM4 / AES, 2 triple DES;
 *   -1 = from the key field's scheme).
 * mac/macLen: one block (16 or 32 hex), or the chaining value for FIRST/MIDDLE.
 * HSM codes: 10, 12, 27.
 */
int CACipher_ZAKTAKMAC(cacipher_t *h, int part, int keyType, const char *key, const char *iv, int keyLengthFlag,
                       const unsigned char *data, size_t dataLen, char *mac, size_t *macLen);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_H */
