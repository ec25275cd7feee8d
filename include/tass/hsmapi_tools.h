/*
 * hsmapi_tools.h - the helpers of the vendor's hsmapi_tools.h that its own test programs call
 * (its binary exports them), as implemented by libcacipher-tass. They talk to no HSM.
 * hsmapi.h does not include this header (the vendor's did not either).
 */
/* The vendor's include guard (__HSMAPI_TOOLS_H__) is honoured and set too. */
#if !defined(CACIPHER_TASS_HSMAPI_TOOLS_H) && !defined(__HSMAPI_TOOLS_H__)
#define CACIPHER_TASS_HSMAPI_TOOLS_H
#define __HSMAPI_TOOLS_H__

#ifdef __cplusplus
extern "C" {
#endif

/* iInBufLen bytes as upper-case hex and a NUL in pcOutBuf (2 * iInBufLen + 1 bytes).
   Returns the hex length, or -1 (NULL pointer, negative length). */
int Tools_ConvertByte2HexStr(unsigned char *pucInBuf, int iInBufLen, char *pcOutBuf);

/* The first iInBufLen hex characters of pcInBuf (either case, an even count) as bytes in
   pucOutBuf (iInBufLen / 2 bytes). Returns the byte count, or -1 (NULL pointer, odd or
   negative length, a non-hex character, the string shorter than iInBufLen). */
int Tools_ConvertHexStr2Byte(char *pcInBuf, int iInBufLen, unsigned char *pucOutBuf);

/* The DER RSAPublicKey (SEQUENCE { INTEGER n, INTEGER e }) of the hex modulus N and exponent
   E in pubkeyDer (N/2 + E/2 + 12 bytes suffice), its length in *pubkeyDerLen (output).
   Returns 0, HAR_PARAM_ISNULL, HAR_HEX_TO_BYTE (odd length, not hex) or HAR_PARAM_LEN (empty,
   or N over 4096 bits). */
int Tools_Der(char *N, char *E, unsigned char *pubkeyDer, int *pubkeyDerLen);

/* pcTitle on a line, then iBufLen bytes of pucBuf as rows of 16 (offset, hex, printable
   characters) on stdout; a NULL buffer or a length <= 0 prints the title only. */
void Tools_PrintBuf(char *pcTitle, unsigned char *pucBuf, int iBufLen);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_TOOLS_H */
