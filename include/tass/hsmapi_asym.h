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

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_ASYM_H */
