/*
 * hsmapi_asym.h - the HSM_SM2_* and HSM_RSA_* functions of the TASS SJJ1310 interface
 * (libcacipher-tass). Binary in and out: DER public keys (SM2: SubjectPublicKeyInfo, 91
 * bytes 30 59 ...), private keys as the HSM's blob under the LMK with its length (evsm: 40
 * bytes for SM2). A key index <= 0 or 9999 means "use the key passed in the call"; 1...9998
 * names a pair held in the HSM. Errors: HAR_PARAM_ISNULL, HAR_PARAM_LEN, HAR_PARAM_KEY_ID,
 * HAR_DER_DECODE (a public key that is not SM2 DER), or the HSM's code (1...99).
 */
#ifndef CACIPHER_TASS_HSMAPI_ASYM_H
#define CACIPHER_TASS_HSMAPI_ASYM_H

#include "hsmapi_define.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- SM2 (E7, E1, E2, E3, E4, E5, E6, TT, TU, TQ, TX, TY) -------------------------------- */
/* E7: a new pair; iKeyIndex 1...9998 also stores it (label <= 16), <= 0 or 9999 does not.
   Outputs: DER public key (91 bytes) and the private key blob under the LMK (buffers of at
   least 128 and 2048 bytes), with their lengths. */
int HSM_SM2_GenerateNewKeyPair( void *hSessionHandle, int iKeyIndex, char *pcKeyLabel, unsigned char *pucDerPublicKey /*out*/, int *piDerPublicKeyLen /*out*/, unsigned char *pucPrivateKey_Lmk /*out*/, int *piPrivateKeyLen_Lmk /*out*/);
/* E1 (session-less): store a pair at iKeyIndex 1...9998 (HAR_PARAM_KEY_ID otherwise). */
int HSM_SM2_LoadKeyPair( int iKeyIndex, char *pcKeyLabel, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucPrivateKey_Lmk, int iPrivateKeyLen_Lmk );
/* E2 (session-less): the DER public key (91 bytes) of the pair at iKeyIndex 1...9998. */
int HSM_SM2_GetPublicKey( int iKeyIndex, unsigned char *pucDerPublicKey /*out*/, int *piDerPublicKeyLen /*out*/);
/* E3: encrypt 1...1900 bytes (HAR_PARAM_LEN otherwise); output C1 || C3 || C2, 97 bytes
   longer than the input. */
int HSM_SM2_EncryptData( void *hSessionHandle, int iKeyIndex, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucInput, int iInputLength, unsigned char *pucOutput /*out*/, int *piOutputLength /*out*/);
/* E4: decrypt C1 || C3 || C2 (98...1996 bytes); output the plaintext. */
int HSM_SM2_DecryptData(void *hSessionHandle, int iKeyIndex, unsigned char *pucPrivateKey_Lmk, int iPrivateKeyLen_Lmk, unsigned char *pucInput, int iInputLength, unsigned char *pucOutput /*out*/, int *piOutputLength /*out*/);
/* E5 (session-less): SM3 over Z || data (0...1984 bytes; user id empty = 1234567812345678);
   output r || s (64 bytes). A carried key needs both its DER public key and its blob. */
int HSM_SM2_GenerateSignature( int iKeyIndex, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucPrivateKey_Lmk, int iPrivateKeyLen_Lmk, unsigned char *pucUserId, int iUserIdLength, unsigned char *pucInput, int iInputLength, unsigned char *pucSignature /*out*/, int *piSignatureLength /*out*/);
/* E6 (session-less): 0 = valid, 1 (the HSM's verification code) = does not verify. The
   signature is 64 bytes r || s. */
int HSM_SM2_VerifySignature( int iKeyIndex, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucUserId, int iUserIdLength, unsigned char *pucInput, int iInputLength, unsigned char *pucSignature, int iSignatureLength );
/* TT: the private key under a transport key (pcTkType "000" KEK or "109" MDK; iMode 0 ECB,
   1 CBC; pcTkDeriveData iTkDeriveNumber x 32H, "" for none). Output d under the TK (32
   bytes). HAR_PARAM_ENC_MODE, HAR_PARAM_KEY_TYPE, HAR_PARAM_DERIVE_NUM/_DATA. */
int HSM_SM2_ExportByTK( void *hSessionHandle, int iMode, char *pcTkType, int iTkIndex, char *pcTk_Lmk, int iTkDeriveNumber, char *pcTkDeriveData, int iSm2KeyIndex, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucPrivateKey_Lmk, int iPrivateKeyLen_Lmk, unsigned char *pucPrivateKey_Tk /*out*/, int *piPrivateKeyLen_Tk /*out*/);
/* TU (session-less): a private key from under a transport key, with its DER public key;
   output the blob under the LMK. iSm2KeyIndex 1...9998 also stores it. */
int HSM_SM2_ImportByTK( int iMode, char *pcTkType, int iTkIndex, char *pcTk_Lmk, int iTkDeriveNumber, char *pcTkDeriveData, int iSm2KeyIndex, char *pcSm2KeyLabel, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucPrivateKey_Tk, int iPrivateKeyLen_Tk, unsigned char *pucPrivateKey_Lmk /*out*/, int *piPrivateKeyLen_Lmk /*out*/);
/* TQ (session-less): the 4-byte MAC of a DER public key and authentication data (1...4096
   bytes, no ';'); *piMacLen = 4. */
int HSM_SM2_GeneratePublicKeyMac( unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucAuthData, int iAuthDataLen, unsigned char *pucMac /*out*/, int *piMacLen /*out*/);
/* TX (session-less): a key (pcKeyType "000", "00A" or "109"; DERIVE iKeyDeriveNumber x 32H)
   under an SM2 public key: the pair at iSm2KeyIndex, or (index <= 0 or 9999) the DER public
   key with its authentication data and TQ MAC (4 bytes; a wrong MAC is the HSM's 1).
   Outputs: the key under SM2 (C1 || C3 || C2) and its length, the KCV (17 bytes). */
int HSM_SM2_ExportSymmetricKey( char *pcKeyType, int iKeyIndex, char *pcKey_Lmk, int iKeyDeriveNumber, char *pcKeyDeriveData, int iSm2KeyIndex, unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucAuthData, int iAuthDataLen, unsigned char *pucMac, unsigned char *pucCipherKey /*out*/, int *piCipherKeyLen /*out*/, char *pcKeyCv /*out*/);
/* TY (session-less): a key under SM2 to under the LMK as pcKeyType / cKeyScheme; iKeyIndex
   1...9998 also stores it. Outputs: the key under the LMK (50 bytes), the KCV (17 bytes). */
int HSM_SM2_ImportSymmetricKey( char *pcKeyType, char cKeyScheme, int iKeyIndex, char *pcKeyLabel, int iSm2KeyIndex, unsigned char *pucPrivateKey_Lmk, int iPrivateKeyLen_Lmk, unsigned char *pucCipherKey, int iCipherKeyLen, char *pcKey_Lmk /*out*/, char *pcKeyCv /*out*/);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_ASYM_H */
