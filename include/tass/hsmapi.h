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
 *  - Pointers: NULL, or an address in the first page (below 4096: never a valid buffer), is
 *    HAR_PARAM_ISNULL where an argument is required and skipped where NULL is allowed.
 *  - Every function is safe to call from many threads, on one session or many.
 */
/* The vendor's include guard (__HSM_API_H__) is honoured and set too: a program that also
   includes its own copy of the vendor's header gets one set of definitions. */
#if !defined(CACIPHER_TASS_HSMAPI_H) && !defined(__HSM_API_H__)
#define CACIPHER_TASS_HSMAPI_H
#define __HSM_API_H__

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
   HAR_CFGFILE_OPEN (also an empty path), HAR_CFGFILE_KEY_NOEXIST, HAR_CFGFILE_VALUE_NOEXIST,
   HAR_CFGFILE_VALUE_INVALID (bad address, malformed cacipher.ini, unwritable log directory). */
int SDF_HsmApiInit(char *pcConfigFilePath);

/* Opens a device at ipaddr:port and checks that it answers (HAR_SOCK_CONNECT if no HSM
   does). ipaddr is read as inet_addr reads it (the vendor's connect): the address ends at a
   blank or newline ("10.0.0.1\n" from fgets works); text that is no address is resolved as
   a host name. *phDeviceHandle receives the handle (output only; its old value is not read).
   Errors: HAR_PARAM_ISNULL, HAR_PARAM_VALUE (port out of 1...65535), HAR_SOCK_CONNECT.
   A call with a fourth argument, the vendor's previous form
   SDF_OpenDevice(&h, ip, port, iMsgHeadLen), compiles to SDF_OpenDeviceEx (below). */
int SDF_OpenDevice(void **phDeviceHandle, char *ipaddr, int port);

/* The previous form: also sets the message header length of the device's connections
   (iMsgHeadLen % 127 ASCII '0' bytes after the length prefix; a device of the configured
   group must use the member's header length to be served by the group). */
int SDF_OpenDeviceEx(void **phDeviceHandle, char *pcIp, int iPort, int iMsgHeadLen);

/* The dispatch below is a variadic macro, which C90 and C++98 do not have: GCC and clang
   accept it there as an extension, and this keeps their -pedantic warning about it (an
   error with -Werror or -pedantic-errors) out of programs built with -ansi / -std=c89, as
   the vendor's header compiled for them. */
#if defined(__GNUC__) && ((defined(__cplusplus) && __cplusplus < 201103L) || \
    (!defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 199901L)))
#pragma GCC system_header
#endif
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
   a ZPK. pcPan: empty, 12 or 18 characters. pcPinBlkCipher (33 bytes): JG's whole payload
   (16H/32H from a TASS device); longer than 32 characters HAR_MEM_LENLESS. */
HSMAPI int Tass_EncryptPIN(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, char *pcPinText, int iPinBlkFmt, char *pcPan, char *pcPinBlkCipher);

/* TI (session-less): a PIN block from one ZPK to another, an account per side.
   pcDstPinBlkCipher (33 bytes): the reply's whole payload; longer than 32 HAR_MEM_LENLESS. */
HSMAPI int Tass_TranslatePin(int iSrcKeyIdx, char *pcSrcpcKeyCipherByLmk, int iDstKeyIdx, char *pcDstpcKeyCipherByLmk, char *pcSrcPan, char *pcDstPan, int iSrcPinBlkFmt, int iDstPinBlkFmt, char *pcSrcPinBlkCipher, char *pcDstPinBlkCipher);

/* ---- Key printing (PA, A3; session-less; see hsmapi_racal.h) -------------------------- */
/* PA: loads pcFormatStr (at most 512 characters) as the print format; NULL loads a built-in
   template with three labelled lines (key component, check value, remarks). */
