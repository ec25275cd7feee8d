/*
 * hsmapi_ic.h - the HSM_IC_* functions (IC card / PBOC commands), device information, hash
 * and random of the TASS SJJ1310 interface (libcacipher-tass). See hsmapi.h for the
 * conventions.
 */
/* The vendor's include guard (__HSM_API_IC_H__) is honoured and set too: a program that also
   includes its own copy of the vendor's header gets one set of definitions. */
#if !defined(CACIPHER_TASS_HSMAPI_IC_H) && !defined(__HSM_API_IC_H__)
#define CACIPHER_TASS_HSMAPI_IC_H
#define __HSM_API_IC_H__

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
   pucHash receives *piHashLength bytes (64 bytes are enough for every algorithm). The
   request always carries ';' and the user ID and key length fields (0000 when empty), as
   the vendor's layout.
   Errors: HAR_PARAM_VALUE, HAR_PARAM_LEN, HAR_PARAM_ISNULL, HAR_DER_DECODE, HSM codes. */
int HSM_CalculateHash(int iMode, unsigned char *pucInputData, int iInputLength, unsigned char *pucUserID, int iUserIDLen, unsigned char *pucSM2Pub, int iSM2PubLen, unsigned char *pucHash, int *piHashLength);

/* CR: iRandomLength (0...2048, else HAR_PARAM_LEN) random bytes into pucRandomData; 0
   writes nothing and returns 0 (the vendor checks only the upper bound). */
int HSM_GenerateRandomData(void *hSessionHandle, int iRandomLength, unsigned char *pucRandomData);

/* ---- Key information, generation, derivation, export/import (KG, KR, KD, SH, SI, AM) -- */
/* Common arguments: a key is (index, cryptogram): index 1...9999 names a key in the HSM, 0
   takes the cryptogram (scheme letter + hex; SM4/AES keys under the LMK are 49 characters).
   Storage (iKeyIdx, pcKeyLabel): index <= 0 stores nothing, 9999 is "not stored", a label
   has at most 16 characters (HAR_PARAM_VALUE). Derivation (count, data): data must not be
   NULL ("" for 0 levels) and must be count x 32 hex characters (count x 16 in KD mode 0),
   else HAR_PARAM_DERIVE_DATA; count outside 0...99: HAR_PARAM_DERIVE_NUM. Outputs: key
   cryptograms 50 bytes, check values 17 (16H + NUL). */

/* AM (session-less): the clear key pcPlainKey (16/32/48 hex by cKeyScheme, else
   HAR_PARAM_LEN) plus an all-zero component, under the LMK; optionally stored. */
int HSM_IC_PutPlainKey(char *pcKeyType, char cKeyScheme, char *pcPlainKey, int iKeyIdx, char *pcKeyLabel, char *pcKeyCipherByLmk, char *pcKeyCv);

/* KG (session-less): what is stored at iKeyIdx (1...9999, else HAR_PARAM_KEY_ID): key type
   (3 characters, 4 bytes), scheme (1, 2 bytes), KCV (16H, 17), label (17; a longer one is
   cut to 16 characters), storage time
   (evsm: YYYYMMDDhhmmss UTC, 15 bytes; 100 bytes hold any device's). NULL outputs are
   skipped. HSM 12: nothing stored there. */
int HSM_IC_GetKeyInfo(int iKeyIdx, char *pcKeyType, char *pcKeyScheme, char *pcKeyCv, char *pcKeyLabel, char *pcTime);

/* KR (session-less): a random key under the LMK, optionally stored. KCV 16H. */
int HSM_IC_GenerateNewKey(char *pcKeyType, char cKeyScheme, int iKeyIdx, char *pcKeyLabel, char *pcKeyCipherByLmk, char *pcKeyCv);

/* KD (session-less): a key derived from the source key (PBOC / EMV option A): iDeriveMode 0
   takes iDeriveNumber (>= 1) factors of 16H (each F gives F || ~F), mode 1 factors of 32H;
   each level encrypts the data (ECB) under the previous level's key. Errors:
   HAR_PARAM_VALUE (mode), HAR_PARAM_DERIVE_NUM, HAR_PARAM_DERIVE_DATA, HSM codes. */
