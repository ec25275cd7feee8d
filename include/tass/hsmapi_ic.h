/*
 * hsmapi_ic.h - the HSM_IC_* functions (IC card / PBOC commands), device information, hash
 * and random of the TASS SJJ1310 interface (libcacipher-tass). See hsmapi.h for the
 * conventions.
 */
#ifndef CACIPHER_TASS_HSMAPI_IC_H
#define CACIPHER_TASS_HSMAPI_IC_H

#include "hsmapi_define.h"

#ifdef __cplusplus
extern "C" {
#endif

/* NC (session-less): the DMK check value (16H, 17 bytes), the version (24A, 25 bytes) and
   the serial number (12A, 13 bytes), NUL-terminated. Each output may be NULL (skipped). */
int HSM_GetDeviceBaseInfo(char *pcDmkCv, char *pcVersion, char *pcSerial);

/* 3C (session-less): the hash of iInputLength (0...4096) bytes with algorithm iMode
   (HASH_MODE_*). With HASH_MODE_SM3, a user ID (0...32 bytes) and an SM2 public key (DER
   SubjectPublicKeyInfo, 91 bytes, or the point 04||X||Y) the hash is SM3(Z || data).
   pucHash receives *piHashLength bytes (64 bytes are enough for every algorithm).
   Errors: HAR_PARAM_VALUE, HAR_PARAM_LEN, HAR_PARAM_ISNULL, HAR_DER_DECODE, HSM codes. */
int HSM_CalculateHash(int iMode, unsigned char *pucInputData, int iInputLength, unsigned char *pucUserID, int iUserIDLen, unsigned char *pucSM2Pub, int iSM2PubLen, unsigned char *pucHash, int *piHashLength);

/* CR: iRandomLength (1...2048, else HAR_PARAM_LEN) random bytes into pucRandomData. */
int HSM_GenerateRandomData(void *hSessionHandle, int iRandomLength, unsigned char *pucRandomData);

/* ---- Key information, generation, derivation, export/import (KG, KR, KD, SH, SI, AM) -- */
/* (IC key functions are declared here) */

/* ---- Symmetric data and MAC (S0, S3, S4, S5) ------------------------------------------- */
/* (IC data and MAC functions are declared here) */

/* ---- EMV / PBOC (K6, K2, K4, KX), session-less ------------------------------------------- */
/* MDK (type 109): iKeyIdx 1...9999, or 0 and the key under the LMK. pcPAN: digits, the
   rightmost 16 (a shorter one is left-padded with 0); pcAtc 4H. Errors as the Tass_* EMV
   functions of hsmapi.h. */
/* K6 mode 0: returns 0, or 1 with the 16H diagnostic written over pcArqc. pcData 2...510 hex. */
int HSM_IC_VerifyArqc(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcArqc);
/* K6 mode 2: the ARPC (16H, 17 bytes) into pcArpc. */
int HSM_IC_GenerateArpc(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcArqc, char *pcArc, char *pcArpc);
/* K2: issuer script data (2...8190 hex characters) encrypted, hex into pcCipher. */
int HSM_IC_EncryptPbocScript(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcCipher);
/* K4: the issuer script MAC (16H, 17 bytes) into pcMac. */
int HSM_IC_GeneratePbocScriptMac(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcMac);
/* K6 mode 1: rv 0 with the ARPC, rv 1 with the diagnostic, in pcOutput (17 bytes). */
int HSM_IC_VerifyArqc_GenARPC(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcArqc , char *pcArc, char *pcOutput);
/* KX, clear PINs: pcPinBlkFmt1 "41" (new PIN) or "42" (new and old PIN), PINs 4...12 digits,
   pcAccountNum 12 digits. The cryptogram (32H, 33 bytes) into pcPinCipher. */
int HSM_IC_OfflinePin_PlaintextPin(int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, char *pcPan, char *pcAtc, char *pcPinBlkFmt1, char *pcPlaintextPin_New, char *pcPlaintextPin_Old, char *pcAccountNum, char *pcPinCipher);
/* KX, PIN blocks: the source key is the PIN key (pcPinInputMode "2" ZPK, "3" TPK), the
   destination key the MDK; pcSrcPinBlkFmt "01" "03" "05" "47"; pcDstPinBlkFmt "41"/"42";
   PIN blocks 16H/32H. The cryptogram (32H, 33 bytes) into pcPinCipher. */
int HSM_IC_OfflinePin_CipherPin(int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, int iDstKeyIdx, char *pcDstKeyCipherByLmk, char *pcPan, char *pcAtc, char *pcPinInputMode, char *pcSrcPinBlkFmt, char *pcDstPinBlkFmt, char *pcCipherPin_New, char *pcCipherPin_Old, char *pcAccountNum, char *pcPinCipher);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_IC_H */
