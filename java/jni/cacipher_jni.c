/*
 * cacipher_jni.c - the JNI glue between org.cacipher.CACipher and libcacipher's C API.
 *
 * Built into libcacipher_jni.so (links -lcacipher, and -lcrypto for CACipher.localHash); the declarations come from the header
 * `javac -h` generates for org.cacipher.CACipher, so a signature mismatch does not compile.
 *
 * Rules every function here follows:
 *   - Inputs are copied out of the JVM first: strings with GetStringUTFChars (released on
 *     every path), byte[]/char[] with Get<Type>ArrayRegion into our own malloc'ed buffers,
 *     which are zeroed before free (they may hold clear PINs, plaintexts, raw commands).
 *     Nothing is pinned, so no Release<Type>ArrayElements is needed.
 *   - Outputs go into buffers sized by the header's CACIPHER_*_BUFSIZE constants or by the
 *     exact size the C call documents (data length, + 97 for SM2, ...); clear outputs are
 *     zeroed after they are copied into the Java array.
 *   - A null required argument throws NullPointerException naming it (the Java layer checks
 *     first; this is the second line). A failed C call throws
 *     org.cacipher.CACipherException(code, CACipher_LastError(), CACipher_LastErrorKind()),
 *     both read on the same thread right after the failure (the kind says which
 *     configuration rule failed, CACIPHER_CONFIG_*; 0 for other failures). Every JNI call that can fail is checked; on a pending
 *     exception the function cleans up and returns at once.
 *   - The handle is never 0 here (the Java layer refuses closed instances); 0 would mean
 *     the C global instance, so it is refused as E_NOT_INITIALIZED.
 */
#include <jni.h>
#include <cacipher.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "org_cacipher_CACipher.h"

static jclass g_exception;        /* org.cacipher.CACipherException */
static jmethodID g_exception_init; /* (I[BI)V: code, message, configuration kind */
static jclass g_string;           /* java.lang.String */
static jmethodID g_string_init;   /* ([BLjava/lang/String;)V */

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    jclass c = (*env)->FindClass(env, "org/cacipher/CACipherException");
    if (!c) return JNI_ERR;
    g_exception = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    if (!g_exception) return JNI_ERR;
    g_exception_init = (*env)->GetMethodID(env, g_exception, "<init>", "(I[BI)V");
    if (!g_exception_init) return JNI_ERR;
    c = (*env)->FindClass(env, "java/lang/String");
    if (!c) return JNI_ERR;
    g_string = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    if (!g_string) return JNI_ERR;
    g_string_init = (*env)->GetMethodID(env, g_string, "<init>", "([BLjava/lang/String;)V");
    if (!g_string_init) return JNI_ERR;
    return JNI_VERSION_1_8;
}

/* ------------------------------------------------------------------ helpers */

static void wipe(void *p, size_t n) {
    volatile unsigned char *v = p;
    while (n--) *v++ = 0;
}

static void throw_class(JNIEnv *env, const char *cls, const char *msg) {
    if ((*env)->ExceptionCheck(env)) return;
    jclass c = (*env)->FindClass(env, cls);
    if (c) {
        (*env)->ThrowNew(env, c, msg);
        (*env)->DeleteLocalRef(env, c);
    }
}

static void throw_npe(JNIEnv *env, const char *name) { throw_class(env, "java/lang/NullPointerException", name); }
static void throw_oom(JNIEnv *env) { throw_class(env, "java/lang/OutOfMemoryError", "libcacipher_jni: out of memory"); }

/* CACipherException(code, message bytes, configuration kind). */
static void throw_code_msg_kind(JNIEnv *env, int code, const char *msg, int kind) {
    if ((*env)->ExceptionCheck(env)) return;
    size_t n = strlen(msg);
    jbyteArray m = (*env)->NewByteArray(env, (jsize)n);
    if (!m) return;
    (*env)->SetByteArrayRegion(env, m, 0, (jsize)n, (const jbyte *)msg);
    jobject e = (*env)->NewObject(env, g_exception, g_exception_init, (jint)code, m, (jint)kind);
    (*env)->DeleteLocalRef(env, m);
    if (!e) return;
    (*env)->Throw(env, (jthrowable)e);
    (*env)->DeleteLocalRef(env, e);
}

/* An error of the glue itself: no configuration kind. */
static void throw_code_msg(JNIEnv *env, int code, const char *msg) { throw_code_msg_kind(env, code, msg, CACIPHER_CONFIG_NONE); }

/* The failed C call's code with CACipher_LastError() and CACipher_LastErrorKind() (this
 * thread's last failure). */
static void throw_rc(JNIEnv *env, int rc) {
    const char *msg = CACipher_LastError();
    int kind = CACipher_LastErrorKind();
    throw_code_msg_kind(env, rc, (msg && *msg) ? msg : CACipher_ErrorString(rc), kind);
}

static cacipher_t *handle(JNIEnv *env, jlong h) {
    if (h == 0) throw_code_msg(env, CACIPHER_E_NOT_INITIALIZED, "CACipher: the instance is closed");
    return (cacipher_t *)(intptr_t)h;
}

/* A Java string from library text (UTF-8; ASCII takes the short path). NULL on failure. */
static jstring new_str(JNIEnv *env, const char *s) {
    size_t n = strlen(s);
    int ascii = 1;
    for (size_t i = 0; i < n; i++) if ((unsigned char)s[i] >= 0x80) { ascii = 0; break; }
    if (ascii) return (*env)->NewStringUTF(env, s);
    jbyteArray b = (*env)->NewByteArray(env, (jsize)n);
    if (!b) return NULL;
    (*env)->SetByteArrayRegion(env, b, 0, (jsize)n, (const jbyte *)s);
    jstring cs = (*env)->NewStringUTF(env, "UTF-8");
    jstring r = NULL;
    if (cs) r = (jstring)(*env)->NewObject(env, g_string, g_string_init, b, cs);
    (*env)->DeleteLocalRef(env, b);
    if (cs) (*env)->DeleteLocalRef(env, cs);
    return r;
}

static jbyteArray new_bytes(JNIEnv *env, const unsigned char *p, size_t n) {
    jbyteArray a = (*env)->NewByteArray(env, (jsize)n);
    if (a && n) (*env)->SetByteArrayRegion(env, a, 0, (jsize)n, (const jbyte *)p);
    return a;
}

/* String[] of n entries; NULL entries stay null. */
static jobjectArray new_str_array(JNIEnv *env, int n, const char *const *v) {
    jobjectArray a = (*env)->NewObjectArray(env, n, g_string, NULL);
    if (!a) return NULL;
    for (int i = 0; i < n; i++) {
        if (!v[i]) continue;
        jstring s = new_str(env, v[i]);
        if (!s) return NULL;
        (*env)->SetObjectArrayElement(env, a, i, s);
        (*env)->DeleteLocalRef(env, s);
        if ((*env)->ExceptionCheck(env)) return NULL;
    }
    return a;
}

/* Stores s into arr[i] (arr a String[] the Java layer made). 0, or -1 with an exception. */
static int set_str(JNIEnv *env, jobjectArray arr, int i, const char *s) {
    jstring j = s ? new_str(env, s) : NULL;
    if (s && !j) return -1;
    (*env)->SetObjectArrayElement(env, arr, i, j);
    if (j) (*env)->DeleteLocalRef(env, j);
    return (*env)->ExceptionCheck(env) ? -1 : 0;
}

/* Out-parameter arrays from the Java layer must exist and be long enough. */
static int out_array(JNIEnv *env, jarray a, jsize min, const char *name) {
    if (!a) { throw_npe(env, name); return -1; }
    if ((*env)->GetArrayLength(env, a) < min) {
        throw_class(env, "java/lang/IllegalArgumentException", name);
        return -1;
    }
    return 0;
}

/* Input strings: acquired into a Strs, all released by strs_release. */
#define MAX_STRS 16
typedef struct {
    JNIEnv *env;
    int n;
    jstring j[MAX_STRS];
    const char *c[MAX_STRS];
} Strs;

/* *out = the string's modified UTF-8 (NULL for a null optional one). 0, or -1 with an
 * exception pending (null required argument, out of memory). */
static int str_get(Strs *s, jstring j, const char *name, int required, const char **out) {
    *out = NULL;
    if (!j) {
        if (required) { throw_npe(s->env, name); return -1; }
        return 0;
    }
    if (s->n >= MAX_STRS) { throw_oom(s->env); return -1; }
    const char *c = (*s->env)->GetStringUTFChars(s->env, j, NULL);
    if (!c) return -1;   /* OutOfMemoryError pending */
    s->j[s->n] = j;
    s->c[s->n] = c;
    s->n++;
    *out = c;
    return 0;
}

