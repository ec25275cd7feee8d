/*
 * hsmapi_asym.h - the HSM_SM2_* and HSM_RSA_* functions of the TASS SJJ1310 interface.
 * A function is declared here exactly when libcacipher-tass provides it (docs/vendor-compat.md),
 * so a program that calls a missing one fails to build rather than failing at run time.
 */
#ifndef CACIPHER_TASS_HSMAPI_ASYM_H
#define CACIPHER_TASS_HSMAPI_ASYM_H

#include "hsmapi_define.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_ASYM_H */
