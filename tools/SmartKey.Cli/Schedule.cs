using System;
using System.Globalization;
using System.Linq;

namespace SmartKey.Cli;

/// <summary>Parses the guest schedule options: days like "mon-fri" or "sat,sun", times like "08:00".</summary>
public static class Schedule
{
    private static readonly string[] Days = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

    public static byte ParseDays(string text)
    {
        if (text.Equals("all", StringComparison.OrdinalIgnoreCase)) return 0x7F;
        byte mask = 0;
        foreach (string part in text.ToLowerInvariant().Split(','))
        {
            string[] range = part.Trim().Split('-');
            int first = DayIndex(range[0]), last = range.Length > 1 ? DayIndex(range[1]) : first;
            for (int d = first; ; d = (d + 1) % 7)
            {
                mask |= (byte)(1 << d);
                if (d == last) break;
            }
        }

        return mask;
    }

    public static int ParseMinute(string text)
    {
        if (text == "24:00") return 1440;
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            throw new CliException($"'{text}' is not a time of day (HH:mm)");
        return t.Hour * 60 + t.Minute;
    }

    public static string Describe(byte mask, int start, int end)
    {
        string days = mask == 0x7F ? "every day" : string.Join(",", System.Linq.Enumerable.Range(0, 7).Where(d => (mask & (1 << d)) != 0).Select(d => Days[d]));
        return $"{days} {start / 60:D2}:{start % 60:D2}-{end / 60:D2}:{end % 60:D2}";
    }

    private static int DayIndex(string day)
    {
        int i = Array.IndexOf(Days, day.Length >= 3 ? day[..3] : day);
        return i >= 0 ? i : throw new CliException($"'{day}' is not a day (mon … sun)");
    }
}
