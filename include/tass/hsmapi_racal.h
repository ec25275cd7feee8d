/*
 * hsmapi_racal.h - the HSM_RCL_* functions (Racal / payShield-style host commands) of the
 * TASS SJJ1310 interface (libcacipher-tass). See hsmapi.h for the conventions. At this
 * layer a key argument (index, cryptogram) takes any index 1...9999 (K + 4N) or, with index
 * 0, a cryptogram of any length its scheme allows.
 */
/* The vendor's include guard (__HSM_API_RACAL_H__) is honoured and set too: a program that also
   includes its own copy of the vendor's header gets one set of definitions. */
#if !defined(CACIPHER_TASS_HSMAPI_RACAL_H) && !defined(__HSM_API_RACAL_H__)
#define CACIPHER_TASS_HSMAPI_RACAL_H
#define __HSM_API_RACAL_H__

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
/* JG: a PIN under the LMK as a PIN block (16H/32H) under the ZPK in format iPinFmt: the
   reply's whole payload (33 bytes; longer than 32 characters HAR_MEM_LENLESS). */
int HSM_RCL_TransferCipherPin_Lmk2Zpk(void *hSessionHandle, int iZpkIdx, char *pcZpkCipherByLmk, int iPinFmt, char *pcPAN, char *pcPinCipherByLmk, char *pcPinCipherByZpk);
/* JE: a PIN block under the ZPK as a PIN under the LMK: the reply's whole payload (128
   bytes; longer than 127 characters HAR_MEM_LENLESS). */
int HSM_RCL_TransferCipherPin_Zpk2Lmk(void *hSessionHandle, int iZpkIdx, char *pcZpkCipherByLmk, int iPinFmt, char *pcPAN, char *pcPinCipherByZpk, char *pcPinCipherByLmk);
/* TI (session-less): a PIN block from one ZPK to another: the reply's whole payload (33
   bytes; longer than 32 characters HAR_MEM_LENLESS). */
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

/* ---- Key printing (PA, A2, A3; session-less). They print on the HSM's printer and are
   never re-sent to another member after a failure that may have reached one. evsm has no
   printer and answers 68 (command not supported), which these functions return. -------- */
/* PA: loads the print format (at most 1024 characters). */
int HSM_RCL_LoadFormatData(char *pcFormatData);
/* A2: generates and prints a key component; returns it under the LMK and its check value as
   8 characters (9 bytes). pcPrintDomain: at most 1024 characters. */
int HSM_RCL_GenAndPrintKeyElement(char *pcKeyType, char cKeyFlg, char *pcPrintDomain, char *pcKeyCipherByLmk, char *pcKCV);
/* A3: generates a random key and prints its components. iGenMode 0: a key of pcKeyType /
   cKeyScheme, returned under the LMK; another mode: a component of iKeyComponentLen, as hex.
   iKeyCvAlg, iGetKeyCvType: 0...99, sent as 2N. Check value 16H. */
int HSM_RCL_GenAndPrintKey(int iGenMode, char *pcKeyType, char cKeyScheme, int iKeyComponentLen, int iKeyCvAlg, int iGetKeyCvType, char *pcPrintDomain, char *pcKeyCipher, char *pcKeyCv);

/* ---- Card and PIN verification values (CW, CY, DG, DE, EA, JA) ------------------------ */
/* Session-less. A key argument also takes, with index 0, a bare 32H CVK as payShield's
   CVK A || CVK B (two single-length keys of type 402 under the LMK). HSM errors pass
   through: 10 a key of another type, 27 a CVK that is not double-length (or a K index of
   another type), 26 an SM4/AES key, 20 a PIN under LMK for another account. */
/* JA: a random PIN of iPinLength (4...12) digits for the account, under the LMK
   (pcPinCipherByLmk: 16H and a NUL; 128 bytes). HAR_PARAM_VALUE for another length. */
int HSM_RCL_GenerateRandomPin(char *pcPAN, int iPinLength, char *pcPinCipherByLmk);
/* DE: the IBM 3624 offset of a PIN under the LMK (pcPinOffset: 12H, one digit per PIN digit
   then F, and a NUL; 13 bytes). iMinLength: the check length 4...12 (HAR_PARAM_VALUE);
   pcDecimalTable 16 digits; pcPinVerifyData 12 characters, hex and one N (the last 5
   account digits go there). HSM 24: the PIN is shorter than iMinLength. */
int HSM_RCL_GenerateIBMPinOffset(int iPvkIdx, char *pcPvkCipherByLmk, char *pcPinCipherByLmk, int iMinLength, char *pcPAN, char *pcDecimalTable, char *pcPinVerifyData, char *pcPinOffset);
/* EA: 0 when the PIN block (16H/32H under the ZPK, format iPinFormat) verifies against the
   IBM offset (12H, or just its digits: at least iMinLength), 1 (the HSM's code) when not.
   HSM 10 ZPK, 11 PVK of another type; 24 PIN longer than 12. */
int HSM_RCL_VerifyZonePinBlock_PinOffset(int iZpkIdx, char *pcZpkCipherByLmk, int iPvkIdx, char *pcPvkCipherByLmk, char *pcPinBlock_Zpk, int iPinFormat, int iMinLength, char *pcPAN, char *pcDecimalTable, char *pcPinVerifyData, char *pcPinOffset);
/* DG: the Visa PVV (pcPVV: 4 digits and a NUL; 5 bytes). iPvkID 0...15 (10...15 sent as
   A...F), else HAR_PARAM_KEY_ID. */
