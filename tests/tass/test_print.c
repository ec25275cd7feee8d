/* test_print.c - PA, A2, A3: the printing functions send their command (evsm has no printer
   and answers 68, command not supported, which they return) and check their arguments. */
#include "harness.h"

TASS_TEST(print_functions, "Tass_SetPrintFormat, Tass_GenPrintRandkey, HSM_RCL_LoadFormatData/_GenAndPrintKeyElement/_GenAndPrintKey: sent (68 from evsm), argument errors") {
    char k[50], c[17];
    static char big[1100];
    memset(big, 'A', sizeof big - 1);
    CHECK_RC(Tass_SetPrintFormat(NULL), 68);
    CHECK_RC(Tass_SetPrintFormat(">L>010^P>L"), 68);
    CHECK_RC(Tass_SetPrintFormat(big), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_LoadFormatData(">L^P"), 68);
    CHECK_RC(HSM_RCL_LoadFormatData(NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_LoadFormatData(big), HAR_PARAM_LEN);
    CHECK_RC(Tass_GenPrintRandkey(KEY_TYPE_ZPK, 'U', "branch 12", k, c), 68);
    CHECK_RC(Tass_GenPrintRandkey(KEY_TYPE_ZPK, 'U', NULL, k, c), 68);
    CHECK_RC(Tass_GenPrintRandkey("0Z1", 'U', NULL, k, c), HAR_PARAM_KEY_TYPE);
    CHECK_RC(Tass_GenPrintRandkey(KEY_TYPE_ZPK, 'W', NULL, k, c), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(Tass_GenPrintRandkey(KEY_TYPE_ZPK, 'U', NULL, NULL, c), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_GenAndPrintKeyElement(KEY_TYPE_KEKZMK, 'U', "ZMK component 1", k, c), 68);
    CHECK_RC(HSM_RCL_GenAndPrintKeyElement(KEY_TYPE_KEKZMK, 'U', big, k, c), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_GenAndPrintKey(0, KEY_TYPE_ZPK, 'U', 0, 30, 10, "x", k, c), 68);
    CHECK_RC(HSM_RCL_GenAndPrintKey(1, NULL, 'U', 2, 30, 10, "x", k, c), 68);
    CHECK_RC(HSM_RCL_GenAndPrintKey(1, NULL, 'U', 0, 30, 10, "x", k, c), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_GenAndPrintKey(0, KEY_TYPE_ZPK, 'U', 0, 100, 10, "x", k, c), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenAndPrintKey(0, KEY_TYPE_ZPK, 'U', 0, 30, 10, "x", k, NULL), HAR_PARAM_ISNULL);
}
