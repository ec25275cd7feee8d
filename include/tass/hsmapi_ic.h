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

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_IC_H */
