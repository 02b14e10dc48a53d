using SmartKey.Firmware.Config;

namespace SmartKey.Fuzz;

/// <summary>
/// nf.config's reader on any text (the bytes as Latin-1, so every byte is a character): it accepts or says
/// which line is wrong; an accepted config has the sizes the firmware divides and allocates by.
/// </summary>
public sealed class ConfigTarget : IFuzzTarget
{
    public string Name => "config";

    public void Run(byte[] input)
    {
        string text = System.Text.Encoding.Latin1.GetString(input);
        if (DeviceConfig.TryParse(text, out var config, out var error))
        {
            if (config == null) throw new InvariantBroken("accepted without a config");
            if (config.FlashSectors <= 0 || config.FlashSectorSize <= 0) throw new InvariantBroken("accepted a flash of no size");
        }
        else if (error == null || error.Line < 0 || error.Message == null || error.Message.Length == 0)
        {
            throw new InvariantBroken("refused without saying why");
        }
    }
}