HSMAPI int Tass_SetPrintFormat(char *pcFormatStr);
/* A3 mode 0: generates a key, prints its components with pcMarkInfo (at most 512
   characters, may be NULL), returns it under the LMK and its check value (16H). */
HSMAPI int Tass_GenPrintRandkey(char *pcKeyType, char cKeyScheme, char *pcMarkInfo, char *pcKeyCipherByLmk, char *pcKeyCv);

/* ---- Raw public-key encryption and private-key decryption (3A/3B, E3/E4) ------------------ */
/* keytype 1: SM2 with SM2_PUBKEY (hex DER SubjectPublicKeyInfo, 182H; HAR_DER_DECODE
   otherwise), indata 1...1900 bytes as hex, output C1 || C3 || C2 as hex. Any other keytype:
   RSA without padding with the public key given as RSAPubKeyE (4th argument, the exponent)
   and RSAPubKeyN (5th, the modulus; the vendor's header comments swap the two, its code and
   test use this order): indata must be exactly the modulus length (HAR_PARAM_LEN), output
   the modulus length as hex. outdata: 2 x output bytes + 1. */
HSMAPI int Tass_PubKey_Oper(void *hSessionHandle, int keytype, char *indata, char *RSAPubKeyE, char *RSAPubKeyN, char *SM2_PUBKEY, char *outdata);
/* keytype 1: SM2 with the private key blob SM2_LMK (hex, as Tass_GenSm2Key returned it),
   indata 184...3992 hex characters (C1 || C3 || C2). Any other keytype: RSA without padding
   with Rsa_LMK (hex, as Tass_GenRSAKey returned it), indata 128...256 bytes as hex. The
   plaintext is written as hex (HAR_PARAM_LEN for other lengths). */
HSMAPI int Tass_PRIVATE_Oper(void *hSessionHandle, int keytype, char *Rsa_LMK, char *SM2_LMK, char *indata, char *outdata);

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
HSMAPI int Tass_DisperZmk(void *hSessionHandle, int iKeyIdx, char *pcKey_LMK, char *pcDisData, int iZmkIdx, char *pcZmkKey_LMK, char *pcZmk_ZMK, char *pcZmk_LMK, char *pcZmkCv);
HSMAPI int Tass_PubkeyOper(void *hSessionHandle, int keytype, char *indata, char *RSAPubKeyE, char *RSAPubKeyN, char *SM2_PUBKEY, char *outdata);
HSMAPI int Tass_DecryptOper(void *hSessionHandle, int keytype, char *Rsa_LMK, char *SM2_LMK, char *indata, char *outdata);

/* ---- MAC and data (S0, S3, S4, S5) ----------------------------------------------------- */
/* S0 MAC with a ZAK (key rule A: index 0...2048, or a cryptogram of 16, 17, 33 or 49
   characters). pcInData: hex, iInDataLen = strlen(pcInData). pcMac: 16H + NUL (17 bytes).
   Tass_Gen_ANSI_Mac: ISO 9797-1 algorithm 3 (X9.19), data up to 1024 hex characters;
   Tass_GenUnionMac: algorithm 1 (UnionPay MAC), up to 4096. Zero padding, zero IV.
   Errors: HAR_PARAM_KEY_ID, HAR_PARAM_KEY_CIPHER, HAR_PARAM_LEN, HAR_HEX_TO_BYTE,
   HAR_PARAM_ISNULL, session and HSM codes. */
HSMAPI int Tass_Gen_ANSI_Mac(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iInDataLen, char *pcInData, char *pcMac);
HSMAPI int Tass_GenUnionMac(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iInDataLen, char *pcInData, char *pcMac);
/* Older names of Tass_Gen_ANSI_Mac. */
HSMAPI int Tass_GenANSIMac(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iInDataLen, char *pcInData, char *pcMac);
HSMAPI int Tass_GenANSI_Mac(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iInDataLen, char *pcInData, char *pcMac);

