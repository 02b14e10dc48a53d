using SmartKey.Firmware.Ota;

namespace SmartKey.OtaServer.Rollouts;

/// <summary>
/// Which failures a lock reports are about the image's own bytes (structure, hash, key, signature, hardware,
/// counter, version, flags, self-test, or an image it already knows as bad): every attempt would fail the same way
/// (and the lock remembers an image that failed after its signature verified), so the server ends that lock's action
/// instead of retrying. Everything else
/// (flash, resume, chunk or offer trouble, a revert by a power cut) is worth another attempt within the cap.
/// </summary>
public static class ImageFailures
{
    public static bool AreFinal(int error) => error switch
    {
        OtaError.Downgrade or OtaError.SecurityCounterTooLow or OtaError.WrongHardware or OtaError.TooLarge
            or OtaError.BadMagic or OtaError.BadHeader or OtaError.BadTlv or OtaError.HashMismatch
            or OtaError.UnknownKey or OtaError.BadSignature or OtaError.SelfTestFailed
            or OtaError.NoHardwareId or OtaError.NoSecurityCounter or OtaError.KnownBadImage
            or OtaError.UnsupportedFlags => true,
        _ => false,
    };
}
