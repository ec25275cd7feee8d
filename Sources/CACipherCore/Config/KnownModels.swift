/// The device models this library serves, from the one list the parser warns with
/// (`ConfigParser.knownModels` and the vendor's other families,
/// `VendorDialect.otherFamilyModels`), and the strict check a caller may ask for on top of
/// the parse: the vendor's SDK loads a driver per model and refuses a model it has none for,
/// where this library accepts any model with a warning (docs/config.md).
extension ConfigParser {
    /// Whether `model` (any case) is one of the models this library serves: known, or one of
    /// the vendor's other families (which get the SJJ1310/EVSM host commands, with a warning).
    public static func servesModel(_ model: String) -> Bool {
        let m = ConfigText.upper(model)
        return knownModels.contains(m) || VendorDialect.otherFamilyModels.contains(m)
    }

    /// Every model `servesModel` accepts, sorted (for messages).
    static var servedModels: [String] { knownModels.union(VendorDialect.otherFamilyModels).sorted() }
}

extension CACipherConfig {
    /// Throws `CACipherError(config: .unknownModel)` (`CACIPHER_E_CONFIG`) naming the first
    /// host whose `hsmModel` this library serves no device for (`ConfigParser.servesModel`).
    /// `CACipher_OpenWithOptions(..., CACIPHER_OPEN_KNOWN_MODELS_ONLY, ...)` calls it after the
    /// parse, before anything is opened.
    public func requireKnownModels() throws {
        for h in hosts where !ConfigParser.servesModel(h.hsmModel) {
            throw CACipherError(config: .unknownModel, "[\(ConfigText.shown(h.section))] hsmModel=\(ConfigText.shown(h.hsmModel)): unsupported device model, this library has no driver for it (supported: \(ConfigParser.servedModels.joined(separator: ", ")))")
        }
    }
}
