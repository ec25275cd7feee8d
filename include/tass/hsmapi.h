/*
 * hsmapi.h - the TASS SJJ1310 financial interface ("libTassApi"), as implemented by
 * libcacipher-tass: the vendor's functions, prototypes, string formats and return codes,
 * served by libcacipher's host group. Programs written for the vendor's library compile
 * unchanged against this header (it includes the vendor's other headers, which this
 * directory also provides under their own names) and link with -lcacipher-tass (or run on
 * the installed libTassApi_LINUX_64.so link).
 *
 * Conventions (docs/vendor-compat.md has the whole table):
 *  - Return values: hsmapi_define.h. 0 success; 1...99 the HSM's error; HAR_* library errors.
 *  - Handles: SDF_OpenDevice / SDF_OpenSession give opaque handles owned by the library until
 *    SDF_CloseDevice / SDF_CloseSession. A NULL, closed or forged handle is refused
 *    (HAR_DEVICEHANDLE_INVALID / HAR_SESSIONHANDLE_INVALID), never dereferenced.
 *  - Strings: inputs are NUL-terminated ASCII (hex in either case); hex outputs are upper
 *    case and NUL-terminated. Output buffers belong to the caller and must hold the sizes
 *    given per function (the vendor's sizes, plus 1 for the NUL): key cryptogram 50, check
 *    value 17, MAC 17 (33 for SM4), PIN block 33, clear PIN / PIN under LMK 128.
 *  - "session" functions send through the session's device; a device whose address is a
 *    member of the group configured by SDF_HsmApiInit is served by the whole group
 *    (failover, balancing, DMK guard); other addresses get a connection pool of their own.
 *    Session-less functions use the group of SDF_HsmApiInit / Tass_HsmApiInitByContent
 *    (HAR_NOT_INITIALIZED before either).
 *  - Every function is safe to call from many threads, on one session or many.
 */
#ifndef CACIPHER_TASS_HSMAPI_H
#define CACIPHER_TASS_HSMAPI_H

#include "hsmapi_define.h"

#ifdef WIN32
#define HSMAPI _declspec (dllexport)
#else
#define HSMAPI
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Initialisation, devices, sessions ---------------------------------------------- */

/* Reads the configuration: pcConfigFilePath is the path of the vendor's CfgTassHsmApi.ini
   (host1/port1, timeout, msgheadlen, logpath, logsw), of a cacipher.ini (a group of [HOSTn]),
   or the same content as a "{...}" string. Opens no connection. The first successful call
   wins; later calls return 0 and change nothing. Errors: HAR_CFGFILE_NOEXIST (NULL),
   HAR_CFGFILE_OPEN, HAR_CFGFILE_KEY_NOEXIST, HAR_CFGFILE_VALUE_NOEXIST,
   HAR_CFGFILE_VALUE_INVALID (bad address, malformed cacipher.ini, unwritable log directory). */
int SDF_HsmApiInit(char *pcConfigFilePath);

/* Opens a device at ipaddr:port and checks that it answers (HAR_SOCK_CONNECT if no HSM
   does). *phDeviceHandle receives the handle (output only; its old value is not read).
   Errors: HAR_PARAM_ISNULL, HAR_PARAM_VALUE (port out of 1...65535), HAR_SOCK_CONNECT.
   A call with a fourth argument, the vendor's previous form
   SDF_OpenDevice(&h, ip, port, iMsgHeadLen), compiles to SDF_OpenDeviceEx (below). */
int SDF_OpenDevice(void **phDeviceHandle, char *ipaddr, int port);

/* The previous form: also sets the message header length of the device's connections
   (iMsgHeadLen % 127 ASCII '0' bytes after the length prefix; a device of the configured
   group must use the member's header length to be served by the group). */
int SDF_OpenDeviceEx(void **phDeviceHandle, char *pcIp, int iPort, int iMsgHeadLen);

#if !defined(HSMAPI_NO_OPENDEVICE_DISPATCH)
/* Selects SDF_OpenDevice (3 arguments) or SDF_OpenDeviceEx (4) by the number of arguments.
   Taking the address of SDF_OpenDevice still gives the 3-argument function. Define
   HSMAPI_NO_OPENDEVICE_DISPATCH to turn this off. */
#define HSMAPI_OPENDEVICE_PICK_(a, b, c, d, name, ...) name
#define SDF_OpenDevice(...) HSMAPI_OPENDEVICE_PICK_(__VA_ARGS__, SDF_OpenDeviceEx, SDF_OpenDevice, \
                                                    SDF_OpenDevice_needs_3_or_4_arguments, \
                                                    SDF_OpenDevice_needs_3_or_4_arguments)(__VA_ARGS__)
#endif

/* Closes a device: its own connections are closed; sessions opened on it fail with
   HAR_SESSIONHANDLE_INVALID from now on. Always 0 (also for NULL or an unknown handle). */
int SDF_CloseDevice(void *hDeviceHandle);