int HSM_RCL_GeneratePVV(int iPvkIdx, char *pcPvkCipherByLmk, int iPvkID, char *pcPinCipherByLmk, char *pcPAN, char *pcPVV);
/* CW: the Visa CVV (pcCVV: 3 digits and a NUL; 4 bytes). pcPAN: the full PAN, 8...19
   digits (HAR_PARAM_LEN, HAR_PARAM_PAN); pcExpirationDate 4 digits (YYMM), pcServiceCode 3
   (HAR_PARAM_LEN, HAR_PARAM_VALUE). */
int HSM_RCL_GenerateCVV(int iCvkIdx, char *pcCvk_Lmk, char *pcPAN, char *pcExpirationDate, char *pcServiceCode, char *pcCVV);
/* CY: 0 when pcCVV (3 digits) is the card's CVV, 1 (the HSM's code) when not. */
int HSM_RCL_VerifyCVV(int iCvkIdx, char *pcCvk_Lmk, char *pcPAN, char *pcExpirationDate, char *pcServiceCode, char *pcCVV);

/* ---- Data and MACs (E0, UQ, MS) -------------------------------------------------------- */
/* E0 (session-less): encrypt (HSM_RCL_EncryptData, at most 1968 input bytes) or decrypt
   (HSM_RCL_DecryptData, at most 1984) with a ZEK (00A). iBlockFlg 0 only, 1 first, 2 middle,
   3 last; iAlgoMode 0 ECB, 1 CBC (any non-zero value sends the IV; the HSM answers 15 for
   others). The padding is 180000: 80 then zeros on the only/last block when encrypting,
   removed when decrypting. pucIv: iIvLength (8 or 16 binary, 16 or 32 hex characters) bytes,
   sent as given when iAlgoMode != 0; for block flags 1 and 2 the next IV (same form and
   length) is written back. pucOutput / *piOutputLength: the binary result (the input length
   plus up to one block). Errors: HAR_PARAM_VALUE (flags), HAR_PARAM_LEN (lengths),
   HAR_PARAM_ISNULL, HAR_PARAM_KEY_ID, HAR_PARAM_KEY_CIPHER, the HSM's code (10 not a ZEK,
   15, 80). */
int HSM_RCL_EncryptData(int iBlockFlg, int iAlgoMode, int iZekIdx, char *pcZekCipherByLmk, unsigned char *pucIv, int iIvLength, unsigned char *pucInput, int iInputLength, unsigned char *pucOutput, int *piOutputLength);
int HSM_RCL_DecryptData(int iBlockFlg, int iAlgoMode, int iZekIdx, char *pcZekCipherByLmk, unsigned char *pucIv, int iIvLength, unsigned char *pucInput, int iInputLength, unsigned char *pucOutput, int *piOutputLength);
/* UQ (session-less): the UnionPay POS MAC with a ZPK (001) of pucInput (at most 4095 bytes).
   The IV (iIvLength bytes, hex or binary: the chaining value of the previous part) is sent
   for block flags 2 and 3 only. iMacLen: hex characters of MAC wanted (8 = the UnionPay MAC,
   up to 16; 32 with SM4/AES). pcOutput: the reply's whole payload (the MAC, or for flags 1/2
   the chaining value, as hex) and a NUL (33 bytes; longer than 32 HAR_MEM_LENLESS). */
int HSM_RCL_ZpkGenCbcMac(int iBlockFlg, int iZpkIdx, char *pcZpkCipherByLmk, unsigned char *pucIv, int iIvLength, unsigned char *pucInput, int iInputLength, int iMacLen, char *pcOutput);
/* MS (session-less): the ANSI X9.9 (single DES) / X9.19 (double DES) MAC with a TAK
   (iKeyType 0) or ZAK (1), zero padding. iKeyLength 0 single, 1 double (or SM4/AES); 2
   triple; it must match the key. iDataType 0 binary, 1 hex. The IV (iIvLength bytes, hex or
   binary; zeros for a new message) is always sent. pucOutput / *piOutputLength: the reply as
   the HSM sends it, the MAC as hex characters (16, or 32 with SM4/AES), no NUL. */
int HSM_RCL_ZakAndTakGenCbcMac(int iBlockFlg, int iKeyType, int iKeyLength, int iDataType, int iKeyIdx, char *pcKey_Lmk, unsigned char *pucIv, int iIvLength, unsigned char *pucInput, int iInputLength, unsigned char *pucOutput, int *piOutputLength);

/* ---- Key conversion and clear components (AN, AM) ------------------------------------- */
/* AN (session-less): the source key re-encrypted under the LMK of pcDstKeyType in
   cDstScheme. The HSM decides which type pairs it converts (evsm: the same type, TAK<->ZAK,
   ZEK<->TEK; never to or from 000 or 002: HSM 27). Outputs 50 and 17 bytes. */
int HSM_RCL_KeyTypeConversion(char *pcSrcKeyType, int iSrcKeyIdx, char *pcSrcKeyCipherByLmk, char *pcDstKeyType, char cDstScheme, char *pcDstKeyCipherByLmk, char *pcDstKeyCv);
/* AM (session-less): a key formed from iElementCount (1...99, else HAR_PARAM_ELEMENT_NUM)
   clear components concatenated in pcElement (each 16/32/48 hex by cDstScheme; another
   total length is HAR_PARAM_LEN), XORed; stored when iKeyIdx is not 0. */
int HSM_RCL_SynthesisKeyByPlaintext(char *pcKeyType, char cDstScheme, int iElementCount, char *pcElement, int iKeyIdx, char *pcKeyLabel, char *pcKeyCipherByLmk, char *pcKeyCv);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_RACAL_H */
