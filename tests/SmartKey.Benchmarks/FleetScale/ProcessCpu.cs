using System;
using System.IO;
using System.Linq;

namespace SmartKey.Benchmarks.FleetScale;

/// <summary>CPU seconds and peak memory of processes, from /proc (Linux clock ticks of 1/100 s).</summary>
public static class ProcessCpu
{
    /// <summary>utime + stime of one process.</summary>
    public static double Seconds(int pid)
    {
        var f = StatFields(pid);
        return f == null ? 0 : (long.Parse(f[11]) + long.Parse(f[12])) / 100.0;
    }

    /// <summary>A process and its children: its own time, its reaped children's (cutime, cstime) and the live children's.</summary>
    public static double TreeSeconds(int pid)
    {
        var f = StatFields(pid);
        if (f == null) return 0;
        double own = (long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14])) / 100.0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int child)) continue;
            var c = StatFields(child);
            if (c != null && c[1] == pid.ToString()) own += (long.Parse(c[11]) + long.Parse(c[12])) / 100.0;
        }

        return own;
    }

    /// <summary>VmHWM: the most resident memory the process ever had, in KB.</summary>
    public static long PeakKb(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>The fields of /proc/pid/stat after the command name (index 0 = state, 1 = ppid, 11 = utime); null once gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
