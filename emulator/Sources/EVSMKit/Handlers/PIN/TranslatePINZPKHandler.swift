import HostProtocol

/// `CC`/`CD` translate a PIN block from a ZPK to a ZPK.
/// Request (`TranslatePINRequest`): as `CA` with a source ZPK: source ZPK, destination ZPK,
/// max PIN length 2N, PIN block 16H/32H, source format 2N, destination format 2N, account 12N.
/// Response (`TranslatePINResponse`): PIN length 2N, PIN block 16H/32H, destination format 2N.
/// Errors: `10` source / `11` destination parity, `15` block size not the key's, `20` bad
/// block, `23` format, `24` PIN length; besides `13`, `15`, `80` from the request layout.
/// The work is `PINHandlerSupport.translate`, shared with `CA`.
enum TranslatePINZPKHandler {
    static let entry = (TranslatePINRequest.command,
                        CommandHandler(run: Handlers.typed { (ctx, r: TranslatePINRequest) in
                            try PINHandlerSupport.translate(ctx, r.fields, source: .zpk)
                        }))
}