static void strs_release(Strs *s) {
    for (int i = 0; i < s->n; i++) (*s->env)->ReleaseStringUTFChars(s->env, s->j[i], s->c[i]);
    s->n = 0;
}

/* A byte[] copied into our own buffer (never NULL for a present array, even if empty). */
typedef struct {
    unsigned char *p;
    size_t n;
} Buf;

static int bytes_get(JNIEnv *env, jbyteArray a, const char *name, int required, Buf *b) {
    b->p = NULL;
    b->n = 0;
    if (!a) {
        if (required) { throw_npe(env, name); return -1; }
        return 0;
    }
    jsize n = (*env)->GetArrayLength(env, a);
    b->p = malloc(n > 0 ? (size_t)n : 1);
    if (!b->p) { throw_oom(env); return -1; }
    b->n = (size_t)n;
    if (n) (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *)b->p);
    if ((*env)->ExceptionCheck(env)) return -1;
    return 0;
}

static void buf_free(Buf *b) {
    if (b->p) {
        wipe(b->p, b->n);
        free(b->p);
    }
    b->p = NULL;
    b->n = 0;
}

/* An output buffer of n bytes (at least 1), zeroed and freed by buf_free. */
static int buf_alloc(JNIEnv *env, Buf *b, size_t n) {
    b->p = calloc(n ? n : 1, 1);
    b->n = n;
    if (!b->p) { throw_oom(env); return -1; }
    return 0;
}

#define STRS(name) Strs name = { env, 0, {0}, {0} }

/* ------------------------------------------------------------------ instances, info */

JNIEXPORT jlong JNICALL Java_org_cacipher_CACipher_nOpen(JNIEnv *env, jclass cls, jbyteArray config, jint options) {
    (void)cls;
    Buf b;
    if (bytes_get(env, config, "fileOrConfig", 1, &b) != 0) { buf_free(&b); return 0; }
    char *text = malloc(b.n + 1);
    if (!text) { buf_free(&b); throw_oom(env); return 0; }
    memcpy(text, b.p, b.n);
    text[b.n] = 0;
    cacipher_t *h = NULL;
    int rc = CACipher_OpenWithOptions(text, (unsigned int)options, &h);
    wipe(text, b.n);
    free(text);
    buf_free(&b);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return 0; }
    return (jlong)(intptr_t)h;
}

JNIEXPORT void JNICALL Java_org_cacipher_CACipher_nClose(JNIEnv *env, jclass cls, jlong h) {
    (void)env; (void)cls;
    if (h != 0) CACipher_Close((cacipher_t *)(intptr_t)h);
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nVersion(JNIEnv *env, jclass cls) {
    (void)cls;
    return new_str(env, CACipher_Version());
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nErrorString(JNIEnv *env, jclass cls, jint code) {
    (void)cls;
    return new_str(env, CACipher_ErrorString(code));
}

JNIEXPORT jint JNICALL Java_org_cacipher_CACipher_nHostCount(JNIEnv *env, jclass cls, jlong h) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return 0;
    int n = CACipher_HostCount(c);
    if (n < 0) { throw_rc(env, n); return 0; }
    return n;
}

JNIEXPORT void JNICALL Java_org_cacipher_CACipher_nHostInfo(JNIEnv *env, jclass cls, jlong h, jint index, jobjectArray strs,
                                                           jintArray ints) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, strs, 4, "strings") || out_array(env, ints, 7, "ints")) return;
    cacipher_host_info info;
    memset(&info, 0, sizeof info);
    int rc = CACipher_HostInfo(c, index, &info);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return; }
    info.section[sizeof info.section - 1] = 0;
    info.host[sizeof info.host - 1] = 0;
    info.hsmModel[sizeof info.hsmModel - 1] = 0;
    info.socketProtocol[sizeof info.socketProtocol - 1] = 0;
    if (set_str(env, strs, 0, info.section) || set_str(env, strs, 1, info.host) || set_str(env, strs, 2, info.hsmModel) ||
        set_str(env, strs, 3, info.socketProtocol)) return;
    jint v[7] = { info.port, info.linkNum, info.connTimeoutMs, info.readTimeoutMs, info.headerLength, info.encodeType, info.tlsVerify };
    (*env)->SetIntArrayRegion(env, ints, 0, 7, v);
}

JNIEXPORT void JNICALL Java_org_cacipher_CACipher_nHostStatus(JNIEnv *env, jclass cls, jlong h, jint index, jlongArray numbers,
                                                             jdoubleArray latency, jobjectArray strs) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, numbers, 5, "numbers") || out_array(env, latency, 1, "latency") || out_array(env, strs, 2, "strings")) return;
    cacipher_host_status st;
    memset(&st, 0, sizeof st);
    int rc = CACipher_HostStatus(c, index, &st);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return; }
    st.dmkCheckValue[sizeof st.dmkCheckValue - 1] = 0;
    st.lastError[sizeof st.lastError - 1] = 0;
    if (set_str(env, strs, 0, st.dmkCheckValue) || set_str(env, strs, 1, st.lastError)) return;
    jlong v[5] = { st.state, st.inFlight, st.completed, st.failures, st.ejections };
    (*env)->SetLongArrayRegion(env, numbers, 0, 5, v);
    jdouble l = st.latencyMicros;
    (*env)->SetDoubleArrayRegion(env, latency, 0, 1, &l);
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nLogPath(JNIEnv *env, jclass cls, jlong h) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    size_t n = 0;
    int rc = CACipher_LogPath(c, NULL, &n);   /* size query */
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return NULL; }
    char *p = malloc(n ? n : 1);
    if (!p) { throw_oom(env); return NULL; }
    rc = CACipher_LogPath(c, p, &n);
    jstring r = NULL;
    if (rc != CACIPHER_OK) throw_rc(env, rc);
    else r = new_str(env, p);
    free(p);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nTransmit(JNIEnv *env, jclass cls, jlong h, jbyteArray command) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    Buf cmd = {0}, rsp = {0};
    jbyteArray r = NULL;
    if (bytes_get(env, command, "command", 1, &cmd) || buf_alloc(env, &rsp, 65535)) goto done;
    size_t n = rsp.n;
    int rc = CACipher_Transmit(c, cmd.p, cmd.n, rsp.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, rsp.p, n);
done:
    buf_free(&cmd);   /* a raw command or reply may carry a clear PIN: both are zeroed */
    buf_free(&rsp);
    return r;
}