/* KG then S0 (session-less) UnionPay MAC with an IV, also for SM4 keys: algorithm 1, zero
   padding. pcIV: 16H, or 32H for R/L/P keys (the cryptogram's letter, or for iKeyIdx > 0
   the scheme KG reports); NULL = zeros; another length HAR_PARAM_IV. pcMac: 16H (DES) or
   32H (SM4/AES) + NUL (33 bytes). */
HSMAPI int Tass_GenUnionMac_IV(int iKeyIdx, char *pcKeyCipherByLmk, char *pcIV, int iMacDataLen, char *pcMacData, char *pcMac);

/* S0 (session-less) MAC over IC-card data with a derived session key, ZAK type 008.
   iMode 1 or 3 (ISO 9797-1 algorithm; HAR_PARAM_MAC_MODE); iMacType: the MAC is
   (iMacType mod 10) x 2 hex characters, the whole block for 0; iDeriveNum 0...3 levels of
   32H in pcDeriveData (HAR_PARAM_DERIVE_NUM); iSessionKeyMode 0...5 with 0/16/32H of
   pcSessionKeyData (HAR_PARAM_SESSION_KEY_MODE / _DATA); iPaddingMode 0...5, 10, 11
   (HAR_PARAM_PADDING_MODE); pcInData hex up to 3936 characters; pcIv 16H/32H
   (HAR_PARAM_IV). pcMac: up to 32H + NUL (33 bytes). */
HSMAPI int Tass_GenerateICMac(int iKeyIdx, char *pcKeyCipherByLmk, int iMode, int iMacType, int iDeriveNum, char *pcDeriveData, int iSessionKeyMode, char *pcSessionKeyData, int iPaddingMode, char *pcInData, int iInDataLen, char *pcIv, char *pcMac);

/* S3 / S4 of magnetic-stripe track data under a ZEK (00A), given and returned as hex.
   iAlgId and iPadFlg are sent as given: 0 ECB, 1 CBC (pcIV 16H/32H, else HAR_PARAM_VALUE;
   iAlgId 2 without an IV: HAR_PARAM_IV); padding 0 PBOC, 1 PBOC MAC, 2 zeros, 3 X9.23,
   4 PKCS#5, 5 none. Up to 1968 bytes to encrypt, 1984 to decrypt (HAR_PARAM_LEN); the
   output holds 2 x (input + one block) + 1 characters. iTrackTextLen is ignored. */
HSMAPI int Tass_EncryptTrackData(void *hSessionHandle, int iKeyIdx, char *pcKey_LMK, char *pcTrackText, int iTrackTextLen, int iAlgId, int iPadFlg, char *pcIV, char *pcTrackCipher);
HSMAPI int Tass_DecryptTrackData(void *hSessionHandle, int iKeyIdx, char *pcKey_LMK, char *pcTrackCipher, int iTrackTextLen, int iAlgId, int iPadFlg, char *pcIV, char *pcTrackText);

/* S3 / S4 under a DEK/ZEK (00A; Tass_EncryptICData: MDK 109), hex in and out, with 0...3
   derivation levels (32H each) and a session key. iEncMode 0 ECB / 1 CBC
   (HAR_PARAM_ENC_MODE), pcIv 16H/32H for CBC (HAR_PARAM_VALUE; Tass_EncryptICData
   HAR_PARAM_LEN). Key: index 0...2048, or 16/17/33/49 characters (decrypt 17/33/49; else
   HAR_PARAM_LEN). Tass_EncryptData and Tass_EncryptICData return the number of hex
   characters written to pcOutData on success (the vendor's behaviour), Tass_DecryptData
   returns 0. */
