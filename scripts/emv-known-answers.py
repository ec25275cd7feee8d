# Usage: python3 scripts/emv-known-answers.py PANPSN16 ATC4H DATAHEX ARC4H
# Independent EMV/PBOC values (docs/wire.md, EMV commands): every block cipher operation is the openssl command line
# (openssl enc -des-ede-ecb / -des-ede3-ecb -nopad); Python only XORs, pads, sets parity.
import subprocess, sys
def enc(key, data, dec=False, alg=None):
    alg = alg or ('-des-ede-ecb' if len(key)==32 else '-des-ede3-ecb')
    args = ['openssl','enc',alg,'-nopad','-K',key]
    if dec: args.append('-d')
    out = subprocess.run(args, input=bytes.fromhex(data), capture_output=True, check=True).stdout
    return out.hex().upper()
def xor(a,b): return bytes(x^y for x,y in zip(bytes.fromhex(a),bytes.fromhex(b))).hex().upper()
def parity(h):
    out=[]
    for b in bytes.fromhex(h):
        hi=b&0xFE; out.append(hi|1 if bin(hi).count('1')%2==0 else hi)
    return bytes(out).hex().upper()
def inv(h): return xor(h,'FF'*(len(h)//2))
def div(key,y): return parity(enc(key,y)+enc(key,inv(y)))
def pad2(d):
    d=d+'80'
    while len(d)%16: d+='00'
    return d
def single(k8,data,dec=False): return enc(k8+k8,data,dec)   # EDE with K|K = single DES
def alg3(key,data):
    k1,k2=key[:16],key[16:]
    d=pad2(data); c='00'*8
    for i in range(0,len(d),16): c=single(k1,xor(c,d[i:i+16]))
    return single(k1,single(k2,c,True))
MDK='0123456789ABCDEFFEDCBA9876543210'
panpsn=sys.argv[1]; atc=sys.argv[2]; data=sys.argv[3]; arc=sys.argv[4]
mk=div(MDK,panpsn); print('card MK', mk, 'KCV', enc(mk,'00'*8))
sk=div(mk,'000000000000'+atc); print('SK', sk, 'KCV', enc(sk,'00'*8))
arqc=alg3(sk,data); print('ARQC', arqc)
arpc=enc(sk, xor(arqc, arc+'000000000000')); print('ARPC(SK)', arpc)
print('MAC', alg3(sk,data))
sd = data if len(data)%16==0 else pad2(data)
print('ENC', enc(sk, sd))
