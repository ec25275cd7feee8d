/*
 * hsmapi_racal.h - the HSM_RCL_* functions (Racal / payShield-style host commands) of the
 * TASS SJJ1310 interface (libcacipher-tass). See hsmapi.h for the conventions. At this
 * layer a key argument (index, cryptogram) takes any index 1...9999 (K + 4N) or, with index
 * 0, a cryptogram of any length its scheme allows.
 */
#ifndef CACIPHER_TASS_HSMAPI_RACAL_H
#define CACIPHER_TASS_HSMAPI_RACAL_H

#include "hsmapi_define.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- PIN (BA, NG, JG, JE, TI) -------------------------------------------------------- */
/* BA (session-less): a clear PIN (4...12 digits) under the LMK; pcPAN: the account number
   (digits; a longer one's first 12 are used). pcPinCipherByLmk: 128 bytes. */
int HSM_RCL_EncryptPin_LMK(char *pcPlainPin, char *pcPAN, char *pcPinCipherByLmk);
/* NG: the clear PIN (digits, NUL-terminated; 128 bytes) of a PIN under the LMK. */
int HSM_RCL_DecryptPin_LMK(void *hSessionHandle, char *pcPinCipherByLmk, char *pcPAN, char *pcPlainPin);
/* JG: a PIN under the LMK as a PIN block (16H/32H) under the ZPK in format iPinFmt. */
int HSM_RCL_TransferCipherPin_Lmk2Zpk(void *hSessionHandle, int iZpkIdx, char *pcZpkCipherByLmk, int iPinFmt, char *pcPAN, char *pcPinCipherByLmk, char *pcPinCipherByZpk);
/* JE: a PIN block under the ZPK as a PIN under the LMK. */
int HSM_RCL_TransferCipherPin_Zpk2Lmk(void *hSessionHandle, int iZpkIdx, char *pcZpkCipherByLmk, int iPinFmt, char *pcPAN, char *pcPinCipherByZpk, char *pcPinCipherByLmk);
/* TI (session-less): a PIN block from one ZPK to another. */
int HSM_RCL_TransferCipherPin_Zpk2Zpk(int iSrcZpkIdx, char *pcSrcZpkCipherByLmk, int iDstZpkIdx, char *pcDstZpkCipherByLmk, int iSrcPinFmt, int iDstPinFmt, char *pcSrcPAN, char *pcDstPAN, char *pcSrcPinCipherByZpk, char *pcDstPinCipherByZpk);

/* ---- Keys (A0, A6, A8, A4) ----------------------------------------------------------- */
/* A0: iGeneratMode 0 (under the LMK only) or 1 (also under the ZMK, in cKeyFlg_Zmk);
   cKeyStorageFlg 'K' also stores the key at iKeyIdx (1...9999) with label pcKeyTag (at most
   16 characters). Outputs: 50, 50 and 17 bytes. */
int HSM_RCL_GenWorkingKey(void *hSessionHandle, int iGeneratMode, char *pcKeyType, char cKeyFlg_Lmk, int iZmkIdx, char *pcZmkCipher, char cKeyFlg_Zmk, char cKeyStorageFlg, int iKeyIdx, char *pcKeyTag, char *pcKeyCipherByLmk, char *pcKeyCipherByZmk, char *pcKeyCv);
/* A6: a key under the ZMK into the LMK (scheme cKeyFlg_Lmk), optionally stored. */
int HSM_RCL_ImportKey_A6(void *hSessionHandle, char *pcKeyType, int iZmkIdx, char *pcZmkCipher, char *pcKeyCipherByZmk, char cKeyFlg_Lmk, char cKeyStorageFlg, int iKeyIdx, char *pcKeyTag, char *pcKeyCipherByLmk, char *pcKeyCv);
/* A8 (session-less): a key under the LMK (or at iKeyIdx) exported under the ZMK. */
int HSM_RCL_ExportKey_A8(char *pcKeyType, int iZmkIdx, char *pcZmkCipher, int iKeyIdx, char *pcKeyCipherByLmk, char cKeyFlg_Zmk, char *pcKeyCipherByZmk, char *pcKeyCv);
/* A4 (session-less): a key formed from iElementNum (2...8) components under the LMK,
   concatenated in pcKeyElemnet. The check value is written as 8 characters (9 bytes). */
int HSM_RCL_SyntheticKey_KeyCipher(int iElementNum, char *pcKeyType, char cKeyFlg, char *pcKeyElemnet, char *pcKeyCipherByLmk, char *pcKCV);

/* ---- Card and PIN verification values (CW, CY, DG, DE, EA, JA) ------------------------ */
/* (PIN and card verification functions are declared here) */

/* ---- Data and MACs (E0, UQ, MS) -------------------------------------------------------- */
/* (Racal data and MAC functions are declared here) */

/* ---- Key conversion and clear components (AN, AM) ------------------------------------- */
/* (IC key functions are declared here) */

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_RACAL_H */