HSMAPI int Tass_EncryptData(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iEncMode, int iDeriveNum, char *pcDeriveData, int iSessionKeyMode, char *pcSessionKeyData, int iPaddingMode, char *pcInData, char *pcIv, char *pcOutData);
HSMAPI int Tass_DecryptData(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iEncMode, int iDeriveNum, char *pcDeriveData, int iSessionKeyMode, char *pcSessionKeyData, int iPaddingMode, char *pcInData, char *pcIv, char *pcOutData);
HSMAPI int Tass_EncryptICData(void *hSessionHandle, int iKeyIdx, char *pcKeyCipherByLmk, int iEncMode, int iDeriveNum, char *pcDeriveData, int iSessionKeyMode, char *pcSessionKeyData, int iPaddingMode, char *pcInData, char *pcIv, char *pcOutData);

/* S5 (session-less): the hex cryptogram pcSrcCipher (up to 4096 characters) re-encrypted
   from one DEK/ZEK to another. Per side: key rule 1; mode 0...3 (HAR_PARAM_VALUE; the HSM
   answers 15 for 2/3), 0...8 derivation levels (HAR_PARAM_LEN), session key, padding, an IV
   16H/32H when the mode is not 0. Returns the number of hex characters written to
   pcDstCipher on success. */
HSMAPI int Tass_TransferCipher(int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, int iSrcEncMode, int iSrcDispCnt, char *pcSrcDispData, int iSrcSessionKeyMode, char *pcSrcSessionKeyData, int iSrcPaddingMode, char *pcSrcIv, char *pcSrcCipher, int iDstKeyIdx, char *pcDstKeyCipherByLmk, int iDstEncMode, int iDstDispCnt, char *pcDstDispData, int iDstSessionKeyMode, char *pcDstSessionKeyData, int iDstPaddingMode, char *pcDstIv, char *pcDstCipher);

/* ---- Key derivation and conversion (SH, KG, AN) --------------------------------------- */
/* SH then A6: a sub-key derived from the ZMK (iZmkIdx / pcZmkKey_LMK; pcDisData 32 hex per
   level, "" for none, else HAR_PARAM_DERIVE_DATA) exported under the protecting key (type
   000; iKeyIdx 0...2048) and imported under the LMK. Outputs: pcZmk_ZMK the cryptogram hex
   (33 bytes), pcZmk_LMK (50), pcZmkCv (17). */
HSMAPI int Tass_Disper_Zmk(void *hSessionHandle, int iKeyIdx, char *pcKey_LMK, char *pcDisData, int iZmkIdx, char *pcZmkKey_LMK, char *pcZmk_ZMK, char *pcZmk_LMK, char *pcZmkCv);
/* KG (index > 0, for the scheme) then AN (session-less): the key re-encrypted under the LMK
   of pcDstKeyType in its own scheme. The source key: index 0...2048, or a cryptogram of 17,
   33 or 49 characters. */
HSMAPI int Tass_KeyTypeConversion(int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, char *pcSrcKeyType, char *pcDstKeyType, char *pcDstKeyCipherByLmk, char *pcDstKeyCv);

/* ---- Card verification (CW, CY) -------------------------------------------------------- */
/* Session-less. iMode 0: CW, the CVV into pcCvn (3 digits and a NUL; 4 bytes); iMode 1: CY,
   0 when pcCvn is the CVV, 1 (the HSM's code) when not; other modes HAR_PARAM_VALUE. CVK
   index 0...2048 (HAR_PARAM_KEY_ID); with index 0 the cryptogram is 33 characters
   (HAR_PARAM_KEY_CIPHER; a bare 32H is taken as CVK A || CVK B). pcValidity 4 digits
   (YYMM), pcServiceCode 3, pcPan the full PAN (8...19 digits). */
HSMAPI int Tass_GenVerifyCvn(int iKeyIdx, char *pcKeyCipherByLmk, int iMode, char *pcPan, char *pcValidity, char *pcServiceCode, char *pcCvn);

