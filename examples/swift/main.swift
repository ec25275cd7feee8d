// PaymentExample - a small payment flow on the Swift API (CACipherClient, CACipherCore).
//
//   swift build --product PaymentExample
//   .build/debug/PaymentExample cacipher.ini
//
// 1. Keys: generate a zone master key (ZMK) shared with a partner, and two zone PIN keys:
//    ZPK1 (ours) and ZPK2 (the partner's), and export ZPK1 under the ZMK for the partner.
// 2. PIN: a customer's PIN block arrives under ZPK1; translate it to ZPK2 for the partner
//    and check it by translating it back.
// 3. MAC: protect a message with a retail MAC (ISO 9797-1 algorithm 3) and verify it; a
//    changed message must fail.
//
// A refused command throws CACipherError: `code` is the HSM's code (1...99) or a library
// code (< 0), `message` the explanation. Keys are `KeyField`s, binary values `[UInt8]`.
import CACipherCore
import HostProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Key-field text as on the wire ("U" + 32 hex) and hex of bytes, for printing.
func text(_ k: KeyField) -> String { String(decoding: k.wire, as: UTF8.self) }
func hex(_ b: [UInt8]) -> String { Hex.string(b) }

func require(_ ok: Bool, _ what: String) {
    if !ok {
        print(what)
        exit(1)
    }
}

func run(_ hsm: CACipherClient) throws {
    // ---- 1. keys
    let zmk = try hsm.generateKey(type: .zmk, scheme: .doubleVariant)
    print("ZMK  \(text(zmk.keyUnderLMK))  KCV \(hex(zmk.checkValue))")
    let zpk1 = try hsm.generateKey(type: .zpk, scheme: .doubleVariant)
    print("ZPK1 \(text(zpk1.keyUnderLMK))  KCV \(hex(zpk1.checkValue))")

    // A8: ZPK1 under the ZMK, as it is sent to the partner; the KCV lets them check it.
    let exported = try hsm.exportKey(type: .zpk, zmk: zmk.keyUnderLMK, key: zpk1.keyUnderLMK, scheme: .doubleVariant)
    print("ZPK1 under the ZMK \(text(exported.key))  KCV \(hex(exported.checkValue))")
    require(exported.checkValue == zpk1.checkValue, "export changed the key")

    // A0 mode 1: ZPK2 generated under the LMK and at once under the ZMK.
    let zpk2 = try hsm.generateKey(type: .zpk, scheme: .doubleVariant, exportUnder: zmk.keyUnderLMK)
    print("ZPK2 \(text(zpk2.keyUnderLMK))  KCV \(hex(zpk2.checkValue))")

    // ---- 2. PIN
    let account = "400000123456"   // 12 rightmost PAN digits without the check digit
    // For the demo, make the incoming block ourselves: PIN 1234 -> under the LMK -> ISO 0 under ZPK1.
    let pinUnderLMK = try hsm.encryptPIN("1234", account: account)
    let block1 = try hsm.pinLMKToBlock(zpk: zpk1.keyUnderLMK, pinUnderLMK: pinUnderLMK, format: .iso0, account: account)
    print("PIN block under ZPK1 \(hex(block1))")

    // CC: ZPK1 -> ZPK2 (what a switch does for every PIN transaction).
    let block2 = try hsm.translatePIN(fromZPK: zpk1.keyUnderLMK, toZPK: zpk2.keyUnderLMK, pinBlock: block1,
                                      sourceFormat: .iso0, destinationFormat: .iso0, account: account)
    print("PIN block under ZPK2 \(hex(block2.pinBlock)) (\(block2.pinLength) digits)")
    let back = try hsm.translatePIN(fromZPK: zpk2.keyUnderLMK, toZPK: zpk1.keyUnderLMK, pinBlock: block2.pinBlock,
                                    sourceFormat: .iso0, destinationFormat: .iso0, account: account)
    require(back.pinBlock == block1 && block2.pinLength == 4, "PIN translation does not round-trip")
    print("translated back to ZPK1: same block")

    // ---- 3. MAC
    let tak = try hsm.generateKey(type: .tak, scheme: .doubleVariant).keyUnderLMK
    let message = Array("0200 PAN=4000001234567899 AMOUNT=000000012345 CUR=156".utf8)
    let mac = try hsm.generateMAC(key: tak, keyType: .tak, algorithm: .alg3, padding: .method2, size: .bytes8, data: message)
    print("MAC \(hex(mac))")
    require(try hsm.verifyMAC(key: tak, algorithm: .alg3, padding: .method2, data: message, mac: mac), "MAC does not verify")
    print("MAC verified")
    let changed = Array("0200 PAN=4000001234567899 AMOUNT=000000099999 CUR=156".utf8)
    require(try !hsm.verifyMAC(key: tak, algorithm: .alg3, padding: .method2, data: changed, mac: mac),
            "a changed message was not refused")
    print("changed message refused")
}

let args = CommandLine.arguments
guard args.count == 2 else {
    print("usage: PaymentExample cacipher.ini")
    exit(2)
}
do {
    // An instance of its own: the configuration names the HSMs; nothing connects yet.
    let hsm = try CACipherClient.open(fileOrContent: args[1])
    defer { hsm.close() }
    print("libcacipher \(CACipherVersion.string), \(hsm.config.hosts.count) HSM(s) configured")
    try run(hsm)
    print("payment flow done")
} catch let e as CACipherError {
    print("failed: \(e.code) \(e.message)")
    exit(1)
}
