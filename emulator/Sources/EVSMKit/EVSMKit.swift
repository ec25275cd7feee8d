/// EVSMKit: the emulated HSM device.
public enum EVSMKit {}
