using System;
using System.Globalization;
using System.IO;
using SmartKey.Hal.Simulated;

namespace SmartKey.Simulator.Serve;

/// <summary>
/// The simulated lock's real-time clock between runs of serve. On the device the RTC keeps counting on the
/// battery while the app restarts; serve keeps the same promise by saving the RTC's reading beside the
/// flash image (FILE.rtc: "rtc &lt;unix s&gt; saved &lt;unix s&gt;") and, at the next start, winding it on by
/// the wall time that passed. So log dates never go backwards across restarts and a clock an owner set stays set.
/// </summary>
public static class RtcFile
{
    public static string PathFor(string flashPath) => flashPath + ".rtc";

    /// <summary>Sets the clock from the saved reading; false when there is none yet (a new lock keeps its factory time).</summary>
    public static bool TryRestore(string flashPath, SimClock clock, DateTimeOffset now)
    {
        string path = PathFor(flashPath);
        if (!File.Exists(path)) return false;
        string[] words = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 4 || words[0] != "rtc" || words[2] != "saved"
            || !long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out long rtc)
            || !long.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out long saved))
            throw new SmartKey.Tools.UsageError($"{path} is not a saved clock (\"rtc <unix s> saved <unix s>\"): delete it to start the lock's clock afresh");
        clock.SetUnixSeconds(rtc + Math.Max(0, now.ToUnixTimeSeconds() - saved));
        return true;
    }

    /// <summary>Writes the reading through a temporary file and a rename, so a kill mid-write leaves the previous one.</summary>
    public static void Save(string flashPath, SimClock clock, DateTimeOffset now)
    {
        string path = PathFor(flashPath);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"rtc {clock.UnixSeconds} saved {now.ToUnixTimeSeconds()}\n"));
        File.Move(temporary, path, overwrite: true);
    }
}
