// The operator's API speaks the management protocol's types (CeremonyError and its codes,
// DMKComponent, AuthorisationShare, ManagementLimits): re-exported so `import VSMOperator`
// is all vsmctl needs.
@_exported import ManagementProtocol
