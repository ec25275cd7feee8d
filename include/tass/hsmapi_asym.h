/*
 * hsmapi_asym.h - the HSM_SM2_* and HSM_RSA_* functions of the TASS SJJ1310 interface
 * (libcacipher-tass). Binary in and out: DER public keys (SM2: SubjectPublicKeyInfo, 91
 * bytes 30 59 ...), private keys as the HSM's blob under the LMK with its length (evsm: 40
 * bytes for SM2). A key index <= 0 or 9999 means "use the key passed in the call"; 1...9998
 * names a pair held in the HSM. Errors: HAR_PARAM_ISNULL, HAR_PARAM_LEN, HAR_PARAM_KEY_ID,
 * HAR_DER_DECODE (a public key that is not SM2 DER), or the HSM's code (1...99).
 * A function is declared here exactly when libcacipher-tass provides it (docs/vendor-compat.md),
 * so a program that calls a missing one fails to build rather than failing at run time.
 */
/* The vendor's include guard (__HSMAPI_ASYM_H__) is honoured and set too: a program that also
   includes its own copy of the vendor's header gets one set of definitions. */
#if !defined(CACIPHER_TASS_HSMAPI_ASYM_H) && !defined(__HSMAPI_ASYM_H__)
#define CACIPHER_TASS_HSMAPI_ASYM_H
#define __HSMAPI_ASYM_H__

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
/* ---- RSA (HSM_RSA_*; EI ER 3A 3B EW EY; vendor spec section 13) ---------------------------
 * Binary arguments. A key index <= 0 (or 9999) means the key travels in the call: the DER
 * PKCS#1 RSAPublicKey, or the private key under the LMK (an opaque blob, about 660 bytes
 * for 1024 bits, 1250 for 2048, 2400 for 4096). Outputs: DER public key up to 526 bytes,
 * ciphertexts and signatures the modulus length (up to 512). Errors: HAR_PARAM_ISNULL,
 * HAR_PARAM_LEN, HAR_PARAM_KEY_ID, HAR_PARAM_VALUE, HAR_PARAM_PADDING_MODE, HAR_DER_DECODE,
 * or the HSM's code (10 blob of another device / altered, 12 no key at the index, 15 bad
 * input, 27 not an RSA pair or the key's usage forbids it, 80 data length). */
/* EI: generate (usage any); iKeyIndex 1..9998 also stores with pcKeyLabel (<= 16 chars).
 * iModulusBits 1024..4096 (multiple of 8); iPubE 3, or 0 / 65537 for 65537. */
int HSM_RSA_GenerateNewKeyPair(void *hSessionHandle, int iKeyIndex, char *pcKeyLabel, int iModulusBits, int iPubE,
                               unsigned char *pucDerPublicKey /*out*/, int *piDerPublicKeyLen /*out*/,
                               unsigned char *pucPrivateKey_Lmk /*out*/, int *piPrivateKeyLen_Lmk /*out*/);
/* EO: the 4-byte MAC of a DER public key and up to 128 bytes of auth data (no ';'), which
 * HSM_RSA_ExportSymmetricKey needs with that key. *piMacLen = 4. */
int HSM_RSA_GeneratePublicKeyMac(unsigned char *pucDerPublicKey, int iDerPublicKeyLen, unsigned char *pucAuthData,
                                 int iAuthDataLen, unsigned char *pucMac /*out*/, int *piMacLen /*out*/);
/* TV: a key (pcKeyType, KEY iKeyIndex / pcKey_Lmk, derived over iKeyDeriveNumber levels of
 * 32 hex) under an RSA public key, PKCS#1 v1.5: iRsaKeyIndex 1..9998, or <= 0 with the DER
 * key, its auth data and its 4-byte EO MAC (pucMac; HSM 01 when it does not verify).
 * Outputs: the cryptogram (modulus length) and the KCV (16 hex + NUL). */
int HSM_RSA_ExportSymmetricKey(char *pcKeyType, int iKeyIndex, char *pcKey_Lmk, int iKeyDeriveNumber, char *pcKeyDeriveData,
                               int iRsaKeyIndex, unsigned char *pucDerPublicKey, int iDerPublicKeyLen,
                               unsigned char *pucAuthData, int iAuthDataLen, unsigned char *pucMac,
                               unsigned char *pucCipherKey /*out*/, int *piCipherKeyLen /*out*/, char *pcKeyCv /*out*/);
/* TW: a key from under an RSA public key (private key usage 1 or 2), put under the LMK of
 * pcKeyType in cKeyScheme; iKeyIndex 1..9998 also stores it with pcKeyLabel (<= 16).
 * Outputs: the key under the LMK (scheme letter + hex, 50 bytes) and the KCV (17 bytes). */
int HSM_RSA_ImportSymmetricKey(char *pcKeyType, char cKeyScheme, int iKeyIndex, char *pcKeyLabel, int iRsaKeyIndex,
                               unsigned char *pucPrivateKey_Lmk, int iPrivateKeyLen_Lmk, unsigned char *pucCipherKey,
                               int iCipherKeyLen, char *pcKey_Lmk /*out*/, char *pcKeyCv /*out*/);
/* ER: the DER public key of the pair at iKeyIndex (1..9998). */
int HSM_RSA_GetPublicKey(int iKeyIndex, unsigned char *pucDerPublicKey /*out*/, int *piDerPublicKeyLen /*out*/);
/* 3A: public-key encryption; iPaddingMode 0 none (input = modulus length), 1 PKCS#1 v1.5,
 * 2 OAEP (SHA-1, MGF1-SHA-1, empty label); input at most 512 bytes. */