/* ---- ZPK MAC (UQ) ---------------------------------------------------------------------- */
/* UQ (session-less), block flag 0, MAC length 08: the UnionPay POS MAC ("ECB" MAC: XOR of the
   zero-padded 8-byte blocks, then two encryptions under the ZPK; docs/wire.md) of pcInData
   (hex, at most 4095 bytes; iInDataLen is ignored). Key: index 0...2048 or a cryptogram of
   16 or 33 characters (49 for an SM4/AES key). pcMac: the reply's whole payload (8 hex
   characters from a TASS device) and a NUL; 17 bytes (the vendor's MAC buffer): a longer
   payload is HAR_MEM_LENLESS, nothing written.
   Errors: HAR_PARAM_KEY_ID, HAR_PARAM_KEY_CIPHER, HAR_HEX_TO_BYTE, HAR_PARAM_LEN (empty or too
   long), HAR_PARAM_ISNULL, the HSM's code (10: not a ZPK). */
HSMAPI int Tass_GenZPKMac(int iKeyIdx, char *pcKeyCipherByLmk, int iInDataLen, char *pcInData, char *pcMac);

/* ---- EMV / PBOC (K6, K2, K4, KX), session-less ------------------------------------------- */
/* MDK (KEY_TYPE_MDKMKAC): iKeyIdx 1...2048, or 0 and the key under the LMK (rule A: 16, 17,
   33 or 49 characters; Tass_Encrypt_OfflinePin rule 1: 16, 33, 49). pcPan: exactly 16
   digits (PAN and PAN sequence number), pcATC exactly 4H. Errors: HAR_PARAM_KEY_ID,
   HAR_PARAM_KEY_CIPHER, HAR_PARAM_LEN, HAR_PARAM_PAN, HAR_HEX_TO_BYTE, HAR_PARAM_ISNULL,
   HAR_PARAM_VALUE, HSM codes (10 not an MDK, 26 MDK scheme, 27 index of another type). */
/* K6 mode 0: verify pcARQC (16H) over pcTransData (2...510 hex characters). Returns 0, or 1
   when the ARQC does not verify: then the HSM's 16H diagnostic overwrites pcARQC. */
HSMAPI int Tass_VerifyARQC(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPan, char *pcATC, char *pcTransData, char *pcARQC);
/* K6 mode 2: the ARPC of pcARQC (16H) and pcARC (4H) into pcARPC (17 bytes): the reply's
   whole payload (16H from a TASS device); longer than 16 characters HAR_MEM_LENLESS. */
HSMAPI int Tass_GenARPC(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPan, char *pcATC, char *pcARQC, char *pcARC, char *pcARPC);
/* K6 mode 1: verify, then the ARPC into pcARPC (17 bytes); rv 1 with the diagnostic there.
   Either is the reply's whole payload, at most 16 characters (HAR_MEM_LENLESS). */
HSMAPI int Tass_VerifyARQC_GenARPC(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPan, char *pcATC, char *pcTransData, char *pcARQC, char *pcARC, char *pcARPC);
/* K2: script data (2...1968 hex characters) encrypted under the session key: the reply's
   whole payload (the cryptogram's hex) into pcDataCipher (the data rounded up to the MDK's
   block, 8 bytes DES, 16 SM4/AES or a key at an index, x2, + 1; a longer payload is
   HAR_MEM_LENLESS, nothing written). */
HSMAPI int Tass_ScriptEncrypt(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPan, char *pcATC, char *pcTransData, char *pcDataCipher);
/* K4: the script MAC (16H, 17 bytes) into pcMAC: the reply's whole payload, at most 16
   characters (HAR_MEM_LENLESS). */
HSMAPI int Tass_ScriptMAC(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPan, char *pcATC, char *pcTransData, char *pcMAC);
/* KX format 41, clear PIN (4...12 digits): the offline PIN change cryptogram (32H, 33 bytes). */
HSMAPI int Tass_Encrypt_OfflinePin(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPan, char *pcAtc, char *pcPlaintextPin, char *pcCipherPin);