/* ------------------------------------------------------------------ keys */

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nGenerateKey(JNIEnv *env, jclass cls, jlong h, jint type, jint scheme,
                                                                      jstring jzmk, jint zmkScheme, jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *zmk, *label;
    jobjectArray r = NULL;
    if (str_get(&s, jzmk, "zmk", 0, &zmk) || str_get(&s, jlabel, "label", 0, &label)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kz[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, zn = sizeof kz, cn = sizeof kcv;
    int rc = CACipher_GenerateKey(c, type, scheme, zmk, zmkScheme, storeIndex, label, key, &kn,
                                  zmk ? kz : NULL, zmk ? &zn : NULL, kcv, &cn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[3] = { key, zmk ? kz : NULL, kcv };
    r = new_str_array(env, 3, v);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nImportKey(JNIEnv *env, jclass cls, jlong h, jint type, jstring jzmk,
                                                                    jstring jkey, jint scheme, jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *zmk, *kz, *label;
    jobjectArray r = NULL;
    if (str_get(&s, jzmk, "zmk", 1, &zmk) || str_get(&s, jkey, "keyUnderZmk", 1, &kz) || str_get(&s, jlabel, "label", 0, &label)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    int rc = CACipher_ImportKey(c, type, zmk, kz, scheme, storeIndex, label, key, &kn, kcv, &cn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[2] = { key, kcv };
    r = new_str_array(env, 2, v);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nExportKey(JNIEnv *env, jclass cls, jlong h, jint type, jstring jzmk,
                                                                    jstring jkey, jint zmkScheme) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *zmk, *key;
    jobjectArray r = NULL;
    if (str_get(&s, jzmk, "zmk", 1, &zmk) || str_get(&s, jkey, "key", 1, &key)) goto done;
    char kz[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t zn = sizeof kz, cn = sizeof kcv;
    int rc = CACipher_ExportKey(c, type, zmk, key, zmkScheme, kz, &zn, kcv, &cn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[2] = { kz, kcv };
    r = new_str_array(env, 2, v);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nFormKey(JNIEnv *env, jclass cls, jlong h, jint type, jint scheme,
                                                                  jobjectArray jcomps) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    if (!jcomps) { throw_npe(env, "components"); return NULL; }
    jsize count = (*env)->GetArrayLength(env, jcomps);
    if (count > 9) {   /* the C call allows 2...9; refuse here so no more than 9 are pinned */
        throw_code_msg(env, CACIPHER_E_INVALID_ARG, "CACipher_FormKeyFromComponents: more than 9 components: need 2 to 9");
        return NULL;
    }
    STRS(s);
    jstring local[9] = {0};
    const char *comps[9] = {0};
    jobjectArray r = NULL;
    for (jsize i = 0; i < count; i++) {
        local[i] = (jstring)(*env)->GetObjectArrayElement(env, jcomps, i);
        if ((*env)->ExceptionCheck(env)) goto done;
        if (!local[i]) {
            char name[32];
            strcpy(name, "components[");
            name[11] = (char)('0' + i);
            strcpy(name + 12, "]");
            throw_npe(env, name);
            goto done;
        }
        if (str_get(&s, local[i], "component", 1, &comps[i])) goto done;
    }
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    int rc = CACipher_FormKeyFromComponents(c, type, scheme, comps, count, key, &kn, kcv, &cn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[2] = { key, kcv };
    r = new_str_array(env, 2, v);
done:
    strs_release(&s);
    for (int i = 0; i < 9; i++) if (local[i]) (*env)->DeleteLocalRef(env, local[i]);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nKeyCheckValue(JNIEnv *env, jclass cls, jlong h, jint type, jstring jkey) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *key;
    jstring r = NULL;
    if (str_get(&s, jkey, "key", 1, &key)) goto done;
    char kcv[CACIPHER_KCV_BUFSIZE];
    size_t cn = sizeof kcv;
    int rc = CACipher_KeyCheckValue(c, type, key, kcv, &cn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, kcv);
done:
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ PIN */

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nTranslatePin2(JNIEnv *env, jclass cls, jlong h, jboolean fromZpk, jstring jsrc,
                                                                   jstring jdst, jint maxPinLength, jstring jblock, jint sourceFormat,
                                                                   jint destinationFormat, jstring jacct, jintArray pinLength) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, pinLength, 1, "pinLength")) return NULL;
    STRS(s);
    const char *src, *dst, *block, *acct;
    jstring r = NULL;
    if (str_get(&s, jsrc, "source key", 1, &src) || str_get(&s, jdst, "destination key", 1, &dst) ||
        str_get(&s, jblock, "pinBlock", 1, &block) || str_get(&s, jacct, "account", 1, &acct)) goto done;
    char out[CACIPHER_PIN_BLOCK_BUFSIZE];
    size_t n = sizeof out;
    int len = 0;
    int rc = fromZpk
        ? CACipher_TranslatePIN_ZPKtoZPK(c, src, dst, maxPinLength, block, sourceFormat, destinationFormat, acct, out, &n, &len)
        : CACipher_TranslatePIN_TPKtoZPK(c, src, dst, maxPinLength, block, sourceFormat, destinationFormat, acct, out, &n, &len);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    jint l = len;
    (*env)->SetIntArrayRegion(env, pinLength, 0, 1, &l);
    if (!(*env)->ExceptionCheck(env)) r = new_str(env, out);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nTranslatePin(JNIEnv *env, jclass cls, jlong h, jint sourceKind, jstring jsk,
                                                                  jint destinationKind, jstring jdk, jint maxPinLength, jstring jblock,
                                                                  jint sourceFormat, jstring jsacct, jint destinationFormat,
                                                                  jstring jdacct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *sk, *dk, *block, *sacct, *dacct;
    jstring r = NULL;
    if (str_get(&s, jsk, "sourceKey", 1, &sk) || str_get(&s, jdk, "destinationKey", 1, &dk) ||
        str_get(&s, jblock, "pinBlock", 1, &block) || str_get(&s, jsacct, "sourceAccount", 1, &sacct) ||
        str_get(&s, jdacct, "destinationAccount", 1, &dacct)) goto done;
    char out[CACIPHER_PIN_BLOCK_BUFSIZE];
    size_t n = sizeof out;
    int rc = CACipher_TranslatePIN(c, sourceKind, sk, destinationKind, dk, maxPinLength, block, sourceFormat, sacct,
                                   destinationFormat, dacct, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, out);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nPinBlockToLmk(JNIEnv *env, jclass cls, jlong h, jstring jzpk, jstring jblock,
                                                                   jint format, jstring jacct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *zpk, *block, *acct;
    jstring r = NULL;
    if (str_get(&s, jzpk, "zpk", 1, &zpk) || str_get(&s, jblock, "pinBlock", 1, &block) || str_get(&s, jacct, "account", 1, &acct)) goto done;
    char out[CACIPHER_PIN_LMK_BUFSIZE];
    size_t n = sizeof out;
    int rc = CACipher_PINBlockToLMK(c, zpk, block, format, acct, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, out);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nPinLmkToBlock(JNIEnv *env, jclass cls, jlong h, jstring jzpk, jint format,
                                                                   jstring jacct, jstring jlmk) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *zpk, *acct, *lmk;
    jstring r = NULL;
    if (str_get(&s, jzpk, "zpk", 1, &zpk) || str_get(&s, jacct, "account", 1, &acct) || str_get(&s, jlmk, "pinUnderLmk", 1, &lmk)) goto done;
    char out[CACIPHER_PIN_BLOCK_BUFSIZE];
    size_t n = sizeof out;
    int rc = CACipher_PINLMKToBlock(c, zpk, format, acct, lmk, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, out);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nEncryptPin(JNIEnv *env, jclass cls, jlong h, jcharArray jpin, jstring jacct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    if (!jpin) { throw_npe(env, "pin"); return NULL; }
    STRS(s);
    const char *acct;
    jstring r = NULL;
    jchar *wide = NULL;
    char *pin = NULL;
    jsize n = (*env)->GetArrayLength(env, jpin);
    if (str_get(&s, jacct, "account", 1, &acct)) goto done;
    wide = calloc(n > 0 ? (size_t)n : 1, sizeof *wide);
    pin = calloc((size_t)n + 1, 1);
    if (!wide || !pin) { throw_oom(env); goto done; }
    if (n) (*env)->GetCharArrayRegion(env, jpin, 0, n, wide);
    if ((*env)->ExceptionCheck(env)) goto done;
    /* Digits pass as they are; anything else (NUL, non-ASCII) becomes '?', which the
     * library refuses as not a digit without echoing it. */
    for (jsize i = 0; i < n; i++) pin[i] = (wide[i] > 0 && wide[i] < 0x80) ? (char)wide[i] : '?';
    pin[n] = 0;
    char out[CACIPHER_PIN_LMK_BUFSIZE];
    size_t on = sizeof out;
    int rc = CACipher_EncryptPIN(c, pin, acct, out, &on);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, out);
done:
    if (wide) { wipe(wide, (size_t)n * sizeof *wide); free(wide); }
    if (pin) { wipe(pin, (size_t)n + 1); free(pin); }
    strs_release(&s);
    return r;
}

JNIEXPORT jcharArray JNICALL Java_org_cacipher_CACipher_nDecryptPin(JNIEnv *env, jclass cls, jlong h, jstring jacct, jstring jlmk) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *acct, *lmk;
    jcharArray r = NULL;
    char pin[CACIPHER_PIN_BUFSIZE];
    jchar wide[CACIPHER_PIN_BUFSIZE];
    memset(pin, 0, sizeof pin);
    memset(wide, 0, sizeof wide);
    if (str_get(&s, jacct, "account", 1, &acct) || str_get(&s, jlmk, "pinUnderLmk", 1, &lmk)) goto done;
    size_t n = sizeof pin;
    int rc = CACipher_DecryptPIN(c, acct, lmk, pin, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    pin[sizeof pin - 1] = 0;
    size_t len = strlen(pin);
    for (size_t i = 0; i < len; i++) wide[i] = (jchar)(unsigned char)pin[i];
    r = (*env)->NewCharArray(env, (jsize)len);
    if (r && len) (*env)->SetCharArrayRegion(env, r, 0, (jsize)len, wide);
done:
    wipe(pin, sizeof pin);
    wipe(wide, sizeof wide);
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ MAC and data */

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGenerateMac(JNIEnv *env, jclass cls, jlong h, jint part, jint algorithm,
                                                                 jint padding, jint size, jint keyType, jstring jkey, jstring jiv,
                                                                 jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *key, *iv;
    jstring r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jiv, "iv", 0, &iv) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    char mac[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof mac;
    int rc = CACipher_GenerateMAC(c, part, algorithm, padding, size, keyType, key, iv, data.p, data.n, mac, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, mac);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nVerifyMac(JNIEnv *env, jclass cls, jlong h, jint part, jint algorithm,
                                                                jint padding, jint size, jint keyType, jstring jkey, jstring jiv,
                                                                jbyteArray jdata, jstring jmac) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return JNI_FALSE;
    STRS(s);
    Buf data = {0};
    const char *key, *iv, *mac;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jiv, "iv", 0, &iv) || str_get(&s, jmac, "mac", 1, &mac) ||
        bytes_get(env, jdata, "data", 1, &data)) goto done;
    int rc = CACipher_VerifyMAC(c, part, algorithm, padding, size, keyType, key, iv, data.p, data.n, mac);
    if (rc == CACIPHER_OK) r = JNI_TRUE;
    else if (rc != CACIPHER_HSM_VERIFICATION_FAILED) throw_rc(env, rc);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nCipher(JNIEnv *env, jclass cls, jlong h, jboolean encrypt, jint mode,
                                                               jint keyType, jstring jkey, jstring jiv, jbyteArray jdata,
                                                               jobjectArray nextIv) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, nextIv, 1, "nextIv")) return NULL;
    STRS(s);
    Buf data = {0}, out = {0};
    const char *key, *iv;
    jbyteArray r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jiv, "iv", 0, &iv) || bytes_get(env, jdata, "data", 1, &data) ||
        buf_alloc(env, &out, data.n)) goto done;
    char ivOut[CACIPHER_IV_BUFSIZE];
    size_t n = out.n, ivn = sizeof ivOut;
    int cbc = mode == CACIPHER_MODE_CBC;
    int rc = encrypt
        ? CACipher_EncryptData(c, mode, keyType, key, iv, data.p, data.n, out.p, &n, cbc ? ivOut : NULL, cbc ? &ivn : NULL)
        : CACipher_DecryptData(c, mode, keyType, key, iv, data.p, data.n, out.p, &n, cbc ? ivOut : NULL, cbc ? &ivn : NULL);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    if (cbc && set_str(env, nextIv, 0, ivOut)) goto done;
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);   /* plaintext (encrypt) ... */
    buf_free(&out);    /* ... or plaintext (decrypt): both zeroed */
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ device */

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nRandom(JNIEnv *env, jclass cls, jlong h, jint count) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    if (count < 0) {
        throw_code_msg(env, CACIPHER_E_INVALID_ARG, "CACipher_Random: count is negative (1 to 2048)");
        return NULL;
    }
    Buf out = {0};
    jbyteArray r = NULL;
    /* Out-of-range counts go to the library, which refuses them before sending anything. */
    if (buf_alloc(env, &out, (count > 0 && count <= 2048) ? (size_t)count : 1)) goto done;
    size_t n = out.n;
    int rc = CACipher_Random(c, (size_t)count, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&out);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nHash(JNIEnv *env, jclass cls, jlong h, jint algorithm, jbyteArray jdata,
                                                             jbyteArray juid, jstring jpub) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0}, uid = {0};
    const char *pub;
    jbyteArray r = NULL;
    if (bytes_get(env, jdata, "data", 1, &data) || bytes_get(env, juid, "userId", 0, &uid) || str_get(&s, jpub, "sm2PublicKey", 0, &pub)) goto done;
    unsigned char out[CACIPHER_HASH_MAX_SIZE];
    size_t n = sizeof out;
    int rc = CACipher_Hash(c, algorithm, data.p, data.n, uid.p, uid.n, pub, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out, n);
done:
    buf_free(&data);
    buf_free(&uid);
    strs_release(&s);
    return r;
}

/* CACipher.localHash: OpenSSL's digest of public data of any length, read from the array in
 * 16 KiB pieces (no copy of the whole array). The 3C codes: 1 SHA-1, 5 SHA-224, 6 SHA-256,
 * 7 SHA-384, 8 SHA-512, 20 SM3. */
JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nLocalHash(JNIEnv *env, jclass cls, jint algorithm, jbyteArray jdata) {
    (void)cls;
    if (!jdata) { throw_npe(env, "data"); return NULL; }
    const char *name = NULL;
    switch (algorithm) {
    case CACIPHER_HASH_SHA1: name = "SHA1"; break;
    case CACIPHER_HASH_SHA224: name = "SHA2-224"; break;
    case CACIPHER_HASH_SHA256: name = "SHA2-256"; break;
    case CACIPHER_HASH_SHA384: name = "SHA2-384"; break;
    case CACIPHER_HASH_SHA512: name = "SHA2-512"; break;
    case CACIPHER_HASH_SM3: name = "SM3"; break;
    default:
        throw_code_msg(env, CACIPHER_E_INVALID_ARG, "algorithm: not a hash algorithm of the local digest (1, 5, 6, 7, 8, 20)");
        return NULL;
    }
    EVP_MD *md = EVP_MD_fetch(NULL, name, NULL);
    EVP_MD_CTX *ctx = md ? EVP_MD_CTX_new() : NULL;
    jbyteArray r = NULL;
    unsigned char piece[16384];
    if (!ctx || !EVP_DigestInit_ex(ctx, md, NULL)) {
        throw_code_msg(env, CACIPHER_E_INVALID_ARG, "algorithm: this OpenSSL has no such digest");
        goto done;
    }
    jsize n = (*env)->GetArrayLength(env, jdata);
    for (jsize at = 0; at < n;) {
        jsize k = n - at < (jsize)sizeof piece ? n - at : (jsize)sizeof piece;
        (*env)->GetByteArrayRegion(env, jdata, at, k, (jbyte *)piece);
        if ((*env)->ExceptionCheck(env)) goto done;
        if (!EVP_DigestUpdate(ctx, piece, (size_t)k)) {
            throw_code_msg(env, CACIPHER_E_NO_MEMORY, "local digest: OpenSSL failed");
            goto done;
        }
        at += k;
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_DigestFinal_ex(ctx, out, &len)) {
        throw_code_msg(env, CACIPHER_E_NO_MEMORY, "local digest: OpenSSL failed");
        goto done;
    }
    r = new_bytes(env, out, len);
done:
    wipe(piece, sizeof piece);  /* the last piece of the caller's data, as every input copy here */
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nDeviceInfo(JNIEnv *env, jclass cls, jlong h) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    char kcv[CACIPHER_DEVICE_TEXT_BUFSIZE], ver[CACIPHER_DEVICE_TEXT_BUFSIZE], ser[CACIPHER_DEVICE_TEXT_BUFSIZE];
    size_t kn = sizeof kcv, vn = sizeof ver, sn = sizeof ser;
    int rc = CACipher_DeviceInfo(c, kcv, &kn, ver, &vn, ser, &sn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return NULL; }
    const char *v[3] = { kcv, ver, ser };
    return new_str_array(env, 3, v);
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nEcho(JNIEnv *env, jclass cls, jlong h, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    Buf data = {0}, out = {0};
    jbyteArray r = NULL;
    if (bytes_get(env, jdata, "data", 1, &data) || buf_alloc(env, &out, data.n)) goto done;
    size_t n = out.n;
    int rc = CACipher_Echo(c, data.p, data.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);
    buf_free(&out);
    return r;
}

/* ------------------------------------------------------------------ SM2 */

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nSm2GenerateKeyPair(JNIEnv *env, jclass cls, jlong h, jint storeIndex,
                                                                             jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *label;
    jobjectArray r = NULL;
    if (str_get(&s, jlabel, "label", 0, &label)) goto done;
    char pub[CACIPHER_SM2_PUBLIC_KEY_BUFSIZE], priv[CACIPHER_SM2_PRIVATE_KEY_BUFSIZE];
    size_t pn = sizeof pub, kn = sizeof priv;
    int rc = CACipher_SM2GenerateKeyPair(c, storeIndex, label, pub, &pn, priv, &kn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[2] = { pub, priv };
    r = new_str_array(env, 2, v);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nSm2LoadPrivateKey(JNIEnv *env, jclass cls, jlong h, jstring jpriv, jint storeIndex,
                                                                       jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *priv, *label;
    jstring r = NULL;
    if (str_get(&s, jpriv, "privateKey", 1, &priv) || str_get(&s, jlabel, "label", 0, &label)) goto done;
    char pub[CACIPHER_SM2_PUBLIC_KEY_BUFSIZE];
    size_t pn = sizeof pub;
    int rc = CACipher_SM2LoadPrivateKey(c, priv, storeIndex, label, pub, &pn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, pub);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nSm2PublicKey(JNIEnv *env, jclass cls, jlong h, jstring jpriv) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *priv;
    jstring r = NULL;
    if (str_get(&s, jpriv, "privateKey", 1, &priv)) goto done;
    char pub[CACIPHER_SM2_PUBLIC_KEY_BUFSIZE];
    size_t pn = sizeof pub;
    int rc = CACipher_SM2PublicKey(c, priv, pub, &pn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, pub);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nSm2Sign(JNIEnv *env, jclass cls, jlong h, jstring jpriv, jbyteArray juid,
                                                             jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf uid = {0}, data = {0};
    const char *priv;
    jstring r = NULL;
    if (str_get(&s, jpriv, "privateKey", 1, &priv) || bytes_get(env, juid, "userId", 0, &uid) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    char sig[CACIPHER_SM2_SIGNATURE_BUFSIZE];
    size_t sn = sizeof sig;
    int rc = CACipher_SM2Sign(c, priv, uid.p, uid.n, data.p, data.n, sig, &sn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, sig);
done:
    buf_free(&uid);
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nSm2Verify(JNIEnv *env, jclass cls, jlong h, jstring jpub, jbyteArray juid,
                                                                jbyteArray jdata, jstring jsig) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return JNI_FALSE;
    STRS(s);
    Buf uid = {0}, data = {0};
    const char *pub, *sig;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jpub, "publicKey", 1, &pub) || str_get(&s, jsig, "signature", 1, &sig) ||
        bytes_get(env, juid, "userId", 0, &uid) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    int rc = CACipher_SM2Verify(c, pub, uid.p, uid.n, data.p, data.n, sig);
    if (rc == CACIPHER_OK) r = JNI_TRUE;
    else if (rc != CACIPHER_HSM_VERIFICATION_FAILED) throw_rc(env, rc);
done:
    buf_free(&uid);
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nSm2Encrypt(JNIEnv *env, jclass cls, jlong h, jstring jpub, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0}, out = {0};
    const char *pub;
    jbyteArray r = NULL;
    if (str_get(&s, jpub, "publicKey", 1, &pub) || bytes_get(env, jdata, "data", 1, &data) ||
        buf_alloc(env, &out, data.n + CACIPHER_SM2_CIPHER_OVERHEAD)) goto done;
    size_t n = out.n;
    int rc = CACipher_SM2Encrypt(c, pub, data.p, data.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);
    buf_free(&out);
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nSm2Decrypt(JNIEnv *env, jclass cls, jlong h, jstring jpriv, jbyteArray jct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf ct = {0}, out = {0};
    const char *priv;
    jbyteArray r = NULL;
    if (str_get(&s, jpriv, "privateKey", 1, &priv) || bytes_get(env, jct, "ciphertext", 1, &ct) ||
        buf_alloc(env, &out, ct.n > CACIPHER_SM2_CIPHER_OVERHEAD ? ct.n - CACIPHER_SM2_CIPHER_OVERHEAD : 0)) goto done;
    size_t n = out.n;
    int rc = CACipher_SM2Decrypt(c, priv, ct.p, ct.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&ct);
    buf_free(&out);   /* the plaintext: zeroed */
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ RSA (EI ER EW EY 3A 3B) */

/* Hex text outputs of the RSA calls: the C library takes key texts of up to 8192 characters
 * (a private key blob of up to 4096 bytes; about 2400 for RSA-4096), so an output of that
 * size always fits; EI generates (and may store) before it copies out, so the buffers must
 * be large enough the first time. Signatures: at most 512 bytes (1024 hex). */
#define RSA_KEY_TEXT_BUFSIZE 8193
#define RSA_SIGNATURE_BUFSIZE 1025
#define RSA_MODULUS_MAX 512

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nRsaGenerateKeyPair(JNIEnv *env, jclass cls, jlong h, jint bits, jint exponent,
                                                                             jint usage, jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf pub = {0}, priv = {0};
    const char *label;
    jobjectArray r = NULL;
    if (str_get(&s, jlabel, "label", 0, &label) || buf_alloc(env, &pub, RSA_KEY_TEXT_BUFSIZE) ||
        buf_alloc(env, &priv, RSA_KEY_TEXT_BUFSIZE)) goto done;
    size_t pn = pub.n, kn = priv.n;
    int rc = CACipher_RSAGenerateKeyPair(c, bits, exponent, usage, storeIndex, label, (char *)pub.p, &pn, (char *)priv.p, &kn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[2] = { (const char *)pub.p, (const char *)priv.p };
    r = new_str_array(env, 2, v);
done:
    buf_free(&pub);
    buf_free(&priv);
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nRsaPublicKey(JNIEnv *env, jclass cls, jlong h, jint index) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    Buf pub = {0};
    jstring r = NULL;
    if (buf_alloc(env, &pub, RSA_KEY_TEXT_BUFSIZE)) goto done;
    size_t pn = pub.n;
    int rc = CACipher_RSAPublicKey(c, index, (char *)pub.p, &pn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, (const char *)pub.p);
done:
    buf_free(&pub);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nRsaSign(JNIEnv *env, jclass cls, jlong h, jstring jpriv, jint hash, jint padding,
                                                             jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *priv;
    jstring r = NULL;
    if (str_get(&s, jpriv, "privateKey", 1, &priv) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    char sig[RSA_SIGNATURE_BUFSIZE];
    size_t sn = sizeof sig;
    int rc = CACipher_RSASign(c, priv, hash, padding, data.p, data.n, sig, &sn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, sig);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nRsaVerify(JNIEnv *env, jclass cls, jlong h, jstring jpub, jint hash, jint padding,
                                                                jbyteArray jdata, jstring jsig) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return JNI_FALSE;
    STRS(s);
    Buf data = {0};
    const char *pub, *sig;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jpub, "publicKey", 1, &pub) || str_get(&s, jsig, "signature", 1, &sig) ||
        bytes_get(env, jdata, "data", 1, &data)) goto done;
    int rc = CACipher_RSAVerify(c, pub, hash, padding, data.p, data.n, sig);
    if (rc == CACIPHER_OK) r = JNI_TRUE;
    else if (rc != CACIPHER_HSM_VERIFICATION_FAILED) throw_rc(env, rc);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nRsaEncrypt(JNIEnv *env, jclass cls, jlong h, jstring jpub, jint padding,
                                                                   jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *pub;
    jbyteArray r = NULL;
    if (str_get(&s, jpub, "publicKey", 1, &pub) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    unsigned char out[RSA_MODULUS_MAX];
    size_t n = sizeof out;
    int rc = CACipher_RSAEncrypt(c, pub, padding, data.p, data.n, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out, n);
done:
    buf_free(&data);   /* the plaintext: zeroed */
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nRsaDecrypt(JNIEnv *env, jclass cls, jlong h, jstring jpriv, jint padding,
                                                                   jbyteArray jct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf ct = {0}, out = {0};
    const char *priv;
    jbyteArray r = NULL;
    /* the plaintext is never longer than the ciphertext (the C call checks the length) */
    if (str_get(&s, jpriv, "privateKey", 1, &priv) || bytes_get(env, jct, "ciphertext", 1, &ct) ||
        buf_alloc(env, &out, ct.n)) goto done;
    size_t n = out.n;
    int rc = CACipher_RSADecrypt(c, priv, padding, ct.p, ct.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&ct);
    buf_free(&out);   /* the plaintext: zeroed */
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ IC data and keys (S0 S3 S4 KD KG) */

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nIcCipher(JNIEnv *env, jclass cls, jlong h, jboolean encrypt, jint keyType,
                                                                 jstring jkey, jstring jder, jint sessionMode, jstring jsess,
                                                                 jint padding, jint mode, jstring jiv, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0}, out = {0};
    const char *key, *der, *sess, *iv;
    jbyteArray r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jder, "derivation", 0, &der) ||
        str_get(&s, jsess, "sessionData", 0, &sess) || str_get(&s, jiv, "iv", 0, &iv) ||
        bytes_get(env, jdata, "data", 1, &data) || buf_alloc(env, &out, data.n + CACIPHER_IC_PAD_OVERHEAD)) goto done;
    size_t n = out.n;
    int rc = encrypt
        ? CACipher_ICEncrypt(c, keyType, key, der, sessionMode, sess, padding, mode, iv, data.p, data.n, out.p, &n)
        : CACipher_ICDecrypt(c, keyType, key, der, sessionMode, sess, padding, mode, iv, data.p, data.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);   /* plaintext (encrypt) ... */
    buf_free(&out);    /* ... or plaintext (decrypt): both zeroed */
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nIcGenerateMac(JNIEnv *env, jclass cls, jlong h, jint keyType, jstring jkey,
                                                                   jint algorithm, jint macLength, jstring jder, jint sessionMode,
                                                                   jstring jsess, jint padding, jstring jiv, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *key, *der, *sess, *iv;
    jstring r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jder, "derivation", 0, &der) ||
        str_get(&s, jsess, "sessionData", 0, &sess) || str_get(&s, jiv, "iv", 0, &iv) ||
        bytes_get(env, jdata, "data", 1, &data)) goto done;
    char mac[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof mac;
    int rc = CACipher_ICGenerateMAC(c, keyType, key, algorithm, macLength, der, sessionMode, sess, padding, iv, data.p, data.n, mac, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, mac);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nDeriveKey(JNIEnv *env, jclass cls, jlong h, jint sourceType, jstring jsrc,
                                                                    jint type, jint scheme, jint mode, jstring jfactors,
                                                                    jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *src, *factors, *label;
    jobjectArray r = NULL;
    if (str_get(&s, jsrc, "sourceKey", 1, &src) || str_get(&s, jfactors, "factors", 1, &factors) ||
        str_get(&s, jlabel, "label", 0, &label)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    int rc = CACipher_DeriveKey(c, sourceType, src, type, scheme, mode, factors, storeIndex, label, key, &kn, kcv, &cn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    const char *v[2] = { key, kcv };
    r = new_str_array(env, 2, v);
done:
    strs_release(&s);
    return r;
}

/* KG: codes[0] = key type, codes[1] = scheme letter; returns { kcv, label, time }. */
JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nStoredKeyInfo(JNIEnv *env, jclass cls, jlong h, jint index, jintArray codes) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, codes, 2, "codes")) return NULL;
    int type = 0, scheme = 0;
    char kcv[CACIPHER_KCV_BUFSIZE], label[CACIPHER_KEY_LABEL_BUFSIZE], when[CACIPHER_KEY_TIME_BUFSIZE];
    size_t kn = sizeof kcv, ln = sizeof label, tn = sizeof when;
    int rc = CACipher_StoredKeyInfo(c, index, &type, &scheme, kcv, &kn, label, &ln, when, &tn);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return NULL; }
    jint v[2] = { type, scheme };
    (*env)->SetIntArrayRegion(env, codes, 0, 2, v);
    if ((*env)->ExceptionCheck(env)) return NULL;
    const char *t[3] = { kcv, label, when };
    return new_str_array(env, 3, t);
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nIcTranslate(JNIEnv *env, jclass cls, jlong h,
        jint sType, jstring jsKey, jstring jsDer, jint sSess, jstring jsSessData, jint sPad, jint sMode, jstring jsIv,
        jint dType, jstring jdKey, jstring jdDer, jint dSess, jstring jdSessData, jint dPad, jint dMode, jstring jdIv,
        jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0}, out = {0};
    const char *sKey, *sDer, *sSd, *sIv, *dKey, *dDer, *dSd, *dIv;
    jbyteArray r = NULL;
    if (str_get(&s, jsKey, "sourceKey", 1, &sKey) || str_get(&s, jsDer, "sourceDerivation", 0, &sDer) ||
        str_get(&s, jsSessData, "sourceSessionData", 0, &sSd) || str_get(&s, jsIv, "sourceIv", 0, &sIv) ||
        str_get(&s, jdKey, "destinationKey", 1, &dKey) || str_get(&s, jdDer, "destinationDerivation", 0, &dDer) ||
        str_get(&s, jdSessData, "destinationSessionData", 0, &dSd) || str_get(&s, jdIv, "destinationIv", 0, &dIv) ||
        bytes_get(env, jdata, "data", 1, &data) || buf_alloc(env, &out, data.n + CACIPHER_IC_PAD_OVERHEAD)) goto done;
    size_t n = out.n;
    int rc = CACipher_ICTranslate(c, sType, sKey, sDer, sSess, sSd, sPad, sMode, sIv, dType, dKey, dDer, dSess, dSd, dPad, dMode, dIv,
                                  data.p, data.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);
    buf_free(&out);
    strs_release(&s);
    return r;
}

/* { key under the LMK, KCV } from a call with the keyLMK/kcv outputs; NULL with an exception. */
static jobjectArray key_kcv(JNIEnv *env, int rc, const char *key, const char *kcv) {
    if (rc != CACIPHER_OK) { throw_rc(env, rc); return NULL; }
    const char *v[2] = { key, kcv };
    return new_str_array(env, 2, v);
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nGenerateAndStoreKey(JNIEnv *env, jclass cls, jlong h, jint type, jint scheme,
                                                                              jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *label;
    jobjectArray r = NULL;
    if (str_get(&s, jlabel, "label", 0, &label)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    r = key_kcv(env, CACipher_GenerateAndStoreKey(c, type, scheme, storeIndex, label, key, &kn, kcv, &cn), key, kcv);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nConvertKeyType(JNIEnv *env, jclass cls, jlong h, jint sourceType, jstring jkey,
                                                                         jint type, jint scheme) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *k;
    jobjectArray r = NULL;
    if (str_get(&s, jkey, "key", 1, &k)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    r = key_kcv(env, CACipher_ConvertKeyType(c, sourceType, k, type, scheme, key, &kn, kcv, &cn), key, kcv);
done:
    strs_release(&s);
    return r;
}

/* AM: each byte[] component becomes hex text in our own buffer (zeroed before free). */
JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nFormKeyFromClearComponents(JNIEnv *env, jclass cls, jlong h, jint type,
                                                                                     jint scheme, jobjectArray jcomps,
                                                                                     jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    if (!jcomps) { throw_npe(env, "components"); return NULL; }
    jsize count = (*env)->GetArrayLength(env, jcomps);
    if (count > 99) {
        throw_code_msg(env, CACIPHER_E_INVALID_ARG, "CACipher_FormKeyFromClearComponents: more than 99 components: need 1 to 99");
        return NULL;
    }
    STRS(s);
    char *hexes[99] = {0};
    size_t sizes[99] = {0};
    const char *label;
    jobjectArray r = NULL;
    static const char digits[] = "0123456789ABCDEF";
    for (jsize i = 0; i < count; i++) {
        jbyteArray a = (jbyteArray)(*env)->GetObjectArrayElement(env, jcomps, i);
        if ((*env)->ExceptionCheck(env)) goto done;
        if (!a) { throw_npe(env, "components"); goto done; }
        Buf b;
        int bad = bytes_get(env, a, "components", 1, &b);
        (*env)->DeleteLocalRef(env, a);
        if (bad) { buf_free(&b); goto done; }
        sizes[i] = 2 * b.n + 1;
        hexes[i] = malloc(sizes[i]);
        if (!hexes[i]) { buf_free(&b); throw_oom(env); goto done; }
        for (size_t j = 0; j < b.n; j++) {
            hexes[i][2 * j] = digits[b.p[j] >> 4];
            hexes[i][2 * j + 1] = digits[b.p[j] & 15];
        }
        hexes[i][2 * b.n] = 0;
        buf_free(&b);
    }
    if (str_get(&s, jlabel, "label", 0, &label)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    r = key_kcv(env, CACipher_FormKeyFromClearComponents(c, type, scheme, (const char *const *)hexes, (int)count, storeIndex, label,
                                                         key, &kn, kcv, &cn), key, kcv);
done:
    for (int i = 0; i < 99; i++) {
        if (hexes[i]) { wipe(hexes[i], sizes[i]); free(hexes[i]); }
    }
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nExportKeyUnderProtection(JNIEnv *env, jclass cls, jlong h, jint protMode,
        jint protType, jstring jpk, jstring jpd, jint protSess, jstring jpsd, jint type, jstring jkey, jstring jder, jstring jheader) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *pk, *pd, *psd, *key, *der, *hd;
    jobjectArray r = NULL;
    if (str_get(&s, jpk, "protKey", 1, &pk) || str_get(&s, jpd, "protDerivation", 0, &pd) || str_get(&s, jpsd, "protSessionData", 0, &psd) ||
        str_get(&s, jkey, "key", 1, &key) || str_get(&s, jder, "derivation", 0, &der) || str_get(&s, jheader, "header", 0, &hd)) goto done;
    char crypt[CACIPHER_PROTECTED_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t xn = sizeof crypt, cn = sizeof kcv;
    r = key_kcv(env, CACipher_ExportKeyUnderProtection(c, protMode, protType, pk, pd, protSess, psd, type, key, der, hd, crypt, &xn, kcv, &cn),
                crypt, kcv);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jobjectArray JNICALL Java_org_cacipher_CACipher_nImportKeyUnderProtection(JNIEnv *env, jclass cls, jlong h, jint protMode,
        jint protType, jstring jpk, jstring jpd, jint protSess, jstring jpsd, jint type, jint scheme, jstring jcrypt, jstring jheader,
        jint padding, jstring jiv, jstring jexp, jint storeIndex, jstring jlabel) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *pk, *pd, *psd, *crypt, *hd, *iv, *exp, *label;
    jobjectArray r = NULL;
    if (str_get(&s, jpk, "protKey", 1, &pk) || str_get(&s, jpd, "protDerivation", 0, &pd) || str_get(&s, jpsd, "protSessionData", 0, &psd) ||
        str_get(&s, jcrypt, "cryptogram", 1, &crypt) || str_get(&s, jheader, "header", 0, &hd) || str_get(&s, jiv, "iv", 0, &iv) ||
        str_get(&s, jexp, "expectedCheckValue", 0, &exp) || str_get(&s, jlabel, "label", 0, &label)) goto done;
    char key[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
    size_t kn = sizeof key, cn = sizeof kcv;
    r = key_kcv(env, CACipher_ImportKeyUnderProtection(c, protMode, protType, pk, pd, protSess, psd, type, scheme, crypt, hd, padding, iv, exp,
                                                       storeIndex, label, key, &kn, kcv, &cn), key, kcv);
done:
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ EMV (K6 K2 K4 KX) */

/* K6 modes 0/1: 1 verified, 0 mismatch; strs[0] = ARPC (mode 1), strs[1] = diagnostic (mismatch). */
JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nVerifyArqc(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan, jstring jatc,
                                                                 jbyteArray jdata, jstring jarqc, jstring jarc, jobjectArray strs) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, strs, 2, "strings")) return JNI_FALSE;
    STRS(s);
    Buf data = {0};
    const char *mdk, *pan, *atc, *arqc, *arc;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jatc, "atc", 1, &atc) ||
        str_get(&s, jarqc, "arqc", 1, &arqc) || str_get(&s, jarc, "arc", 0, &arc) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    char arpc[CACIPHER_MAC_BUFSIZE], diag[CACIPHER_MAC_BUFSIZE];
    size_t an = sizeof arpc, dn = sizeof diag;
    diag[0] = 0;
    int rc = arc ? CACipher_VerifyARQCAndGenerateARPC(c, mdk, pan, atc, data.p, data.n, arqc, arc, arpc, &an, diag, &dn)
                 : CACipher_VerifyARQC(c, mdk, pan, atc, data.p, data.n, arqc, diag, &dn);
    if (rc == CACIPHER_OK) {
        if (arc && set_str(env, strs, 0, arpc)) goto done;
        r = JNI_TRUE;
    } else if (rc == CACIPHER_HSM_VERIFICATION_FAILED) {
        if (set_str(env, strs, 1, diag)) goto done;
    } else {
        throw_rc(env, rc);
    }
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGenerateArpc(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan, jstring jatc,
                                                                  jstring jarqc, jstring jarc) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *mdk, *pan, *atc, *arqc, *arc;
    jstring r = NULL;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jatc, "atc", 1, &atc) ||
        str_get(&s, jarqc, "arqc", 1, &arqc) || str_get(&s, jarc, "arc", 1, &arc)) goto done;
    char arpc[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof arpc;
    int rc = CACipher_GenerateARPC(c, mdk, pan, atc, arqc, arc, arpc, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, arpc);
done:
    strs_release(&s);
    return r;
}

/* KW mode 3: 1 verified, 0 mismatch; strs[0] = ARPC (8 hex), strs[1] = diagnostic (mismatch). */
JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nVerifyArqcArpcMethod2(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan,
                                                                            jint skScheme, jstring jskData, jbyteArray jdata, jstring jarqc,
                                                                            jstring jcsu, jstring jpad, jobjectArray strs) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, strs, 2, "strings")) return JNI_FALSE;
    STRS(s);
    Buf data = {0};
    const char *mdk, *pan, *skData, *arqc, *csu, *pad;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jskData, "skData", 1, &skData) ||
        str_get(&s, jarqc, "arqc", 1, &arqc) || str_get(&s, jcsu, "csu", 1, &csu) || str_get(&s, jpad, "pad", 0, &pad) ||
        bytes_get(env, jdata, "data", 1, &data)) goto done;
    char arpc[CACIPHER_MAC_BUFSIZE], diag[CACIPHER_MAC_BUFSIZE];
    size_t an = sizeof arpc, dn = sizeof diag;
    diag[0] = 0;
    int rc = CACipher_VerifyARQCAndGenerateARPCMethod2(c, mdk, pan, (int)skScheme, skData, data.p, data.n, arqc, csu, pad,
                                                       arpc, &an, diag, &dn);
    if (rc == CACIPHER_OK) {
        if (set_str(env, strs, 0, arpc)) goto done;
        r = JNI_TRUE;
    } else if (rc == CACIPHER_HSM_VERIFICATION_FAILED) {
        if (set_str(env, strs, 1, diag)) goto done;
    } else {
        throw_rc(env, rc);
    }
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGenerateArpcMethod2(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan,
                                                                         jint skScheme, jstring jskData, jstring jarqc, jstring jcsu,
                                                                         jstring jpad) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *mdk, *pan, *skData, *arqc, *csu, *pad;
    jstring r = NULL;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jskData, "skData", 1, &skData) ||
        str_get(&s, jarqc, "arqc", 1, &arqc) || str_get(&s, jcsu, "csu", 1, &csu) || str_get(&s, jpad, "pad", 0, &pad)) goto done;
    char arpc[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof arpc;
    int rc = CACipher_GenerateARPCMethod2(c, mdk, pan, (int)skScheme, skData, arqc, csu, pad, arpc, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, arpc);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nEncryptIssuerScript(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan,
                                                                            jstring jatc, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0}, out = {0};
    const char *mdk, *pan, *atc;
    jbyteArray r = NULL;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jatc, "atc", 1, &atc) ||
        bytes_get(env, jdata, "data", 1, &data) || buf_alloc(env, &out, data.n + 16)) goto done;
    size_t n = out.n;
    int rc = CACipher_EncryptIssuerScript(c, mdk, pan, atc, data.p, data.n, out.p, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);
    buf_free(&out);
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nIssuerScriptMac(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan,
                                                                     jstring jatc, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *mdk, *pan, *atc;
    jstring r = NULL;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jatc, "atc", 1, &atc) ||
        bytes_get(env, jdata, "data", 1, &data)) goto done;
    char mac[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof mac;
    int rc = CACipher_IssuerScriptMAC(c, mdk, pan, atc, data.p, data.n, mac, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, mac);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

/* A char[] PIN (4...12 digits expected; the library checks) as NUL-terminated text in pin[13]. 0, or -1 with an exception. */
static int pin_chars(JNIEnv *env, jcharArray a, const char *name, char pin[13]) {
    memset(pin, 0, 13);
    jsize n = (*env)->GetArrayLength(env, a);
    if (n > 12) {
        throw_code_msg(env, CACIPHER_E_INVALID_ARG, "CACipher_OfflinePIN: PIN is longer than 12 digits");
        return -1;
    }
    jchar w[12];
    (*env)->GetCharArrayRegion(env, a, 0, n, w);
    if ((*env)->ExceptionCheck(env)) return -1;
    for (jsize i = 0; i < n; i++) pin[i] = w[i] < 0x80 && w[i] != 0 ? (char)w[i] : '?';
    wipe(w, sizeof w);
    (void)name;
    return 0;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nOfflinePin(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan, jstring jatc,
                                                                   jcharArray jnew, jcharArray jold, jstring jacct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    if (!jnew) { throw_npe(env, "newPin"); return NULL; }
    STRS(s);
    char np[13], op[13];
    memset(np, 0, sizeof np);
    memset(op, 0, sizeof op);
    const char *mdk, *pan, *atc, *acct;
    jbyteArray r = NULL;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jatc, "atc", 1, &atc) ||
        str_get(&s, jacct, "account", 0, &acct) || pin_chars(env, jnew, "newPin", np) || (jold && pin_chars(env, jold, "oldPin", op))) goto done;
    unsigned char out[256];
    size_t n = sizeof out;
    int rc = CACipher_OfflinePIN(c, mdk, pan, atc, np, jold ? op : NULL, acct, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out, n);
    wipe(out, sizeof out);
done:
    wipe(np, sizeof np);
    wipe(op, sizeof op);
    strs_release(&s);
    return r;
}

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nOfflinePinFromBlock(JNIEnv *env, jclass cls, jlong h, jstring jmdk, jstring jpan,
                                                                            jstring jatc, jint kind, jstring jkey, jint format,
                                                                            jstring jnew, jstring jold, jstring jacct) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *mdk, *pan, *atc, *key, *nb, *ob, *acct;
    jbyteArray r = NULL;
    if (str_get(&s, jmdk, "mdk", 1, &mdk) || str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jatc, "atc", 1, &atc) ||
        str_get(&s, jkey, "pinKey", 1, &key) || str_get(&s, jnew, "newPinBlock", 1, &nb) || str_get(&s, jold, "oldPinBlock", 0, &ob) ||
        str_get(&s, jacct, "account", 1, &acct)) goto done;
    unsigned char out[256];
    size_t n = sizeof out;
    int rc = CACipher_OfflinePINFromBlock(c, mdk, pan, atc, kind, key, format, nb, ob, acct, out, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_bytes(env, out, n);
    wipe(out, sizeof out);
done:
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ card and PIN verification (CW CY DG DE EA JA) */

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGenerateCvv(JNIEnv *env, jclass cls, jlong h, jstring jcvk, jstring jcvkB, jstring jpan,
                                                                 jstring jexp, jstring jsc) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *cvk, *cvkB, *pan, *exp, *sc;
    jstring r = NULL;
    if (str_get(&s, jcvk, "cvk", 1, &cvk) || str_get(&s, jcvkB, "cvkB", 0, &cvkB) || str_get(&s, jpan, "pan", 1, &pan) ||
        str_get(&s, jexp, "expiry", 1, &exp) || str_get(&s, jsc, "serviceCode", 1, &sc)) goto done;
    char cvv[8];
    size_t n = sizeof cvv;
    int rc = CACipher_GenerateCVV(c, cvk, cvkB, pan, exp, sc, cvv, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, cvv);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nVerifyCvv(JNIEnv *env, jclass cls, jlong h, jstring jcvk, jstring jcvkB, jstring jcvv,
                                                                jstring jpan, jstring jexp, jstring jsc) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return JNI_FALSE;
    STRS(s);
    const char *cvk, *cvkB, *cvv, *pan, *exp, *sc;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jcvk, "cvk", 1, &cvk) || str_get(&s, jcvkB, "cvkB", 0, &cvkB) || str_get(&s, jcvv, "cvv", 1, &cvv) ||
        str_get(&s, jpan, "pan", 1, &pan) || str_get(&s, jexp, "expiry", 1, &exp) || str_get(&s, jsc, "serviceCode", 1, &sc)) goto done;
    int rc = CACipher_VerifyCVV(c, cvk, cvkB, cvv, pan, exp, sc);
    if (rc == CACIPHER_OK) r = JNI_TRUE;
    else if (rc != CACIPHER_HSM_VERIFICATION_FAILED) throw_rc(env, rc);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGeneratePvv(JNIEnv *env, jclass cls, jlong h, jstring jpvk, jstring jpin, jstring jacct,
                                                                 jint pvki) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *pvk, *pin, *acct;
    jstring r = NULL;
    if (str_get(&s, jpvk, "pvk", 1, &pvk) || str_get(&s, jpin, "pinUnderLmk", 1, &pin) || str_get(&s, jacct, "account", 1, &acct)) goto done;
    char pvv[8];
    size_t n = sizeof pvv;
    int rc = CACipher_GeneratePVV(c, pvk, pin, acct, pvki, pvv, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, pvv);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGenerateIbmPinOffset(JNIEnv *env, jclass cls, jlong h, jstring jpvk, jstring jpin,
                                                                          jint checkLength, jstring jacct, jstring jdec, jstring jval) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *pvk, *pin, *acct, *dec, *val;
    jstring r = NULL;
    if (str_get(&s, jpvk, "pvk", 1, &pvk) || str_get(&s, jpin, "pinUnderLmk", 1, &pin) || str_get(&s, jacct, "account", 1, &acct) ||
        str_get(&s, jdec, "decimalisationTable", 1, &dec) || str_get(&s, jval, "validationData", 1, &val)) goto done;
    char off[CACIPHER_PIN_BUFSIZE];
    size_t n = sizeof off;
    int rc = CACipher_GenerateIBMPINOffset(c, pvk, pin, checkLength, acct, dec, val, off, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, off);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jboolean JNICALL Java_org_cacipher_CACipher_nVerifyPinByIbmOffset(JNIEnv *env, jclass cls, jlong h, jstring jzpk, jstring jpvk,
                                                                           jstring jblock, jint format, jint checkLength, jstring jacct,
                                                                           jstring jdec, jstring jval, jstring joff, jint maxPinLength) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return JNI_FALSE;
    STRS(s);
    const char *zpk, *pvk, *block, *acct, *dec, *val, *off;
    jboolean r = JNI_FALSE;
    if (str_get(&s, jzpk, "zpk", 1, &zpk) || str_get(&s, jpvk, "pvk", 1, &pvk) || str_get(&s, jblock, "pinBlock", 1, &block) ||
        str_get(&s, jacct, "account", 1, &acct) || str_get(&s, jdec, "decimalisationTable", 1, &dec) ||
        str_get(&s, jval, "validationData", 1, &val) || str_get(&s, joff, "offset", 1, &off)) goto done;
    int rc = CACipher_VerifyPINByIBMOffset(c, zpk, pvk, block, format, checkLength, acct, dec, val, off, maxPinLength);
    if (rc == CACIPHER_OK) r = JNI_TRUE;
    else if (rc != CACIPHER_HSM_VERIFICATION_FAILED) throw_rc(env, rc);
done:
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nGenerateRandomPin(JNIEnv *env, jclass cls, jlong h, jstring jacct, jint length) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    const char *acct;
    jstring r = NULL;
    if (str_get(&s, jacct, "account", 1, &acct)) goto done;
    char pin[CACIPHER_PIN_LMK_BUFSIZE];
    size_t n = sizeof pin;
    int rc = CACipher_GenerateRandomPIN(c, acct, length, pin, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, pin);
done:
    strs_release(&s);
    return r;
}

