/*
 * hsmapi_asym.h - the HSM_SM2_* and HSM_RSA_* functions of the TASS SJJ1310 interface.
 * libcacipher-tass does not provide them yet (they need the vendor's SM2 and RSA command
 * layouts in the emulator; docs/vendor-compat.md): this header declares none, so a program
 * that calls one fails to build rather than failing at run time.
 */
#ifndef CACIPHER_TASS_HSMAPI_ASYM_H
#define CACIPHER_TASS_HSMAPI_ASYM_H

#include "hsmapi_define.h"

#endif /* CACIPHER_TASS_HSMAPI_ASYM_H */
