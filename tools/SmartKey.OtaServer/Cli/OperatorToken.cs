using System;
using System.IO;

namespace SmartKey.OtaServer.Cli;

/// <summary>
/// Where the CLI finds its bearer token: $SMARTKEY_OTA_TOKEN, else the file named by --token-file or
/// $SMARTKEY_OTA_TOKEN_FILE, else ~/.config/smartkey/ota-token if it exists. A token file must be readable by its
/// owner only (0600): one that the group or others may read is refused, since the token acts for its operator.
/// </summary>
public static class OperatorToken
{
    public const string Variable = "SMARTKEY_OTA_TOKEN";
    public const string FileVariable = "SMARTKEY_OTA_TOKEN_FILE";

    public static string DefaultFile => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "smartkey", "ota-token");

    /// <summary>The token, or null when none is configured; throws ArgumentException (one line) for a file that is not private.</summary>
    public static string? Find(string? tokenFile)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment) return fromEnvironment.Trim();
        string? path = tokenFile ?? Environment.GetEnvironmentVariable(FileVariable);
        if (path == null)
        {
            if (!File.Exists(DefaultFile)) return null;
            path = DefaultFile;
        }

        return Read(path);
    }

    public static string Read(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"no token file {path}");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
                throw new ArgumentException($"token file {path} may be read by others (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}): chmod 600 {path}");
        }

        string token = File.ReadAllText(path).Trim();
        if (token.Length == 0) throw new ArgumentException($"token file {path} is empty");
        return token;
    }
}