/* ------------------------------------------------------------------ Racal data and MAC (E0 UQ MS) */

JNIEXPORT jbyteArray JNICALL Java_org_cacipher_CACipher_nRacalCipher(JNIEnv *env, jclass cls, jlong h, jboolean encrypt, jint part, jint mode,
                                                                    jstring jkey, jstring jiv, jboolean padded, jbyteArray jdata,
                                                                    jobjectArray nextIv) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c || out_array(env, nextIv, 1, "nextIv")) return NULL;
    STRS(s);
    Buf data = {0}, out = {0};
    const char *key, *iv;
    jbyteArray r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jiv, "iv", 0, &iv) || bytes_get(env, jdata, "data", 1, &data) ||
        buf_alloc(env, &out, data.n + 16)) goto done;
    char ivOut[CACIPHER_IV_BUFSIZE];
    ivOut[0] = 0;
    size_t n = out.n, ivn = sizeof ivOut;
    int chain = mode == CACIPHER_MODE_CBC && (part == CACIPHER_MAC_FIRST || part == CACIPHER_MAC_MIDDLE);
    int rc = encrypt
        ? CACipher_RacalEncryptData(c, part, mode, key, iv, padded ? 1 : 0, data.p, data.n, out.p, &n, chain ? ivOut : NULL, chain ? &ivn : NULL)
        : CACipher_RacalDecryptData(c, part, mode, key, iv, padded ? 1 : 0, data.p, data.n, out.p, &n, chain ? ivOut : NULL, chain ? &ivn : NULL);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    if (chain && set_str(env, nextIv, 0, ivOut)) goto done;
    r = new_bytes(env, out.p, n);