int HSM_RSA_EncryptData(void *hSessionHandle, int iPaddingMode, int iKeyIndex, unsigned char *pucDerPublicKey,
                        int iDerPublicKeyLen, unsigned char *pucInput, int iInputLength,
                        unsigned char *pucOutput /*out*/, int *piOutputLength /*out*/);
/* 3B: private-key decryption; input 128..512 bytes (the modulus length). */
int HSM_RSA_DecryptData(void *hSessionHandle, int iPaddingMode, int iKeyIndex, unsigned char *pucPrivateKey_Lmk,
                        int iPrivateKeyLen_Lmk, unsigned char *pucInput, int iInputLength,
                        unsigned char *pucOutput /*out*/, int *piOutputLength /*out*/);
/* EW: signature; iHashMode HASH_MODE_SHA1/SHA224/SHA256/SHA384/SHA512/SM3, iPaddingMode 1
 * PKCS#1 v1.5, 2 PSS (salt = hash length; not with SM3); input at most 1984 bytes. */
int HSM_RSA_GenerateSignature(int iHashMode, int iPaddingMode, int iKeyIndex, unsigned char *pucPrivateKey_Lmk,
                              int iPrivateKeyLen_Lmk, unsigned char *pucInput, int iInputLength,
                              unsigned char *pucSignature /*out*/, int *piSignatureLength /*out*/);
/* EY: 0 valid, 1 invalid (the HSM's 01). */
int HSM_RSA_VerifySignature(int iHashMode, int iPaddingMode, int iKeyIndex, unsigned char *pucDerPublicKey,
                            int iDerPublicKeyLen, unsigned char *pucInput, int iInputLength,
                            unsigned char *pucSignature, int iSignatureLength);
/* TR: a private key (iRsaKeyIndex 1..9998, or the blob) under a protection key of type
 * pcTkType 000 (KEK) or 109 (MDK), KEY iTkIndex / pcTk_Lmk, derived over iTkDeriveNumber
 * levels of pcTkDeriveData (32 hex each; HAR_PARAM_DERIVE_DATA otherwise), iMode 0 ECB / 1
 * CBC. pcExpandFlg "P" sends the extension (pcPADFlg "00", iOutPublicKeyFlg 0 DER / 1 m and
 * e, pcIV 16/32 hex or ""), "" none; NULL is HAR_PARAM_ISNULL. Outputs binary: the DER
 * public key (or m and e), then d, p, q, dP, dQ, qInv under the key, each left-padded with
 * zero bytes to whole blocks (CBC restarts from the IV, zero without one, per component). */
int HSM_RSA_ExportRSAKey(void *hSessionHandle, int iMode, char *pcTkType, int iTkIndex, char *pcTk_Lmk, int iTkDeriveNumber,
                         char *pcTkDeriveData, int iRsaKeyIndex, unsigned char *pucPrivateKey, int iPrivateKeyLen,
                         char *pcExpandFlg, char *pcPADFlg, int iOutPublicKeyFlg, char *pcIV,
                         unsigned char *pucDerPublicKey /*OUT*/, int *piDerPublicKeyLen /*OUT*/,
                         unsigned char *pucPublicKey_m /*OUT*/, int *piPublicKey_mLen /*OUT*/,
                         unsigned char *pucPublicKey_e /*OUT*/, int *piPublicKey_eLen /*OUT*/,
                         unsigned char *pucPrivateKey_d /*OUT*/, int *piPrivateKey_dLen /*OUT*/,
                         unsigned char *pucPrivateKey_p /*OUT*/, int *piPrivateKey_pLen /*OUT*/,
                         unsigned char *pucPrivateKey_q /*OUT*/, int *piPrivateKey_qLen /*OUT*/,
                         unsigned char *pucPrivateKey_dp /*OUT*/, int *piPrivateKey_dpLen /*OUT*/,
                         unsigned char *pucPrivateKey_dq /*OUT*/, int *piPrivateKey_dqLen /*OUT*/,
                         unsigned char *pucPrivateKey_qInv /*OUT*/, int *piPrivateKey_qInvLen /*OUT*/);
/* TS: the inverse (CBC with a zero IV): returns the blob under the LMK; iRsaKeyIndex
 * 1..9998 also stores the pair with the tag (<= 16 printable bytes). HSM 15 when the
 * components do not form the public key's private key. */
int HSM_RSA_ImportByTk(int iMode, char *pcTkType, int iTkIndex, char *pcTk_Lmk, int iTkDeriveNumber, char *pcTkDeriveData,
                       int iRsaKeyIndex, unsigned char *pucRsaKeyTag, int iRsaKeyTagLen, unsigned char *pucPublicKey,
                       int iPublicKeyLen, unsigned char *pucPrivateKey_d, int iPrivateKey_dLen, unsigned char *pucPrivateKey_p,
                       int iPrivateKey_pLen, unsigned char *pucPrivateKey_q, int iPrivateKey_qLen,
                       unsigned char *pucPrivateKey_dp, int iPrivateKey_dpLen, unsigned char *pucPrivateKey_dq,
                       int iPrivateKey_dqLen, unsigned char *pucPrivateKey_qInv, int iPrivateKey_qInvLen,
                       unsigned char *pucPrivateKey_Lmk /*out*/, int *piPrivateKeyLen_Lmk /*out*/);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_ASYM_H */