int HSM_IC_DeriveNewKey(char *pcSrcKeyType, int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, char *pcDstKeyType, char cDstKeyScheme, int iDeriveMode, int iDeriveNumber, char *pcDeriveFactor, int iDstKeyIdx, char *pcDstKeyLabel, char *pcDstKeyCipherByLmk, char *pcDstKeyCv);

/* SH: the key (Dst, optionally derived) encrypted under the protection key (Src, optionally
   derived; session mode 0...5 with 0/16/32 hex of data) in mode iEncryptMode (0 ECB, 1 CBC,
   else HAR_PARAM_ENC_MODE), after the key header (hex, at most 64 characters, else
   HAR_PARAM_KEY_HEADER; NULL = none). pcCipherDstKey: the cryptogram as hex (2 x bytes + 1;
   129 bytes hold a 32-byte header and a triple-length key). */
int HSM_IC_ExportCipherKey(void *hSessionHandle, int iEncryptMode, char *pcSrcKeyType, int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, int iSrcKeyDeriveNum, char *pcSrcKeyDeriveData, int iSrcSessionMode, char *pcSrcSessionData, char *pcDstKeyType, int iDstKeyIdx, char *pcDstKeyCipherByLmk, int iDstKeyDeriveNumber, char *pcDstKeyDeriveFactor, char *pcDstKeyHeader, char *pcCipherDstKey, char *pcDstKeyCv);

/* SI (session-less): a key from under the protection key (as SH) to under the LMK in
   cDstKeyScheme, optionally stored. pcDstKeyCipherByTk: the cryptogram as hex
   (HAR_PARAM_KEY_CIPHER if NULL, empty or not hex). cExpandFlg 'P' adds pcPad (2 digits: 00
   none, 01 80-then-zeros; else HAR_PARAM_PADDING_MODE), pcIV (CBC only: 16/32 hex, else
   HAR_PARAM_IV) and pcSrcKeyCv (the expected KCV, 16H; HSM 01 if it differs). */
int HSM_IC_ImportCipherKey(int iEncryptMode, char *pcSrcKeyType, int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, int iSrcKeyDeriveNum, char *pcSrcKeyDeriveData, int iSrcSessionMode, char *pcSrcSessionData, char *pcDstKeyType, char cDstKeyScheme, char *pcDstKeyCipherByTk, int iDstKeyIdx, char *pcDstKeyLabel, char *pcDstKeyHeader, char cExpandFlg, char *pcPad, char *pcIV, char *pcSrcKeyCv, char *pcDstKeyCipherByLmk, char *pcDstKeyCv);

/* ---- Symmetric data and MAC (S0, S3, S4, S5) ------------------------------------------- */
/* Common arguments: pcType the key type (3H, KEY_TYPE_*; HAR_PARAM_KEY_TYPE); the key
   (iKeyIdx 1...9999, or 0 and pcKeyCipherByLmk); pcDeriveData 32H per derivation level ("" or
   NULL for none; HAR_PARAM_DERIVE_DATA); iSessionKeyMode 0...5 with 0/16/32H of
   pcSessionData (HAR_PARAM_SESSION_KEY_MODE / _DATA); the padding 0...5, 10, 11
   (HAR_PARAM_PADDING_MODE); cipher mode 0 ECB, 1 CBC (IV 16H/32H, else HAR_PARAM_VALUE),
   2/3 sent as given (the HSM answers for them). */

/* S3: iInputLength (0...1968) bytes encrypted into pucOutputData (*piOutputLength bytes;
   the input plus at most one block). */
