using System;
using System.IO;

namespace SmartKey.Technician;

/// <summary>
/// The kit holds secrets (service.txt: w0 and L; label.txt and label.svg: the setup code; mqtt-client.key), and so
/// does the CA's folder (ca.key.pem). Their folder is created 0700 and their files 0600 with the mode given when they
/// are created: a chmod after writing would leave a moment in which another user could open them. An existing folder
/// that other users can open is refused rather than changed. (On Windows the files get the folder's ACL.)
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder 0700 (and any missing parents, also 0700), or checks that an existing one is open to its owner only.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        if (Directory.Exists(folder))
        {
            UnixFileMode mode = File.GetUnixFileMode(folder);
            if ((mode & OthersAccess) != 0)
                throw new IOException($"{folder} can be opened by other users (mode {Convert.ToString((int)mode, 8)}): give a new folder, or one only you can open (chmod 700)");
            return;
        }

        // Each missing level 0700, parents too (Directory.CreateDirectory gives the mode to the last level only).
        string? parent = Path.GetDirectoryName(Path.GetFullPath(folder));
        if (parent != null && !Directory.Exists(parent)) CreateFolder(parent);
        Directory.CreateDirectory(folder, FolderMode);
    }

    /// <summary>Creates a new file 0600 from its first byte; an existing file is not overwritten.</summary>
    public static void Write(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }
}