/* Opens a session on an open device; *phSessionHandle receives it (output only).
   Errors: HAR_DEVICEHANDLE_INVALID, HAR_PARAM_ISNULL. */
int SDF_OpenSession(void *hDeviceHandle, void **phSessionHandle);

/* Closes a session. Always 0. */
int SDF_CloseSession(void *hSessionHandle);

/* CR: iRandomLen (0...2048) random bytes as 2*iRandomLen upper-case hex characters and a
   NUL in pcRandom. Errors: HAR_PARAM_VALUE, HAR_PARAM_ISNULL, session and HSM errors. */
HSMAPI int SDF_GenerateRandom(void *hSessionHandle, int iRandomLen, char *pcRandom);

/* ---- Key generation (A0), import (A6), export (A8) ------------------------------------ */
/* The ZMK is (iKeyIdx > 0: the key at that index) or (iKeyIdx 0: pcKeyCipherByLmk, 32H taken
   as X+32H, or 1A+32H). Outputs: the new key under the ZMK and under the LMK (scheme letter
   + hex, a single DES key as bare 16H) and its check value (16H). Errors: HAR_PARAM_KEY_ID,
   HAR_PARAM_KEY_CIPHER, HAR_PARAM_KEY_SCHEME, HAR_PARAM_ISNULL, the HSM's code. */
HSMAPI int Tass_Generate_Zmk(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cZmkScheme, char *pcZmkCipherByZmk, char *pcZmkCipherByLmk, char *pcZmkCv);
HSMAPI int Tass_Generate_Pik(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cPikScheme, char *pcPikCipherByZmk, char *pcPikCipherByLmk, char *pcPikCv);
HSMAPI int Tass_Generate_Mak(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cMakScheme, char *pcMakCipherByZmk, char *pcMakCipherByLmk, char *pcMakCv);
HSMAPI int Tass_Generate_Zek(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cZekScheme, char *pcZekCipherByZmk, char *pcZekCipherByLmk, char *pcZekCv);

/* A0 for any key type pcKeyType (3H, e.g. KEY_TYPE_ZPK); ZMK cryptogram 16, 33 or 49
   characters. Also HAR_PARAM_KEY_TYPE. */
HSMAPI int Tass_GenerateKey(void *hSessionHandle, int iZmkIdx, char *pcZmkCipherByLmk, char *pcKeyType, char cScheme, char *pcKeyCipherByZmk, char *pcKeyCipherByLmk, char *pcCkv);

/* A6: a ZPK (Tass_ImportPik) or ZAK (Tass_ImportMak) under the ZMK (16, 32 or 33
   characters) into the LMK in the scheme given. */
HSMAPI int Tass_ImportPik(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cPikScheme, char *pcPikCipherByZmk, char *pcPikCipherByLmk, char *pcPikCv);
HSMAPI int Tass_ImportMak(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cMakScheme, char *pcMakCipherByZmk, char *pcMakCipherByLmk, char *pcMakCv);

/* A6 for any key type; the key under the ZMK is 16, 33 or 49 characters (HAR_PARAM_LEN). */
HSMAPI int Tass_AcceptKey(void *hSessionHandle, int iZmkIdx, char *pcZmkCipherByLmk, char *pcKeyCipherByZmk, char *pcKeyType, char cScheme, char *pcKeyCipherByLmk, char *pcCkv);

/* A8 (session-less): a key under the LMK (or at iKeyIdx) exported under the ZMK. */
HSMAPI int Tass_ExportKey(int iZmkIdx, char *pcZmkCipherByLmk, char *pcKeyType, int iKeyIdx, char *pcKeyCipherByLmk, char cScheme, char *pcKeyCipherByZmk, char *pcKcv);

/* ---- PIN ----------------------------------------------------------------------------- */
/* JE then NG: the clear PIN of a PIN block (16H/32H) under a ZPK. pcPan: the 12-digit
   account number (or 18 characters, whose first 12 digits are used). Errors also
   HAR_PARAM_LEN (PAN or block length), HAR_PARAM_PAN, HAR_PARAM_VALUE (format), HSM 20/23/24. */
HSMAPI int Tass_Decrypt_PIN(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char *pcPinBlkCipher, int iPinBlkFmt, char *pcPan, char *pcPinText);

/* BA then JG (both through the session): a clear PIN (4...12 digits) as a PIN block under
   a ZPK. pcPan: empty, 12 or 18 characters. */
HSMAPI int Tass_EncryptPIN(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char *pcPinText, int iPinBlkFmt, char *pcPan, char *pcPinBlkCipher);

/* TI (session-less): a PIN block from one ZPK to another, an account per side. */
HSMAPI int Tass_TranslatePin(int iSrcKeyIdx, char *pcSrcpcKeyCipherByLmk, int iDstKeyIdx, char *pcDstpcKeyCipherByLmk, char *pcSrcPan, char *pcDstPan, int iSrcPinBlkFmt, int iDstPinBlkFmt, char *pcSrcPinBlkCipher, char *pcDstPinBlkCipher);

