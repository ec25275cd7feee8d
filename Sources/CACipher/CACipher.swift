/// CACipher: the C ABI of libcacipher (see include/cacipher.h).
import CACipherCore