done:
    buf_free(&data);
    buf_free(&out);
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nZpkMac(JNIEnv *env, jclass cls, jlong h, jint part, jstring jkey, jstring jiv,
                                                            jint macBytes, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *key, *iv;
    jstring r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jiv, "iv", 0, &iv) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    char mac[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof mac;
    int rc = CACipher_ZPKMAC(c, part, key, iv, macBytes, data.p, data.n, mac, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, mac);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}

JNIEXPORT jstring JNICALL Java_org_cacipher_CACipher_nZakTakMac(JNIEnv *env, jclass cls, jlong h, jint part, jint keyType, jstring jkey,
                                                               jstring jiv, jint keyLengthFlag, jbyteArray jdata) {
    (void)cls;
    cacipher_t *c = handle(env, h);
    if (!c) return NULL;
    STRS(s);
    Buf data = {0};
    const char *key, *iv;
    jstring r = NULL;
    if (str_get(&s, jkey, "key", 1, &key) || str_get(&s, jiv, "iv", 0, &iv) || bytes_get(env, jdata, "data", 1, &data)) goto done;
    char mac[CACIPHER_MAC_BUFSIZE];
    size_t n = sizeof mac;
    int rc = CACipher_ZAKTAKMAC(c, part, keyType, key, iv, keyLengthFlag, data.p, data.n, mac, &n);
    if (rc != CACIPHER_OK) { throw_rc(env, rc); goto done; }
    r = new_str(env, mac);
done:
    buf_free(&data);
    strs_release(&s);
    return r;
}