/* ---- Older names (aliases of the functions above) ------------------------------------- */
int Tass_HsmApiInit(char *pcConfigFilePath);
int Tass_OpenDevice(void **pphDeviceHandle, char *pcIp, int iPort, int iMsgHeadLen);
int Tass_CloseDevice(void *hDeviceHandle);
int Tass_OpenSession(void *hDeviceHandle, void **phSessionHandle);
int Tass_CloseSession(void *hSessionHandle);
HSMAPI int Tass_GenerateRandom(void *hSessionHandle, int iRandomLen, char *pcRandom);
HSMAPI int Tass_GenRandData(void *hSessionHandle, int iRandomLen, char *pcRandom);
HSMAPI int Tass_GenerateMak(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cMakScheme, char *pcMakCipherByZmk, char *pcMakCipherByLmk, char *pcMakCv);
HSMAPI int Tass_GenerateZmk(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cZmkScheme, char *pcZmkCipherByZmk, char *pcZmkCipherByLmk, char *pcZmkCv);
HSMAPI int Tass_GeneratePik(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cPikScheme, char *pcPikCipherByZmk, char *pcPikCipherByLmk, char *pcPikCv);
HSMAPI int Tass_GenerateZek(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char cZekScheme, char *pcZekCipherByZmk, char *pcZekCipherByLmk, char *pcZekCv);
HSMAPI int Tass_DecryptPIN(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char *pcPinBlkCipher, int iPinBlkFmt, char *pcPan, char *pcPinText);

/* ---- MAC and data (S0, S3, S4, S5) ----------------------------------------------------- */
/* (IC data and MAC functions are declared here) */

/* ---- Key derivation and conversion (SH, KG, AN) --------------------------------------- */
/* (IC key functions are declared here) */

/* ---- Card verification (CW, CY) -------------------------------------------------------- */
/* (CVV functions are declared here) */

/* ---- ZPK MAC (UQ) ---------------------------------------------------------------------- */
/* (Racal data and MAC functions are declared here) */

/* ---- RSA (EI then TR; vendor spec section 10.7.1) --------------------------------------- */
/* Tass_GenRSAKey: a new RSA pair of RsaLen bits (1024..4096; else HAR_PARAM_LEN), exponent
 * 65537. Outputs, upper-case hex with a NUL: d, p, q, dP, dQ, qInv under the ZMK (KEY
 * zmkIndex / zmk_Lmk, type 000; derived when zmk_disData holds n x 32H, "" for none; other
 * lengths HAR_PARAM_DERIVE_DATA, NULL HAR_PARAM_ISNULL) in mode 0 ECB / 1 CBC (zero IV),
 * each left-padded with zero bytes to whole blocks (d of a 2048-bit key: 512 hex); Rsa_N
 * the modulus without a leading 00 (512 hex for 2048 bits), Rsa_E (010001), Rsa_LMK the
 * private key blob under the LMK (about 2500 hex for 2048 bits: pass >= 5000 bytes). */
int Tass_GenRSAKey(void *hSessionHandle, int RsaLen, int zmkIndex, char *zmk_Lmk, char *zmk_disData, int mode,
                   char *Rsa_D_ZMK /*out*/, char *Rsa_P_ZMK /*out*/, char *Rsa_Q_ZMK /*out*/, char *Rsa_DP_ZMK /*out*/,
                   char *Rsa_DQ_ZMK /*out*/, char *Rsa_QINV_ZMK /*out*/, char *Rsa_N /*out*/, char *Rsa_E /*out*/,
                   char *Rsa_LMK /*out*/);

/* Tass_DeriveKeyExportedByRsa (the manual's semantics): the sub-key of the ZMK
 * pcZmkCipher_Lmk (1A+32H under the LMK, type 000) for pcDisData (16H; the derivation level
 * is D followed by NOT D), under the RSA public key pcPublicKey (hex DER), PKCS#1 v1.5:
 * pcSubKeyCipher_TK (hex, 2 x modulus bytes + NUL), pcSubKeyCipher_Lmk (type 000, the ZMK's
 * scheme, 1A+32H + NUL), pcSubKeyCv (16H + NUL). Errors: HAR_PARAM_ISNULL, HAR_PARAM_KEY_CIPHER,
 * HAR_HEX_TO_BYTE / HAR_DER_DECODE (public key), HAR_PARAM_DERIVE_DATA, or the HSM's code. */
int Tass_DeriveKeyExportedByRsa(void *hSessionHandle, char *pcZmkCipher_Lmk, char *pcPublicKey, char *pcDisData,
                                char *pcSubKeyCipher_TK /*out*/, char *pcSubKeyCipher_Lmk /*out*/, char *pcSubKeyCv /*out*/);

#ifdef __cplusplus
}
#endif

#include "hsmapi_init.h"
#include "hsmapi_racal.h"
#include "hsmapi_ic.h"
#include "hsmapi_asym.h"

#endif /* CACIPHER_TASS_HSMAPI_H */
