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
        if (text.Trim().Length == 0) throw new CliException("--days is empty: give days such as mon-fri, sat,sun or all");
        byte mask = 0;
        foreach (string part in text.ToLowerInvariant().Split(','))
        {
            string[] range = part.Trim().Split('-');
            if (range.Length > 2) throw new CliException($"'{part.Trim()}' is not a day or a range of days (mon-fri)");
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
            throw new CliException($"'{text}' is not a time of day: give HH:mm, 00:00 to 24:00 (e.g. 08:00)");
        return t.Hour * 60 + t.Minute;
    }

    public static string Describe(byte mask, int start, int end)
    {
        string days = mask == 0x7F ? "every day" : string.Join(",", System.Linq.Enumerable.Range(0, 7).Where(d => (mask & (1 << d)) != 0).Select(d => Days[d]));
        return $"{days} {start / 60:D2}:{start % 60:D2}-{end / 60:D2}:{end % 60:D2}";
    }

    private static int DayIndex(string day)
    {
        string word = day.Trim();
        int i = word.Length >= 3 && ("monday tuesday wednesday thursday friday saturday sunday".Split(' ').Any(full => full.StartsWith(word, StringComparison.Ordinal))) ? Array.IndexOf(Days, word[..3]) : -1;
        return i >= 0 ? i : throw new CliException($"'{day}' is not a day: give mon, tue, wed, thu, fri, sat or sun, ranges such as mon-fri, or all");
    }
}

/// <summary>A guest key's validity and weekly schedule, checked as the lock would check it (docs/protocol.md §6, AddGuest).</summary>
public readonly record struct GuestWindow(DateTimeOffset From, DateTimeOffset? Until, byte Days, int Start, int End)
{
    /// <summary>The earliest date the lock takes (it refuses times before 2020 as a lost clock's).</summary>
    private static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue);

    public static GuestWindow Parse(DateTimeOffset? from, DateTimeOffset? until, string days, string start, string end, DateTimeOffset now)
    {
        var validFrom = from ?? now - SmartKey.Phone.PhoneSession.ClockTolerance;
        foreach (var (name, value) in new[] { ("--from", from), ("--until", until) })
        {
            if (value is { } v && (v < Earliest || v > Latest))
                throw new CliException($"{name} {v:yyyy-MM-dd} is out of range: give a date between 2020-01-01 and 2106-02-07");
        }

        if (until is { } u && u <= validFrom)
            throw new CliException($"--until {u:u} is not after the key's start ({validFrom:u}): the key would never open");
        return new GuestWindow(validFrom, until, Schedule.ParseDays(days), Schedule.ParseMinute(start), Schedule.ParseMinute(end));
    }
}
