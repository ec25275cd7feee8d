import HostProtocol

/// `CA`/`CB` translate a PIN block from a TPK to a ZPK.
/// Request (`TranslatePINFromTPKRequest`): source TPK, destination ZPK, max PIN length 2N,
/// PIN block 16H/32H, source format 2N, destination format 2N, account 12N.
/// Response (`TranslatePINResponse`): PIN length 2N, PIN block 16H/32H, destination format 2N.
/// Errors: `10` source / `11` destination parity, `15` block size not the key's, `20` bad
/// block, `23` format, `24` PIN length; besides `13`, `15`, `80` from the request layout.
/// The work is `PINHandlerSupport.translate`, shared with `CC`.
enum TranslatePINTPKHandler {
    static let entry = (TranslatePINFromTPKRequest.command,
                        CommandHandler(run: Handlers.typed { (ctx, r: TranslatePINFromTPKRequest) in
                            try PINHandlerSupport.translate(ctx, r.fields, source: .tpk)
                        }))
}