int HSM_IC_SymmKeyEncryptData(void *hSessionHandle, int iMode, char *pcType, int iKeyIdx, char *pcKeyCipherByLmk, char *pcDeriveData, int iSessionKeyMode, char *pcSessionData, int iPadMode, char *pcIV, unsigned char *pucInputData, int iInputLength, unsigned char *pucOutputData, int *piOutputLength);
/* S4: iInputLength (0...1984) bytes decrypted, the padding removed. */
int HSM_IC_SymmKeyDecryptData(void *hSessionHandle, int iMode, char *pcType, int iKeyIdx, char *pcKeyCipherByLmk, char *pcDeriveData, int iSessionKeyMode, char *pcSessionData, int iPadMode, char *pcIV, unsigned char *pucInputData, int iInputLength, unsigned char *pucOutputData, int *piOutputLength);
/* S5 (session-less): a cryptogram (0...1984 bytes) from the source side to the destination. */
int HSM_IC_SymmKeyTransferCipher(int iSrcEncMode, char *pcSrcKeyType, int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, char *pcSrcDeriveData, int iSrcSessionKeyMode, char *pcSrcSessionData, int iSrcPadMode, char *pcSrcIv, int iDstEncMode, char *pcDstKeyType, int iDstKeyIdx, char *pcDstKeyCipherByLmk, char *pcDstDeriveData, int iDstSessionKeyMode, char *pcDstSessionData, int iDstPadMode, char *pcDstIv, unsigned char *pucInputData, int iInputLength, unsigned char *pucOutputData, int *piOutputLength);

/* S0 (session-less): the MAC of iInputLength (0...4096) bytes. iMode 1 / 3 (ISO 9797-1
   algorithm), iMacType: (iMacType mod 10) x 2 hex characters, the whole block for 0; at most 3
   derivation levels; pcIV 16H/32H (HAR_PARAM_IV). pcMac: up to 32H + NUL (33 bytes);
   pcMacCiher (may be NULL): the 16H MAC cryptogram when the HSM sends one, else "". */
int HSM_IC_GeneralGenerateMac(int iMode, int iMacType, char *pcType, int iKeyIdx, char *pcKeyCipherByLmk, char *pcDeriveData, int iSessionKeyMode, char *pcSessionData, int iPadMode, unsigned char *pcInputData, int iInputLength, char *pcIV, char *pcMac, char *pcMacCiher);
/* S0 with MAC type 08 through a session: pcMac 16H + NUL. */
int HSM_IC_GenerateMac(void *hSessionHandle, int iMode, char *pcType, int iKeyIdx, char *pcKeyCipherByLmk, char *pcDeriveData, int iSessionKeyMode, char *pcSessionData, int iPadMode, unsigned char *pcInputData, int iInputLength, char *pcIV, char *pcMac);
/* S0 (session-less) with MAC type 10 (16-byte-block keys): pcMac the whole MAC, 32H under
   SM4/AES keys (16H under DES keys) + NUL. */
int HSM_IC_GenerateMac_SM4(int iMode, char *pcType, int iKeyIdx, char *pcKeyCipherByLmk, char *pcDeriveData, int iSessionKeyMode, char *pcSessionData, int iPadMode, unsigned char *pcInputData, int iInputLength, char *pcIV, char *pcMac);

/* ---- EMV / PBOC (K6, K2, K4, KX), session-less ------------------------------------------- */
/* MDK (type 109): iKeyIdx 1...9999, or 0 and the key under the LMK. pcPAN: digits, the
   rightmost 16 (a shorter one is left-padded with 0); pcAtc 4H. Errors as the Tass_* EMV
   functions of hsmapi.h. */
/* K6 mode 0: returns 0, or 1 with the 16H diagnostic written over pcArqc. pcData 2...510 hex. */
int HSM_IC_VerifyArqc(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcArqc);
/* K6 mode 2: the ARPC (16H, 17 bytes) into pcArpc: the reply's whole payload, at most 16
   characters (HAR_MEM_LENLESS). */
int HSM_IC_GenerateArpc(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcArqc, char *pcArc, char *pcArpc);
/* K2: issuer script data (2...8190 hex characters) encrypted: the reply's whole payload (hex)
   into pcCipher, at most the data rounded up to the MDK's block (8 DES, 16 SM4/AES or an
   index) x2 characters (HAR_MEM_LENLESS). */
int HSM_IC_EncryptPbocScript(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcCipher);
/* K4: the issuer script MAC (16H, 17 bytes) into pcMac: the reply's whole payload, at most
   16 characters (HAR_MEM_LENLESS). */
int HSM_IC_GeneratePbocScriptMac(int iKeyIdx, char *pcKeyCipherByLmk, char *pcPAN, char *pcAtc, char *pcData, char *pcMac);
/* K6 mode 1: rv 0 with the ARPC, rv 1 with the diagnostic, in pcOutput (17 bytes): the
   reply's whole payload, at most 16 characters (HAR_MEM_LENLESS). */
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