/* ---- SM2 key pair under a ZMK (E7, TT) ------------------------------------------------ */
/* Tass_GenSm2Key: a new SM2 pair (not stored) and d under the ZMK (type 000; zmk_disData ""
   or n x 32H; mode 0 ECB, 1 CBC). Outputs hex, NUL-terminated: SM2_PUBKEY the DER public key
   (182H), SM2_LMK the private key blob (80H from evsm; buffer >= 4097), SM2_D_ZMK d under the
   ZMK (64H). HAR_PARAM_ISNULL (zmk_disData NULL), HAR_PARAM_DERIVE_DATA (bad length). */
HSMAPI int Tass_GenSm2Key( void *hSessionHandle, int zmkIndex, char *zmk_Lmk, char *zmk_disData, int mode, char *SM2_D_ZMK /*out*/, char *SM2_PUBKEY /*out*/, char *SM2_LMK /*out*/);
/* ---- RSA (EI then TR; vendor spec section 10.7.1) --------------------------------------- */
/* Tass_GenRSAKey: a new RSA pair of RsaLen bits (1024..4096; else HAR_PARAM_LEN), exponent
 * 65537. Outputs, upper-case hex with a NUL: d, p, q, dP, dQ, qInv under the ZMK (KEY
 * zmkIndex / zmk_Lmk, type 000; zmkIndex 9999 with a cryptogram of 16+ characters takes
 * the cryptogram, as Tass_GenSm2Key; derived when zmk_disData holds n x 32H, "" for none; other
 * lengths HAR_PARAM_DERIVE_DATA, NULL HAR_PARAM_ISNULL) in mode 0 ECB / 1 CBC (zero IV),
 * each left-padded with zero bytes to whole blocks (d of a 2048-bit key: 512 hex); Rsa_N
 * the modulus without a leading 00 (512 hex for 2048 bits), Rsa_E (010001), Rsa_LMK the
 * private key blob under the LMK (about 2500 hex for 2048 bits: pass >= 5000 bytes). */
HSMAPI int Tass_GenRSAKey(void *hSessionHandle, int RsaLen, int zmkIndex, char *zmk_Lmk, char *zmk_disData, int mode,
                   char *Rsa_D_ZMK /*out*/, char *Rsa_P_ZMK /*out*/, char *Rsa_Q_ZMK /*out*/, char *Rsa_DP_ZMK /*out*/,
                   char *Rsa_DQ_ZMK /*out*/, char *Rsa_QINV_ZMK /*out*/, char *Rsa_N /*out*/, char *Rsa_E /*out*/,
                   char *Rsa_LMK /*out*/);

/* Tass_DeriveKeyExportedByRsa (the manual's semantics): the sub-key of the ZMK
 * pcZmkCipher_Lmk (1A+32H under the LMK, type 000) for pcDisData (16H; the derivation level
 * is D followed by NOT D), under the RSA public key pcPublicKey (hex DER), PKCS#1 v1.5:
 * pcSubKeyCipher_TK (hex, 2 x modulus bytes + NUL), pcSubKeyCipher_Lmk (type 000, the ZMK's
 * scheme, 1A+32H + NUL), pcSubKeyCv (16H + NUL). Errors: HAR_PARAM_ISNULL, HAR_PARAM_KEY_CIPHER,
 * HAR_HEX_TO_BYTE / HAR_DER_DECODE (public key), HAR_PARAM_DERIVE_DATA, or the HSM's code. */
HSMAPI int Tass_DeriveKeyExportedByRsa(void *hSessionHandle, char *pcZmkCipher_Lmk, char *pcPublicKey, char *pcDisData,
                                char *pcSubKeyCipher_TK /*out*/, char *pcSubKeyCipher_Lmk /*out*/, char *pcSubKeyCv /*out*/);

#ifdef __cplusplus
}
#endif

#include "hsmapi_init.h"
#include "hsmapi_racal.h"
#include "hsmapi_ic.h"
#include "hsmapi_asym.h"

#endif /* CACIPHER_TASS_HSMAPI_H */
