/*
 * A stand-in for a program's own copy of the vendor's constants header, as programs keep it
 * in their source tree: the vendor's include guard and its unparenthesised macro style
 * (vendor spec 1.1; written for this test, a few values only). tests/tass/run.sh compiles a
 * program that includes it before and after <hsmapi.h>, with warnings as errors.
 */
#ifndef __HSM_API_DEFINE_H__
#define __HSM_API_DEFINE_H__

#define HAR_OK                        0x00000000
#define HAR_BASE                      0x06000000
#define HAR_SOCK_CONNECT              HAR_BASE + 0x00000002
#define HAR_PARAM_ISNULL              HAR_BASE + 0x00000029
#define KEY_TYPE_ZPK                  "001"

#endif
